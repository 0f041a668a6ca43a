/* test_gif.c - GIF: the first frame on the logical screen, frame count,
 * interlace, transparency, colour-map edge cases and hostile streams. */
#include <gif_lib.h>

#include "imgtest.h"

static int wr(GifFileType *g, const GifByteType *d, int n)
{
    membuf_put(g->UserData, d, (size_t)n);
    return n;
}

/* Palette entry i = (i, 255 - i, 3i); pixel index = the pattern's red. */
static void pal_rgb(int i, uint8_t c[3])
{
    c[0] = (uint8_t)i, c[1] = (uint8_t)(255 - i), c[2] = (uint8_t)(i * 3);
}

typedef struct gif_spec {
    int sw, sh;             /* screen */
    int left, top, w, h;    /* first image */
    int frames, interlace, transparent, bg;
} gif_spec;

static membuf make_gif(const gif_spec *s)
{
    membuf m = {0};
    int e;
    GifFileType *g = EGifOpen(&m, wr, &e);
    ColorMapObject *cm = GifMakeMapObject(256, NULL);
    GifPixelType *line = malloc((size_t)s->w);

    for (int i = 0; i < 256; i++) {
        uint8_t c[3];
        pal_rgb(i, c);
        cm->Colors[i].Red = c[0], cm->Colors[i].Green = c[1], cm->Colors[i].Blue = c[2];
    }
    EGifSetGifVersion(g, true);
    EGifPutScreenDesc(g, s->sw, s->sh, 8, s->bg, cm);
    for (int f = 0; f < s->frames; f++) {
        if (f == 0 && s->transparent) {
            GifByteType gce[4] = {1, 0, 0, 7}; /* transparent index 7 */
            EGifPutExtension(g, GRAPHICS_EXT_FUNC_CODE, 4, gce);
        }
        EGifPutImageDesc(g, s->left, s->top, s->w, s->h, f == 0 && s->interlace, NULL);
        /* giflib expects interlaced lines in stream order */
        static const int start[4] = {0, 4, 2, 1}, step[4] = {8, 8, 4, 2};
        for (int p = 0; p < (f == 0 && s->interlace ? 4 : 1); p++)
            for (int y = f == 0 && s->interlace ? start[p] : 0; y < s->h;
                 y += f == 0 && s->interlace ? step[p] : 1) {
                for (int x = 0; x < s->w; x++) {
                    uint8_t c[3];
                    pat_rgb((uint32_t)x, (uint32_t)y, c);
                    line[x] = (GifPixelType)(c[0] + f);
                }
                EGifPutLine(g, line, s->w);
            }
    }
    EGifCloseFile(g, &e);
    GifFreeMapObject(cm);
    free(line);
    return m;
}

/* Expected canvas pixel: the frame's palette colour inside the rect, else bg. */
static long mismatches(const vg_image *img, const gif_spec *s)
{
    long bad = 0;
    for (uint32_t y = 0; y < img->pix_height; y++)
        for (uint32_t x = 0; x < img->pix_width; x++) {
            uint8_t c[3];
            int fx = (int)x - s->left, fy = (int)y - s->top;
            if (fx >= 0 && fy >= 0 && fx < s->w && fy < s->h) {
                pat_rgb((uint32_t)fx, (uint32_t)fy, c);
                pal_rgb(c[0], c);
            } else {
                pal_rgb(s->bg, c);
            }
            if (memcmp(img->pixels + y * img->stride + 3 * x, c, 3) != 0)
                bad++;
        }
    return bad;
}

static void test_frames(void)
{
    static const gif_spec specs[] = {
        {40, 30, 0, 0, 40, 30, 1, 0, 0, 0},  /* plain */
        {40, 30, 0, 0, 40, 30, 3, 1, 0, 0},  /* interlaced, three frames */
        {50, 40, 5, 7, 20, 10, 2, 0, 1, 9},  /* small first image on a background */
        {10, 10, 4, 3, 20, 17, 1, 1, 0, 2},  /* image sticks out of the screen */
        {0, 0, 0, 0, 13, 11, 1, 0, 0, 0},    /* zero screen */
    };
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        const gif_spec *s = &specs[i];
        membuf m = make_gif(s);
        char name[32];
        snprintf(name, sizeof name, "gif-%zu.gif", i);
        seed(name, m.p, m.n);
        vg_image img;
        uint32_t cw = (uint32_t)(s->sw > s->left + s->w ? s->sw : s->left + s->w);
        uint32_t ch = (uint32_t)(s->sh > s->top + s->h ? s->sh : s->top + s->h);
        CHECK_INTEQ(dec(m.p, m.n, 0, 0, 0, &img), VG_OK);
        CHECK_INTEQ(img.type, VG_IMAGE_GIF);
        CHECK_INTEQ(img.width, cw);
        CHECK_INTEQ(img.height, ch);
        CHECK_INTEQ(img.frames, s->frames);
        CHECK_INTEQ(img.has_alpha, s->transparent);
        CHECK_INTEQ(img.bit_depth, 8);
        CHECK_MSG(mismatches(&img, s) == 0, "spec %zu: %ld pixels differ", i, mismatches(&img, s));
        vg_image_free(&img);
        CHECK_INTEQ(dec(m.p, m.n, 0, 0, 1, &img), VG_OK);
        CHECK_INTEQ(img.frames, s->frames);
        CHECK(img.pixels == NULL);
        free(m.p);
    }
}

