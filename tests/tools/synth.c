/* synth.c - seeded synthetic pictures and their JPEG/PNG encoding. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

#include "synth.h"

static uint32_t rnd(uint32_t *s)
{
    /* xorshift32: tiny, seedable, identical everywhere */
    uint32_t x = *s ? *s : 0x9e3779b9u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

static uint8_t clamp8(double v)
{
    return v < 0 ? 0 : v > 255 ? 255 : (uint8_t)lrint(v);
}

uint8_t *synth_scene(uint32_t seed, int w, int h)
{
    uint8_t *rgb = malloc((size_t)w * h * 3);
    uint32_t s = seed * 2654435761u + 1;
    double c0[3], c1[3], disc[6][6];
    int nd = 3 + (int)(rnd(&s) % 4);

    if (!rgb)
        return NULL;
    for (int k = 0; k < 3; k++) {
        c0[k] = rnd(&s) % 256;
        c1[k] = rnd(&s) % 256;
    }
    for (int d = 0; d < nd; d++) {
        disc[d][0] = (rnd(&s) % 1000) / 1000.0 * w; /* centre x */
        disc[d][1] = (rnd(&s) % 1000) / 1000.0 * h; /* centre y */
        disc[d][2] = (0.05 + (rnd(&s) % 1000) / 4000.0) * (w < h ? w : h); /* radius */
        for (int k = 0; k < 3; k++)
            disc[d][3 + k] = rnd(&s) % 256;
    }
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            double t = (double)(x + y) / (w + h);
            double px[3];
            for (int k = 0; k < 3; k++)
                px[k] = c0[k] * (1 - t) + c1[k] * t + 20 * sin(x * 0.05 + k) * cos(y * 0.03);
            for (int d = 0; d < nd; d++) {
                double dx = x - disc[d][0], dy = y - disc[d][1];
                if (dx * dx + dy * dy < disc[d][2] * disc[d][2])
                    for (int k = 0; k < 3; k++)
                        px[k] = disc[d][3 + k];
            }
            uint8_t *p = rgb + ((size_t)y * w + x) * 3;
            for (int k = 0; k < 3; k++)
                p[k] = clamp8(px[k] + (double)(rnd(&s) % 9) - 4);
        }
    }
    return rgb;
}

uint8_t *synth_resize(const uint8_t *rgb, int w, int h, int nw, int nh)
{
    uint8_t *out = malloc((size_t)nw * nh * 3);
    if (!out)
        return NULL;
    for (int y = 0; y < nh; y++)
        for (int x = 0; x < nw; x++)
            memcpy(out + ((size_t)y * nw + x) * 3,
                   rgb + ((size_t)(y * h / nh) * w + (size_t)(x * w / nw)) * 3, 3);
    return out;
}

void synth_mirror(uint8_t *rgb, int w, int h)
{
    for (int y = 0; y < h; y++) {
        uint8_t *row = rgb + (size_t)y * w * 3;
        for (int x = 0; x < w / 2; x++) {
            uint8_t t[3];
            memcpy(t, row + x * 3, 3);
            memcpy(row + x * 3, row + (w - 1 - x) * 3, 3);
            memcpy(row + (w - 1 - x) * 3, t, 3);
        }
    }
}

int synth_write_jpeg(const char *path, const uint8_t *rgb, int w, int h, int quality)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr jerr;
    FILE *f = fopen(path, "wb");

    if (!f)
        return -1;
    c.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&c);
    jpeg_stdio_dest(&c, f);
    c.image_width = (JDIMENSION)w;
    c.image_height = (JDIMENSION)h;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, quality, TRUE);
    jpeg_start_compress(&c, TRUE);
    while (c.next_scanline < c.image_height) {
        JSAMPROW row = (JSAMPROW)(rgb + (size_t)c.next_scanline * w * 3);
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    return fclose(f) == 0 ? 0 : -1;
}

int synth_write_png(const char *path, const uint8_t *rgb, int w, int h)
{
    png_image img;

    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = (png_uint_32)w;
    img.height = (png_uint_32)h;
    img.format = PNG_FORMAT_RGB;
    return png_image_write_to_file(&img, path, 0, rgb, 0, NULL) ? 0 : -1;
}
