/* imgmake.h - small PNG, GIF, BMP and WebP objects for the carving tests. */
#ifndef VIGIL_IMGMAKE_H
#define VIGIL_IMGMAKE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static inline void im_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

static inline size_t im_chunk(uint8_t *o, const char *type, const uint8_t *data, uint32_t n)
{
    im_be32(o, n);
    memcpy(o + 4, type, 4);
    if (n)
        memcpy(o + 8, data, n);
    im_be32(o + 8 + n, (uint32_t)crc32(crc32(0, NULL, 0), o + 4, n + 4));
    return 12 + n;
}

/* A w x w RGB PNG of a pattern; caller frees. */
static inline uint8_t *im_png(int w, int seed, size_t *len)
{
    size_t raw_len = (size_t)w * (1 + 3 * (size_t)w);
    uint8_t *raw = malloc(raw_len), *o;
    uLongf zl = compressBound((uLong)raw_len);
    uint8_t *z = malloc(zl), ihdr[13] = {0};
    size_t n = 8;
    for (int y = 0; y < w; y++) {
        uint8_t *r = raw + (size_t)y * (1 + 3 * (size_t)w);
        r[0] = 0;
        for (int x = 0; x < 3 * w; x++)
            r[1 + x] = (uint8_t)(x * 7 + y * 3 + seed * 31);
    }
    compress(z, &zl, raw, (uLong)raw_len);
    o = malloc(zl + 64);
    memcpy(o, "\x89PNG\r\n\x1a\n", 8);
    im_be32(ihdr, (uint32_t)w);
    im_be32(ihdr + 4, (uint32_t)w);
    ihdr[8] = 8, ihdr[9] = 2;
    n += im_chunk(o + n, "IHDR", ihdr, 13);
    n += im_chunk(o + n, "IDAT", z, (uint32_t)zl);
    n += im_chunk(o + n, "IEND", NULL, 0);
    free(raw);
    free(z);
    *len = n;
    return o;
}

static const uint8_t im_gif1x1[] = {0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80,
                                    0x00, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00,
                                    0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01,
                                    0x00, 0x3B};

/* A 4x4 24-bit BMP (102 bytes) into o. */
static inline size_t im_bmp(uint8_t *o)
{
    memset(o, 0, 102);
    o[0] = 'B', o[1] = 'M', o[2] = 102, o[10] = 54, o[14] = 40, o[18] = 4, o[22] = 4;
    o[26] = 1, o[28] = 24;
    for (int i = 54; i < 102; i++)
        o[i] = (uint8_t)(i * 5);
    return 102;
}

/* A structurally valid lossless WebP (RIFF, one VP8L chunk) of n payload bytes into o. */
static inline size_t im_webp(uint8_t *o, uint32_t n)
{
    uint32_t riff = 4 + 8 + n + (n & 1);
    memcpy(o, "RIFF", 4);
    o[4] = (uint8_t)riff, o[5] = (uint8_t)(riff >> 8), o[6] = (uint8_t)(riff >> 16), o[7] = 0;
    memcpy(o + 8, "WEBPVP8L", 8);
    o[16] = (uint8_t)n, o[17] = (uint8_t)(n >> 8), o[18] = (uint8_t)(n >> 16), o[19] = 0;
    o[20] = 0x2F;
    for (uint32_t i = 1; i < n + (n & 1); i++)
        o[20 + i] = (uint8_t)(i * 13);
    return 8 + riff;
}

#endif
