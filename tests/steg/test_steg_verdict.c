/* test_steg_verdict.c - vg_steg_analyse end to end: BMP covers and stego
 * (decoded through lib/image), a JPEG with an appended ZIP, JPEG statistics
 * on a clean JPEG. */
#include <math.h>

#include "testutil.h"
#include "vigil/steg.h"
#include "stegsim.h"

/* 24-bit bottom-up BMP of an RGB buffer (w a multiple of 4: no row padding). */
static uint8_t *bmp(const uint8_t *rgb, uint32_t w, uint32_t h, size_t *n)
{
    *n = 54 + (size_t)w * h * 3;
    uint8_t *b = calloc(*n, 1);
    uint32_t v[] = {(uint32_t)*n, 0, 54, 40, w, h};
    b[0] = 'B';
    b[1] = 'M';
    for (int i = 0; i < 6; i++)
        for (int k = 0; k < 4; k++)
            b[2 + 4 * i + k] = (uint8_t)(v[i] >> (8 * k));
    b[26] = 1;
    b[28] = 24;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++)
            for (int c = 0; c < 3; c++)
                b[54 + ((size_t)(h - 1 - y) * w + x) * 3 + c] = rgb[((size_t)y * w + x) * 3 + 2 - c];
    return b;
}

static void test_bmp(void)
{
    uint32_t w = 512, h = 512;
    uint8_t *p = sim_cover(w, h, 2.5, 20);
    size_t n;
    uint8_t *b = bmp(p, w, h, &n);
    vg_steg_report r;
    CHECK(vg_steg_analyse(b, n, NULL, &r, NULL) == VG_OK);
    CHECK_INTEQ(r.type, VG_IMAGE_BMP);
    CHECK_INTEQ(r.decode_status, VG_OK);
    CHECK(r.has_lsb);
    CHECK_MSG(r.verdict == VG_STEG_CLEAN, "clean BMP: %s", r.reason);
    vg_steg_report_free(&r);
    free(b);
    sim_lsb_replace(p, (size_t)w * h * 3, 0.5, 22);
    b = bmp(p, w, h, &n);
    CHECK(vg_steg_analyse(b, n, NULL, &r, NULL) == VG_OK);
    CHECK_INTEQ(r.verdict, VG_STEG_SUSPICIOUS);
    CHECK_MSG(fabs(r.lsb.spa_max - 0.5) < 0.08, "BMP SPA %.3f", r.lsb.spa_max);
    CHECK_MSG(strstr(r.reason, "WS mean") != NULL, "reason: %s", r.reason);
    vg_steg_report_free(&r);
    free(b);
    free(p);
}

static void test_jpeg(void)
{
    size_t n;
    uint8_t *j = test_slurp(test_data("pdq/bridge-mods/aaa-orig.jpg"), &n);
    CHECK(j != NULL);
    if (!j)
        return;
    vg_steg_jpeg s;
    CHECK(vg_steg_jpeg_stats(j, n, NULL, &s, NULL) == VG_OK);
    CHECK(s.width > 0 && s.nonzero_ac > 0);
    CHECK_MSG(s.jsteg_prefix < 0.05, "clean jsteg prefix %.3f", s.jsteg_prefix);
    CHECK_MSG(s.f5_beta < 0.15, "clean F5 beta %.3f", s.f5_beta);
    CHECK(s.quality_hint > 0 && s.quality_hint <= 100);
    printf("aaa-orig: q~%d beta %.3f calib %.3f jsteg %.2f p %.3g\n", s.quality_hint, s.f5_beta,
           s.calib_dist, s.jsteg_prefix, s.jsteg_p);
    /* Appended ZIP: payload verdict naming the offset. */
    uint8_t *k = malloc(n + 40);
    memcpy(k, j, n);
    memcpy(k + n, "PK\x03\x04\x14\0\0\0\x08\0", 10);
    memset(k + n + 10, 'x', 30);
    vg_steg_report r;
    CHECK(vg_steg_analyse(k, n + 40, NULL, &r, NULL) == VG_OK);
    CHECK_INTEQ(r.verdict, VG_STEG_PAYLOAD);
    CHECK_INTEQ(r.found.n, 1);
    if (r.found.n) {
        CHECK_INTEQ(r.found.v[0].offset, n);
        CHECK_INTEQ(r.found.v[0].length, 40);
        CHECK_STREQ(r.found.v[0].type, "zip");
    }
    CHECK(r.has_jpeg);
    vg_steg_report_free(&r);
    /* Truncated JPEG: no crash, no trailer, maybe an error status. */
    CHECK(vg_steg_analyse(k, n / 2, NULL, &r, NULL) == VG_OK);
    CHECK_INTEQ(r.found.n, 0);
    vg_steg_report_free(&r);
    CHECK(vg_steg_jpeg_stats((const uint8_t *)"GIF89a", 6, NULL, &s, NULL) == VG_ERR_FORMAT);
    free(k);
    free(j);
}

int main(void)
{
    test_bmp();
    test_jpeg();
    TEST_DONE();
}
