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

/* rgb (w x h, RGB) as a JPEG of quality 95, with an EXIF orientation (none
 * when 0). Frees rgb. */
static uint8_t *jpeg_of(uint8_t *rgb, uint32_t w, uint32_t h, int orientation, size_t *len)
{
    static const uint8_t exif_head[] = {'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8,
                                        0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1};
    uint8_t exif[sizeof exif_head + 8] = {0};
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr je;
    unsigned char *mem = NULL;
    unsigned long n = 0;

    memcpy(exif, exif_head, sizeof exif_head);
    exif[sizeof exif_head + 1] = (uint8_t)orientation; /* SHORT, big-endian */
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
    if (orientation)
        jpeg_write_marker(&c, JPEG_APP0 + 1, exif, sizeof exif);
    while (c.next_scanline < h) {
        JSAMPROW row = rgb + (size_t)c.next_scanline * w * 3;
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(rgb);
    *len = n;
    return mem;
}

static void paint(uint8_t *p, int red)
{
    p[0] = red ? 230 : 20;
    p[1] = 20;
    p[2] = red ? 20 : 230;
}

/* A w x h JPEG of red and blue squares of sq pixels. */
static uint8_t *checker_jpeg(uint32_t w, uint32_t h, uint32_t sq, size_t *len)
{
    uint8_t *rgb = malloc((size_t)w * h * 3);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++)
            paint(rgb + ((size_t)y * w + x) * 3, ((x / sq) + (y / sq)) % 2 == 0);
    return jpeg_of(rgb, w, h, 0, len);
}

/* A w x h JPEG, left half red, right half blue, with an EXIF orientation. */
static uint8_t *halves_jpeg(uint32_t w, uint32_t h, int orientation, size_t *len)
{
    uint8_t *rgb = malloc((size_t)w * h * 3);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++)
            paint(rgb + ((size_t)y * w + x) * 3, x < w / 2);
    return jpeg_of(rgb, w, h, orientation, len);
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
    vg_thumb_opts clear = {0, 0, 0, 90, NULL, 0}, hidden = {0, 1, 1, 0, NULL, 0};
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

    /* upright: the preview turned as the EXIF orientation says (64 x 32,
     * red left: 6 turns it clockwise, red on top; 8 the other way; 3 half a
     * turn), by both ways of making it */
    static const struct {
        int o;
        uint32_t w, h;
        int red_x, red_y; /* a pixel that must be red */
    } turns[] = {{0, 64, 32, 8, 16}, {3, 64, 32, 56, 16}, {6, 32, 64, 16, 8},
                 {8, 32, 64, 16, 56}, {5, 32, 64, 16, 8}, {2, 64, 32, 56, 16}};
    for (size_t k = 0; k < sizeof turns / sizeof turns[0]; k++) {
        size_t hl;
        uint8_t *h = halves_jpeg(64, 32, turns[k].o, &hl);
        vg_thumb_opts up = {0, 0, 0, 95, NULL, 1};
        vg_hash_opts ho = {.thumb_side = 160};
        vg_file_hashes fh;
        CHECK_INTEQ(vg_hash_buffer(h, hl, &ho, &fh, &err), VG_OK);
        for (int way = 0; way < 2; way++) {
            if (way == 0)
                CHECK_INTEQ(vg_thumb_make(h, hl, &up, &t, &tlen, &err), VG_OK);
            img = way == 0 ? decode(t, tlen) : decode(fh.thumb, fh.thumb_len);
            CHECK_MSG(img.pix_width == turns[k].w && img.pix_height == turns[k].h,
                      "orientation %d way %d: %ux%u", turns[k].o, way, img.pix_width,
                      img.pix_height);
            if (img.pix_width == turns[k].w) {
                p = img.pixels + (size_t)turns[k].red_y * img.stride + 3 * (size_t)turns[k].red_x;
                CHECK_MSG(p[0] > 150 && p[2] < 100, "orientation %d way %d: %u,%u,%u", turns[k].o,
                          way, p[0], p[1], p[2]);
            }
            vg_image_free(&img);
            if (way == 0)
                free(t);
        }
        free(fh.thumb);
        free(h);
    }

    /* limits and corrupt input: an error, no preview */
    vg_limits lim;
    vg_limits_default(&lim);
    lim.max_pixels = 1000;
    vg_thumb_opts limited = {0, 0, 0, 0, &lim, 0};
    CHECK_INTEQ(vg_thumb_make(src, len, &limited, &t, &tlen, &err), VG_ERR_LIMIT_PIXELS);
    CHECK(t == NULL && tlen == 0);
    CHECK(vg_thumb_make(src, 200, &clear, &t, &tlen, &err) != VG_OK);
    CHECK(t == NULL);
    CHECK(vg_thumb_make((const uint8_t *)"not a picture", 13, &clear, &t, &tlen, &err) != VG_OK);
    free(src);
    TEST_DONE();
}
