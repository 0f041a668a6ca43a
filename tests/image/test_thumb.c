/* test_thumb.c - previews: size, colour or grey, the blur really removes
 * detail, the same bytes twice, limits and corrupt input refused; the preview
 * gathered during the PDQ decode looks like the one made on its own, leaves
 * the PDQ hash unchanged, and vg_hash_buffer hands it out in either PDQ mode. */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>

#include <jpeglib.h>

#include "testutil.h"
#include "vigil/hashfile.h"
#include "vigil/thumb.h"

/* A w x h JPEG of red and blue squares of sq pixels. */
static uint8_t *checker_jpeg(uint32_t w, uint32_t h, uint32_t sq, size_t *len)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr je;
    unsigned char *mem = NULL;
    unsigned long n = 0;
    uint8_t *row = malloc((size_t)w * 3);

    c.err = jpeg_std_error(&je);
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &mem, &n);
    c.image_width = w;
    c.image_height = h;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 95, TRUE);
    jpeg_start_compress(&c, TRUE);
    while (c.next_scanline < h) {
        for (uint32_t x = 0; x < w; x++) {
            int red = ((x / sq) + (c.next_scanline / sq)) % 2 == 0;
            row[3 * x] = red ? 230 : 20;
            row[3 * x + 1] = 20;
            row[3 * x + 2] = red ? 20 : 230;
        }
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(row);
    *len = n;
    return mem;
}

static vg_image decode(const uint8_t *buf, size_t len)
{
    vg_image img;
    vg_error err;
    CHECK_INTEQ(vg_image_decode(buf, len, NULL, &img, &err), VG_OK);
    return img;
}

/* Standard deviation of channel c over the picture. */
static double spread(const vg_image *img, int c)
{
    double s = 0, s2 = 0, n = (double)img->pix_width * img->pix_height;
    for (uint32_t y = 0; y < img->pix_height; y++)
        for (uint32_t x = 0; x < img->pix_width; x++) {
            double v = img->pixels[y * img->stride + (size_t)x * (size_t)img->channels + (size_t)c];
            s += v;
            s2 += v * v;
        }
    return sqrt(s2 / n - (s / n) * (s / n));
}

