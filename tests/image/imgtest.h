/* imgtest.h - what the image tests share: a deterministic test pattern, a
 * growing memory buffer for the encoders, and decode/compare helpers. */
#ifndef VIGIL_IMGTEST_H
#define VIGIL_IMGTEST_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "vigil/image.h"

/* The pattern every encoder is fed: varies along both axes, every channel
 * different, so that a swapped channel, a flipped or shifted row shows. */
static inline void pat_rgb(uint32_t x, uint32_t y, uint8_t out[3])
{
    out[0] = (uint8_t)(x * 7 + y * 3);
    out[1] = (uint8_t)(x * 2 + y * 9 + 40);
    out[2] = (uint8_t)((x ^ y) * 5);
}

static inline uint8_t *pat_image(uint32_t w, uint32_t h, int channels)
{
    uint8_t *p = malloc((size_t)w * h * (size_t)channels);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            uint8_t *d = p + ((size_t)y * w + x) * (size_t)channels, c[3];
            pat_rgb(x, y, c);
            if (channels == 1) {
                d[0] = c[0];
                continue;
            }
            memcpy(d, c, 3);
            if (channels == 4)
                d[3] = 200;
        }
    return p;
}

/* Pixels of img that differ from the pattern sampled at (xs(x), ys(y)),
 * where a side over img's is sampled by nearest neighbour as PDQ does. */
static inline long pat_mismatches(const vg_image *img, uint32_t src_w, uint32_t src_h)
{
    long bad = 0;
    if (!img->pixels || img->channels != 3)
        return -1;
    for (uint32_t y = 0; y < img->pix_height; y++)
        for (uint32_t x = 0; x < img->pix_width; x++) {
            uint32_t sx = (uint32_t)((uint64_t)x * src_w / img->pix_width);
            uint32_t sy = (uint32_t)((uint64_t)y * src_h / img->pix_height);
            uint8_t c[3];
            pat_rgb(sx, sy, c);
            if (memcmp(img->pixels + y * img->stride + 3 * (size_t)x, c, 3) != 0)
                bad++;
        }
    return bad;
}

/* Mean absolute difference from the pattern (for lossy codecs). */
static inline double pat_mean_error(const vg_image *img)
{
    double sum = 0;
    if (!img->pixels || img->channels != 3)
        return 1e9;
    for (uint32_t y = 0; y < img->pix_height; y++)
        for (uint32_t x = 0; x < img->pix_width; x++) {
            uint8_t c[3];
            const uint8_t *p = img->pixels + y * img->stride + 3 * (size_t)x;
            pat_rgb(x, y, c);
            for (int i = 0; i < 3; i++)
                sum += abs((int)p[i] - (int)c[i]);
        }
    return sum / (3.0 * img->pix_width * img->pix_height);
}

/* A growing buffer for encoders that write through callbacks. */
typedef struct membuf {
    uint8_t *p;
    size_t n, cap;
} membuf;

static inline void membuf_put(membuf *m, const void *d, size_t n)
{
    if (m->n + n > m->cap) {
        m->cap = (m->n + n) * 2 + 256;
        m->p = realloc(m->p, m->cap);
    }
    memcpy(m->p + m->n, d, n);
    m->n += n;
}

/* With VG_SEED_DIR set, writes b there as name: the fuzz seeds in
 * fuzz/corpus/decode/ are the tests' own images, made this way. */
static inline void seed(const char *name, const uint8_t *b, size_t n)
{
    const char *dir = getenv("VG_SEED_DIR");
    char path[4096];
    FILE *f;
    if (!dir)
        return;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if ((f = fopen(path, "wb")) != NULL) {
        fwrite(b, 1, n, f);
        fclose(f);
    }
}

/* Decodes with default limits and the given flags; returns the status. */
static inline vg_status dec(const uint8_t *b, size_t n, uint32_t pdq_side, int grey,
                            int header_only, vg_image *img)
{
    vg_decode_opts o;
    vg_error e;
    vg_status st;
    memset(&o, 0, sizeof o);
    o.pdq_side = pdq_side;
    o.grey = grey;
    o.header_only = header_only;
    st = vg_image_decode(b, n, &o, img, &e);
    if (getenv("VG_TEST_VERBOSE") && st != VG_OK)
        fprintf(stderr, "  decode: %s\n", e.msg);
    return st;
}

/* Decodes with the PDQ pre-shrink: an image of src_w x src_h pattern pixels
 * must come out as exactly 512x512 nearest-neighbour samples. */
static inline void check_shrunk(const uint8_t *b, size_t n, uint32_t src_w, uint32_t src_h)
{
    vg_image img;
    long bad;
    CHECK_INTEQ(dec(b, n, 512, 0, 0, &img), VG_OK);
    CHECK_INTEQ(img.width, src_w);
    CHECK_INTEQ(img.height, src_h);
    CHECK_INTEQ(img.pix_width, 512);
    CHECK_INTEQ(img.pix_height, 512);
    bad = pat_mismatches(&img, src_w, src_h);
    CHECK_MSG(bad == 0, "%ux%u shrunk: %ld pixels differ", src_w, src_h, bad);
    vg_image_free(&img);
}

/* Decodes to grey: pattern pixel (x, y) must be its rounded BT.601 luma. */
static inline void check_grey_px(const uint8_t *b, size_t n, uint32_t x, uint32_t y)
{
    vg_image img;
    uint8_t c[3];
    CHECK_INTEQ(dec(b, n, 0, 1, 0, &img), VG_OK);
    CHECK_INTEQ(img.channels, 1);
    pat_rgb(x, y, c);
    if (img.pixels)
        CHECK_INTEQ(img.pixels[y * img.stride + x],
                    (299 * c[0] + 587 * c[1] + 114 * c[2] + 500) / 1000);
    vg_image_free(&img);
}

/* Status of a decode whose deadline has passed before it starts (a time
 * limit of 1 ns): every decoder must notice at its first check. */
static inline vg_status dec_expired(const uint8_t *b, size_t n)
{
    vg_limits lim = {0, 0, 1e-9};
    vg_decode_opts o;
    vg_image img;
    vg_status st;
    memset(&o, 0, sizeof o);
    o.limits = &lim;
    st = vg_image_decode(b, n, &o, &img, NULL);
    vg_image_free(&img);
    return st;
}

/* Status of decoding the first n bytes of b (a copy, so ASan sees overreads). */
static inline vg_status dec_prefix(const uint8_t *b, size_t n)
{
    uint8_t *c = malloc(n ? n : 1);
    vg_image img;
    vg_status st;
    memcpy(c, b, n);
    st = dec(c, n, 0, 0, 0, &img);
    vg_image_free(&img);
    free(c);
    return st;
}

/* Status of decoding b with byte i XORed with x. */
static inline vg_status dec_flipped(const uint8_t *b, size_t n, size_t i, uint8_t x)
{
    uint8_t *c = malloc(n);
    vg_image img;
    vg_status st;
    memcpy(c, b, n);
    c[i] ^= x;
    st = dec(c, n, 0, 0, 0, &img);
    vg_image_free(&img);
    free(c);
    return st;
}

#endif
