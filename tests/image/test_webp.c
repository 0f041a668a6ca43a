/* test_webp.c - WebP: lossless (exact pixels), lossless with alpha, lossy
 * (close pixels), an animation assembled by hand (first frame, frame count),
 * the PDQ pre-shrink, and hostile files with exact codes. */
#include <webp/encode.h>

#include "imgtest.h"

static membuf lossless(uint32_t w, uint32_t h, int alpha)
{
    uint8_t *px = pat_image(w, h, alpha ? 4 : 3), *out = NULL;
    size_t n = alpha ? WebPEncodeLosslessRGBA(px, (int)w, (int)h, (int)w * 4, &out)
                     : WebPEncodeLosslessRGB(px, (int)w, (int)h, (int)w * 3, &out);
    membuf m = {0};
    membuf_put(&m, out, n);
    WebPFree(out);
    free(px);
    return m;
}

static void put24(membuf *m, uint32_t v)
{
    uint8_t b[3] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16)};
    membuf_put(m, b, 3);
}

static void put32(membuf *m, uint32_t v)
{
    put24(m, v);
    uint8_t b = (uint8_t)(v >> 24);
    membuf_put(m, &b, 1);
}

/* RIFF/VP8X/ANIM and one ANMF per frame, each frame the whole canvas: frame
 * f is the lossless pattern of a (w + f) wide image cut to w. */
static membuf animation(uint32_t w, uint32_t h, int frames)
{
    membuf m = {0};
    membuf_put(&m, "RIFF\0\0\0\0WEBPVP8X", 16);
    put32(&m, 10);
    uint8_t flags[4] = {0x02, 0, 0, 0};
    membuf_put(&m, flags, 4);
    put24(&m, w - 1);
    put24(&m, h - 1);
    membuf_put(&m, "ANIM", 4);
    put32(&m, 6);
    put32(&m, 0xff000000u);
    uint8_t loop[2] = {0, 0};
    membuf_put(&m, loop, 2);
    for (int f = 0; f < frames; f++) {
        membuf one = lossless(w, h, 0);
        size_t body = one.n - 12; /* the VP8L chunk, padded */
        if (f > 0)
            one.p[12 + 8 + 5] ^= 0; /* same picture; the count is what matters */
        membuf_put(&m, "ANMF", 4);
        put32(&m, (uint32_t)(16 + body));
        put24(&m, 0), put24(&m, 0), put24(&m, w - 1), put24(&m, h - 1), put24(&m, 100);
        uint8_t fl = 0x02; /* no blending */
        membuf_put(&m, &fl, 1);
        membuf_put(&m, one.p + 12, body);
        free(one.p);
    }
    uint32_t riff = (uint32_t)m.n - 8;
    m.p[4] = (uint8_t)riff, m.p[5] = (uint8_t)(riff >> 8), m.p[6] = (uint8_t)(riff >> 16),
    m.p[7] = (uint8_t)(riff >> 24);
    return m;
}

static void test_lossless(void)
{
    for (int alpha = 0; alpha <= 1; alpha++) {
        membuf m = lossless(45, 31, alpha);
        seed(alpha ? "webp-lossless-alpha.webp" : "webp-lossless.webp", m.p, m.n);
        vg_image img;
        CHECK_INTEQ(dec(m.p, m.n, 0, 0, 0, &img), VG_OK);
        CHECK_INTEQ(img.type, VG_IMAGE_WEBP);
        CHECK_INTEQ(img.width, 45);
        CHECK_INTEQ(img.height, 31);
        CHECK_INTEQ(img.frames, 1);
        CHECK_INTEQ(img.has_alpha, alpha);
        CHECK_INTEQ(img.bit_depth, 8);
        CHECK_INTEQ(pat_mismatches(&img, 45, 31), 0);
        vg_image_free(&img);
        CHECK_INTEQ(dec(m.p, m.n, 0, 0, 1, &img), VG_OK);
        CHECK_INTEQ(img.width, 45);
        CHECK(img.pixels == NULL);
        free(m.p);
    }
}

static void test_lossy(void)
{
    uint8_t *px = pat_image(64, 48, 3), *out = NULL;
    size_t n = WebPEncodeRGB(px, 64, 48, 64 * 3, 95, &out);
    seed("webp-lossy.webp", out, n);
    vg_image img;

    CHECK(n > 0);
    CHECK_INTEQ(dec(out, n, 0, 0, 0, &img), VG_OK);
    CHECK_INTEQ(img.width, 64);
    CHECK_INTEQ(img.height, 48);
    CHECK_INTEQ(img.has_alpha, 0);
    double e = pat_mean_error(&img);
    CHECK_MSG(e < 12.0, "mean error %.2f", e);
    vg_image_free(&img);
    /* cut in the middle of the VP8 data: incremental decoding runs dry */
    CHECK_INTEQ(dec_prefix(out, n / 2), VG_ERR_TRUNCATED);
    WebPFree(out);
    free(px);
}

static void test_animation(void)
{
    membuf m = animation(30, 20, 3);
    seed("webp-anim.webp", m.p, m.n);
    vg_image img;

    CHECK_INTEQ(dec(m.p, m.n, 0, 0, 0, &img), VG_OK);
    CHECK_INTEQ(img.width, 30);
    CHECK_INTEQ(img.height, 20);
    CHECK_INTEQ(img.frames, 3);
    CHECK_INTEQ(pat_mismatches(&img, 30, 20), 0);
    vg_image_free(&img);
    CHECK_INTEQ(dec(m.p, m.n, 0, 0, 1, &img), VG_OK);
    CHECK_INTEQ(img.frames, 3);
    CHECK_INTEQ(dec_prefix(m.p, m.n - 10), VG_ERR_TRUNCATED);
    CHECK_INTEQ(dec_expired(m.p, m.n), VG_ERR_LIMIT_TIME);
    free(m.p);
}

static void test_shrink_and_grey(void)
{
    membuf m = lossless(600, 520, 0);
    check_shrunk(m.p, m.n, 600, 520);
    check_grey_px(m.p, m.n, 100, 200);
    free(m.p);
}

static void test_hostile(void)
{
    membuf m = lossless(64, 64, 0);
    uint8_t *c = malloc(m.n);
    CHECK_INTEQ(dec_expired(m.p, m.n), VG_ERR_LIMIT_TIME);

    CHECK_INTEQ(dec_prefix(m.p, 14), VG_ERR_TRUNCATED);  /* in the chunk header */
    CHECK_INTEQ(dec_prefix(m.p, 24), VG_ERR_TRUNCATED);  /* in the VP8L header */
    CHECK_INTEQ(dec_prefix(m.p, m.n / 2), VG_ERR_TRUNCATED);
    CHECK_INTEQ(dec_prefix(m.p, m.n * 3 / 4), VG_ERR_TRUNCATED);
    CHECK_INTEQ(dec_flipped(m.p, m.n, 20, 0xff), VG_ERR_CORRUPT); /* VP8L signature */
    /* a chunk larger than its RIFF container is malformed */
    memcpy(c, m.p, m.n);
    c[18] = 0xff;
    CHECK_INTEQ(dec_prefix(c, m.n), VG_ERR_CORRUPT);
    /* both sizes far past the end: the file was cut */
    c[6] = 0xff;
    CHECK_INTEQ(dec_prefix(c, m.n), VG_ERR_TRUNCATED);
    free(c);
    free(m.p);
}

int main(void)
{
    test_lossless();
    test_lossy();
    test_animation();
    test_shrink_and_grey();
    test_hostile();
    TEST_DONE();
}