int main(void)
{
    size_t len, tlen, tlen2;
    uint8_t *src = checker_jpeg(640, 480, 16, &len), *t, *t2;
    vg_thumb_opts clear = {0, 0, 0, 90, NULL}, hidden = {0, 1, 1, 0, NULL};
    vg_error err;
    vg_image img;

    /* clear colour: 160 x 120, squares of 4 pixels, red where red was */
    CHECK_INTEQ(vg_thumb_make(src, len, &clear, &t, &tlen, &err), VG_OK);
    img = decode(t, tlen);
    CHECK_INTEQ(img.pix_width, 160);
    CHECK_INTEQ(img.pix_height, 120);
    CHECK_INTEQ(img.channels, 3);
    const uint8_t *p = img.pixels + 1 * img.stride + 1 * 3; /* inside square (0,0): red */
    CHECK_MSG(p[0] > 150 && p[2] < 100, "red square is %u,%u,%u", p[0], p[1], p[2]);
    p = img.pixels + 1 * img.stride + 5 * 3; /* square (1,0): blue */
    CHECK_MSG(p[2] > 150 && p[0] < 100, "blue square is %u,%u,%u", p[0], p[1], p[2]);
    CHECK_MSG(spread(&img, 0) > 60, "clear red spread %.1f", spread(&img, 0));
    vg_image_free(&img);
    free(t);

    /* blurred grey: one channel, the squares gone (near-flat) */
    CHECK_INTEQ(vg_thumb_make(src, len, &hidden, &t, &tlen, &err), VG_OK);
    img = decode(t, tlen);
    CHECK_INTEQ(img.channels, 1);
    CHECK_INTEQ(img.pix_width, 160);
    CHECK_MSG(spread(&img, 0) < 6, "blurred spread %.1f", spread(&img, 0));
    vg_image_free(&img);

    /* the same bytes give the same preview */
    CHECK_INTEQ(vg_thumb_make(src, len, &hidden, &t2, &tlen2, &err), VG_OK);
    CHECK(tlen == tlen2 && memcmp(t, t2, tlen) == 0);
    free(t2);

    /* the stored clear preview blurs like the picture itself: the review
     * server makes its hidden variant from the stored one */
    uint8_t *c;
    size_t clen;
    CHECK_INTEQ(vg_thumb_make(src, len, &clear, &c, &clen, &err), VG_OK);
    CHECK_INTEQ(vg_thumb_make(c, clen, &hidden, &t2, &tlen2, &err), VG_OK);
    img = decode(t2, tlen2);
    CHECK_INTEQ(img.pix_width, 160);
    CHECK_MSG(spread(&img, 0) < 6, "re-blurred spread %.1f", spread(&img, 0));
    vg_image_free(&img);
    free(c);
    free(t2);
    free(t);

    /* never enlarged */
    uint8_t *small = checker_jpeg(40, 30, 4, &clen);
    CHECK_INTEQ(vg_thumb_make(small, clen, NULL, &t, &tlen, &err), VG_OK);
    img = decode(t, tlen);
    CHECK(img.pix_width == 40 && img.pix_height == 30);
    vg_image_free(&img);
    free(t);
    free(small);

    /* gathered on the way: same size and colours as a preview of its own */
    vg_decode_opts d = {.pdq_side = 512, .thumb_side = 160};
    vg_image own, withp;
    CHECK_INTEQ(vg_image_decode(src, len, &d, &withp, &err), VG_OK);
    CHECK(withp.thumb != NULL && withp.thumb_w == 160 && withp.thumb_h == 120 &&
          withp.thumb_channels == 3);
    CHECK_INTEQ(vg_thumb_from_image(&withp, &clear, &t, &tlen, &err), VG_OK);
    img = decode(t, tlen);
    CHECK_INTEQ(vg_thumb_make(src, len, &clear, &c, &clen, &err), VG_OK);
    own = decode(c, clen);
    CHECK(img.pix_width == own.pix_width && img.pix_height == own.pix_height);
    double diff = 0;
    for (size_t i = 0; i < (size_t)img.pix_height * img.stride; i++)
        diff += abs((int)img.pixels[i] - (int)own.pixels[i]);
    diff /= (double)img.pix_height * (double)img.stride;
    CHECK_MSG(diff < 12, "gathered preview differs by %.1f on average", diff);
    vg_image_free(&img);
    vg_image_free(&own);
    free(t);
    free(c);
    /* and the PDQ input is what it was without it */
    d.thumb_side = 0;
    CHECK_INTEQ(vg_image_decode(src, len, &d, &own, &err), VG_OK);
    CHECK(own.thumb == NULL && own.pix_width == withp.pix_width &&
          memcmp(own.pixels, withp.pixels, own.stride * own.pix_height) == 0);
    vg_image_free(&own);
    vg_image_free(&withp);
    /* a picture cut short gathers no preview (rows never came) */
    d.thumb_side = 160;
    vg_status cut = vg_image_decode(src, len / 2, &d, &withp, &err);
    CHECK(cut != VG_OK || withp.thumb == NULL);
    vg_image_free(&withp);

    /* vg_hash_buffer: a colour preview in exact and in fast PDQ mode */
    for (int fast = 0; fast <= 1; fast++) {
        vg_hash_opts ho = {.pdq_fast = fast, .thumb_side = 160};
        vg_file_hashes h;
        CHECK_INTEQ(vg_hash_buffer(src, len, &ho, &h, &err), VG_OK);
        CHECK_MSG(h.thumb != NULL && h.have_pdq, "fast %d: no preview", fast);
        img = decode(h.thumb, h.thumb_len);
        CHECK(img.pix_width == 160 && img.channels == 3);
        vg_image_free(&img);
        free(h.thumb);
        ho.thumb_side = 0;
        CHECK_INTEQ(vg_hash_buffer(src, len, &ho, &h, &err), VG_OK);
        CHECK(h.thumb == NULL);
    }

    /* limits and corrupt input: an error, no preview */
    vg_limits lim;
    vg_limits_default(&lim);
    lim.max_pixels = 1000;
    vg_thumb_opts limited = {0, 0, 0, 0, &lim};
    CHECK_INTEQ(vg_thumb_make(src, len, &limited, &t, &tlen, &err), VG_ERR_LIMIT_PIXELS);
    CHECK(t == NULL && tlen == 0);
    CHECK(vg_thumb_make(src, 200, &clear, &t, &tlen, &err) != VG_OK);
    CHECK(t == NULL);
    CHECK(vg_thumb_make((const uint8_t *)"not a picture", 13, &clear, &t, &tlen, &err) != VG_OK);
    free(src);
    TEST_DONE();
}
