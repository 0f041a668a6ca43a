/* test_evidence_carve.c - the carver on buffers with known layouts: true
 * ends (an EXIF thumbnail does not cut a JPEG short), back-to-back objects not
 * merged, a JPEG overwritten by the next file carved as truncated, a bad PNG
 * CRC rejected, max_size honoured, noise without false objects. */
#include <webp/encode.h>

#include "evtest.h"
#include "imgmake.h"

typedef struct hits {
    vg_carve_hit h[64];
    int n;
    size_t len;
    int oob;
} hits;

static int on_hit(const vg_carve_hit *hit, void *ctx)
{
    hits *hs = ctx;
    hs->oob |= hit->offset + hit->length > hs->len || hit->length == 0;
    if (hs->n < 64)
        hs->h[hs->n++] = *hit;
    return 0;
}

static void carve(const uint8_t *b, size_t len, uint64_t max, hits *hs)
{
    memset(hs, 0, sizeof *hs);
    hs->len = len;
    vg_carve_mem(b, len, max, on_hit, hs);
    CHECK(!hs->oob);
}

static void expect_hit(const hits *hs, int i, const char *type, size_t off, size_t len, int trunc)
{
    if (i >= hs->n) {
        CHECK_MSG(0, "missing hit %d (%s at %zu)", i, type, off);
        return;
    }
    CHECK_STREQ(hs->h[i].type, type);
    CHECK_INTEQ(hs->h[i].offset, off);
    CHECK_INTEQ(hs->h[i].length, len);
    CHECK_INTEQ(hs->h[i].truncated, trunc);
}

static size_t add(uint8_t *buf, size_t at, const void *p, size_t n)
{
    memcpy(buf + at, p, n);
    return at + n;
}

static void save_seed(const char *name, const void *p, size_t n)
{
    char path[8800];
    snprintf(path, sizeof path, "%s/seed-%s", test_tmpdir(), name);
    ev_write(path, p, n); /* copied by hand into fuzz/corpus/carve/ */
}

int main(void)
{
    size_t ml, tl, el, pl, al, bl;
    uint8_t *m = ev_jpeg(160, 120, 7, &ml), *t = ev_jpeg(48, 32, 8, &tl), *e, *p = im_png(20, 2, &pl);
    uint8_t *a = ev_jpeg(96, 64, 9, &al), *b2 = ev_jpeg(64, 64, 10, &bl);
    uint8_t bmp[102], webp[64], *buf = malloc(1 << 20);
    size_t wl = im_webp(webp, 33), bml = im_bmp(bmp), at = 0, o[10];
    hits hs;
    e = ev_with_thumb(m, ml, t, tl, &el);
    memset(buf, 0x55, 1 << 20);
    at = 100;
    o[0] = at, at = add(buf, at, e, el);          /* JPEG with thumbnail */
    o[1] = at, at = add(buf, at, a, al);          /* directly followed by another JPEG */
    o[2] = at, at = add(buf, at, p, pl);          /* PNG */
    at += 37;
    o[3] = at, at = add(buf, at, im_gif1x1, sizeof im_gif1x1);
    o[4] = at, at = add(buf, at, bmp, bml);
    o[5] = at, at = add(buf, at, webp, wl);
    at += 3;
    o[6] = at, at = add(buf, at, a, al / 2);      /* first half of a JPEG, overwritten by */
    o[7] = at, at = add(buf, at, b2, bl);         /* a whole other JPEG */
    carve(buf, at + 50, 0, &hs);
    CHECK_INTEQ(hs.n, 8);
    expect_hit(&hs, 0, "jpeg", o[0], el, 0);
    expect_hit(&hs, 1, "jpeg", o[1], al, 0);
    expect_hit(&hs, 2, "png", o[2], pl, 0);
    expect_hit(&hs, 3, "gif", o[3], sizeof im_gif1x1, 0);
    expect_hit(&hs, 4, "bmp", o[4], bml, 0);
    expect_hit(&hs, 5, "webp", o[5], wl, 0);
    expect_hit(&hs, 6, "jpeg", o[6], al / 2, 1);
    expect_hit(&hs, 7, "jpeg", o[7], bl, 0);

    /* max_size below the first JPEG: carved up to max_size as truncated, and
     * its thumbnail is not carved apart */
    carve(buf, o[1], el - 1, &hs);
    CHECK_INTEQ(hs.n, 1);
    expect_hit(&hs, 0, "jpeg", o[0], el - 1, 1);
    /* max_size ending inside the APP1 segment (before any scan data): not a
     * JPEG at all, and the thumbnail inside is then found on its own */
    carve(buf, o[1], tl, &hs);
    CHECK(hs.n >= 1 && hs.h[0].offset > o[0] && hs.h[0].length == tl && !hs.h[0].truncated);

    /* a JPEG cut by the end of the buffer: truncated, up to the end */
    carve(e, el - 10, 0, &hs);
    CHECK_INTEQ(hs.n, 1);
    expect_hit(&hs, 0, "jpeg", 0, el - 10, 1);

    /* a PNG with a broken IDAT CRC is not a PNG */
    p[pl - 12 - 1] ^= 1;
    carve(p, pl, 0, &hs);
    CHECK_INTEQ(hs.n, 0);
    p[pl - 12 - 1] ^= 1;

    /* real WebP files from libwebp, lossy (VP8) and lossless (VP8L), back to back */
    {
        uint8_t rgb[32 * 24 * 3], *lossy = NULL, *lossless = NULL;
        size_t ly, ll;
        for (size_t i = 0; i < sizeof rgb; i++)
            rgb[i] = (uint8_t)(i * 7 + i / 96);
        ly = WebPEncodeRGB(rgb, 32, 24, 96, 80, &lossy);
        ll = WebPEncodeLosslessRGB(rgb, 32, 24, 96, &lossless);
        CHECK(ly > 0 && ll > 0);
        memset(buf, 0, 4096);
        memcpy(buf + 10, lossy, ly);
        memcpy(buf + 10 + ly, lossless, ll);
        carve(buf, 10 + ly + ll + 10, 0, &hs);
        CHECK_INTEQ(hs.n, 2);
        expect_hit(&hs, 0, "webp", 10, ly, 0);
        expect_hit(&hs, 1, "webp", 10 + ly, ll, 0);
        save_seed("lossy.webp", lossy, ly);
        save_seed("lossless.webp", lossless, ll);
        WebPFree(lossy);
        WebPFree(lossless);
    }

    /* noise: no objects, no reads out of bounds */
    {
        uint32_t x = 99;
        for (size_t i = 0; i < (1u << 20); i++)
            buf[i] = (uint8_t)((x = x * 1664525u + 1013904223u) >> 24);
        carve(buf, 1u << 20, 0, &hs);
        CHECK_INTEQ(hs.n, 0);
    }
    save_seed("exif.jpg", e, el);
    save_seed("a.png", p, pl);
    save_seed("a.gif", im_gif1x1, sizeof im_gif1x1);
    save_seed("a.bmp", bmp, bml);
    save_seed("a.webp", webp, wl);
    free(m), free(t), free(e), free(p), free(a), free(b2), free(buf);
    TEST_DONE();
}