static void test_shrink(void)
{
    gif_spec s = {700, 600, 0, 0, 700, 600, 1, 1, 0, 0};
    membuf m = make_gif(&s);
    vg_image img;
    long bad = 0;

    CHECK_INTEQ(dec(m.p, m.n, 512, 0, 0, &img), VG_OK);
    CHECK_INTEQ(img.pix_width, 512);
    CHECK_INTEQ(img.pix_height, 512);
    for (uint32_t y = 0; y < 512; y++)
        for (uint32_t x = 0; x < 512; x++) {
            uint8_t c[3];
            pat_rgb(x * 700 / 512, y * 600 / 512, c);
            pal_rgb(c[0], c);
            bad += memcmp(img.pixels + y * img.stride + 3 * x, c, 3) != 0;
        }
    CHECK_INTEQ(bad, 0);
    vg_image_free(&img);
    free(m.p);
}

/* Offset of the first image's LZW code size byte (after 0x2C and 9 bytes). */
static size_t lzw_offset(const membuf *m)
{
    for (size_t i = 13 + 768; i < m->n; i++)
        if (m->p[i] == 0x2c)
            return i + 10;
    return 0;
}

static void test_hostile(void)
{
    gif_spec s = {40, 30, 0, 0, 40, 30, 2, 0, 0, 0};
    membuf m = make_gif(&s);
    size_t lzw = lzw_offset(&m);
    vg_image img;
    uint8_t *c;

    CHECK(lzw > 0);
    CHECK_INTEQ(dec_expired(m.p, m.n), VG_ERR_LIMIT_TIME);
    CHECK_INTEQ(dec_prefix(m.p, 6), VG_ERR_TRUNCATED);        /* in the screen descriptor */
    CHECK_INTEQ(dec_prefix(m.p, 100), VG_ERR_TRUNCATED);      /* in the colour map */
    CHECK_INTEQ(dec_prefix(m.p, lzw - 4), VG_ERR_TRUNCATED);  /* in the image descriptor */
    CHECK_INTEQ(dec_prefix(m.p, lzw + 20), VG_ERR_TRUNCATED); /* in the LZW data */
    /* cut in the second frame: the first is whole, so it decodes, 1 frame */
    c = malloc(m.n);
    memcpy(c, m.p, m.n);
    CHECK_INTEQ(dec(c, m.n - 20, 0, 0, 0, &img), VG_OK);
    CHECK_INTEQ(img.frames, 1);
    vg_image_free(&img);
    /* bad LZW: minimum code size 12 is not allowed */
    c[lzw] = 12;
    CHECK_INTEQ(dec(c, m.n, 0, 0, 0, &img), VG_ERR_CORRUPT);
    /* bad LZW: a stream of all-ones codes (each one past the table) */
    memcpy(c, m.p, m.n);
    memset(c + lzw + 1, 0xff, 60);
    CHECK_INTEQ(dec(c, m.n, 0, 0, 0, &img), VG_ERR_CORRUPT);
    /* no image at all: header, colour map, trailer */
    memcpy(c, m.p, 13 + 768);
    c[13 + 768] = 0x3b;
    CHECK_INTEQ(dec(c, 13 + 768 + 1, 0, 0, 0, &img), VG_ERR_CORRUPT);
    /* garbage where a block should start */
    c[13 + 768] = 0x55;
    CHECK_INTEQ(dec(c, 13 + 768 + 1, 0, 0, 0, &img), VG_ERR_CORRUPT);
    /* a 65535x65535 screen is over the default limit */
    memcpy(c, m.p, m.n);
    c[6] = c[7] = c[8] = c[9] = 0xff;
    CHECK_INTEQ(dec(c, m.n, 0, 0, 0, &img), VG_ERR_LIMIT_PIXELS);
    free(c);
    free(m.p);
}

/* No global map: the local map is used; no map at all: a grey ramp. */
static void test_colour_maps(void)
{
    gif_spec s = {8, 8, 0, 0, 8, 8, 1, 0, 0, 0};
    membuf m = make_gif(&s);
    uint8_t *c = malloc(m.n);
    size_t n = 0;
    vg_image img;
    uint8_t want[3];

    /* drop the global map: clear the flag and cut the 768 bytes */
    memcpy(c, m.p, 13);
    c[10] &= 0x7f;
    memcpy(c + 13, m.p + 13 + 768, m.n - 13 - 768);
    n = m.n - 768;
    CHECK_INTEQ(dec(c, n, 0, 0, 0, &img), VG_OK);
    pat_rgb(3, 5, want);
    CHECK_INTEQ(img.pixels[5 * img.stride + 9], want[0]);
    CHECK_INTEQ(img.pixels[5 * img.stride + 10], want[0]);
    vg_image_free(&img);
    /* a global map of 2 entries for indices up to 255: the rest are black */
    memcpy(c, m.p, 13 + 6);
    c[10] = (uint8_t)(c[10] & ~7);
    memcpy(c + 19, m.p + 13 + 768, m.n - 13 - 768);
    n = m.n - 762;
    CHECK_INTEQ(dec(c, n, 0, 0, 0, &img), VG_OK);
    long bad = 0;
    for (uint32_t y = 0; img.pixels && y < 8; y++)
        for (uint32_t x = 0; x < 8; x++) {
            uint8_t c3[3] = {0, 0, 0};
            pat_rgb(x, y, want);
            if (want[0] < 2)
                pal_rgb(want[0], c3);
            bad += memcmp(img.pixels + y * img.stride + 3 * x, c3, 3) != 0;
        }
    CHECK_INTEQ(bad, 0);
    vg_image_free(&img);
    free(c);
    free(m.p);
}

int main(void)
{
    test_frames();
    test_shrink();
    test_hostile();
    test_colour_maps();
    TEST_DONE();
}
