/* test_steg_jsteg.c - the jsteg chi-square on a JPEG whose coefficients we
 * change the way jsteg does (LSB replacement, values 0 and 1 skipped,
 * sequentially over the first half of the stream), rewritten losslessly with
 * jpeg_write_coefficients; the clean file must not be flagged. */
#include <setjmp.h>
#include <stdio.h>

#include <jpeglib.h>

#include "testutil.h"
#include "vigil/steg.h"
#include "stegsim.h"

/* Replaces LSBs of coefficients other than 0 and 1 over the first `share` of
 * the stream (components, block rows, blocks, 64 coefficients in order). */
static uint8_t *jsteg(const uint8_t *in, size_t n, double share, unsigned long *out_n)
{
    struct jpeg_decompress_struct d;
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr e1, e2;
    d.err = jpeg_std_error(&e1);
    c.err = jpeg_std_error(&e2);
    jpeg_create_decompress(&d);
    jpeg_mem_src(&d, in, (unsigned long)n);
    jpeg_read_header(&d, TRUE);
    jvirt_barray_ptr *arr = jpeg_read_coefficients(&d);
    uint64_t total = 0, seen = 0;
    for (int k = 0; k < d.num_components; k++)
        total += (uint64_t)d.comp_info[k].height_in_blocks * d.comp_info[k].width_in_blocks * 64;
    sim_seed(99);
    for (int k = 0; k < d.num_components; k++) {
        jpeg_component_info *ci = &d.comp_info[k];
        for (JDIMENSION r = 0; r < ci->height_in_blocks; r++) {
            JBLOCKARRAY row = d.mem->access_virt_barray((j_common_ptr)&d, arr[k], r, 1, TRUE);
            for (JDIMENSION b = 0; b < ci->width_in_blocks; b++)
                for (int i = 0; i < 64; i++, seen++) {
                    JCOEF *v = &row[0][b][i];
                    if ((double)seen < share * (double)total && *v != 0 && *v != 1)
                        *v = (JCOEF)((*v & ~1) | (int)(sim_u32() & 1));
                }
        }
    }
    unsigned char *out = NULL;
    *out_n = 0;
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &out, out_n);
    jpeg_copy_critical_parameters(&d, &c);
    jpeg_write_coefficients(&c, arr);
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    jpeg_finish_decompress(&d);
    jpeg_destroy_decompress(&d);
    return out;
}

/* A w x h grey JPEG made in memory. */
static uint8_t *tiny_jpeg(int w, int h, unsigned long *n)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr e;
    unsigned char *out = NULL;
    uint8_t row[64];
    c.err = jpeg_std_error(&e);
    jpeg_create_compress(&c);
    *n = 0;
    jpeg_mem_dest(&c, &out, n);
    c.image_width = (JDIMENSION)w;
    c.image_height = (JDIMENSION)h;
    c.input_components = 1;
    c.in_color_space = JCS_GRAYSCALE;
    jpeg_set_defaults(&c);
    jpeg_start_compress(&c, TRUE);
    for (int x = 0; x < w; x++)
        row[x] = (uint8_t)(x * 40);
    while (c.next_scanline < c.image_height) {
        JSAMPROW r = row;
        jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    return out;
}

/* Images smaller than the calibration crop: statistics without calibration. */
static void test_tiny(void)
{
    static const int sizes[][2] = {{1, 1}, {3, 3}, {3, 40}, {12, 12}, {17, 9}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        unsigned long n;
        uint8_t *j = tiny_jpeg(sizes[i][0], sizes[i][1], &n);
        vg_steg_jpeg s;
        CHECK(vg_steg_jpeg_stats(j, n, NULL, &s, NULL) == VG_OK);
        CHECK_INTEQ(s.width, sizes[i][0]);
        CHECK(s.f5_beta >= 0 && s.f5_beta <= 1);
        free(j);
    }
}

int main(void)
{
    test_tiny();
    size_t n;
    uint8_t *j = test_slurp(test_data("pdq/bridge-mods/aaa-orig.jpg"), &n);
    CHECK(j != NULL);
    if (!j)
        TEST_DONE();
    vg_steg_jpeg s;
    CHECK(vg_steg_jpeg_stats(j, n, NULL, &s, NULL) == VG_OK);
    CHECK_MSG(s.jsteg_prefix < 0.05, "clean prefix %.3f", s.jsteg_prefix);
    unsigned long sn;
    uint8_t *st = jsteg(j, n, 0.5, &sn);
    CHECK(st != NULL && sn > 0);
    CHECK(vg_steg_jpeg_stats(st, sn, NULL, &s, NULL) == VG_OK);
    CHECK_MSG(s.jsteg_prefix >= 0.40 && s.jsteg_prefix <= 0.60, "jsteg prefix %.3f", s.jsteg_prefix);
    vg_steg_report r;
    CHECK(vg_steg_analyse(st, sn, NULL, &r, NULL) == VG_OK);
    CHECK_INTEQ(r.verdict, VG_STEG_SUSPICIOUS);
    CHECK_MSG(strstr(r.reason, "jsteg") != NULL, "reason: %s", r.reason);
    printf("jsteg 50%%: prefix %.3f, verdict %s (%s)\n", s.jsteg_prefix,
           vg_steg_verdict_name(r.verdict), r.reason);
    vg_steg_report_free(&r);
    free(st);
    free(j);
    TEST_DONE();
}
