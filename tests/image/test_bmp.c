/* test_bmp.c - BMP: our own writer makes every header size, bit depth,
 * row order and compression the decoder claims to read; then hostile
 * headers, offsets and RLE streams with exact error codes. */
#include "imgtest.h"

typedef struct bmp_spec {
    int32_t w, h; /* h < 0: top-down */
    int bpp, hs, comp;
    uint32_t masks[4];
} bmp_spec;

static void le(membuf *m, uint32_t v, int n)
{
    for (int i = 0; i < n; i++) {
        uint8_t b = (uint8_t)(v >> (8 * i));
        membuf_put(m, &b, 1);
    }
}

static void pal_rgb(int i, uint8_t c[3])
{
    c[0] = (uint8_t)i, c[1] = (uint8_t)(255 - i), c[2] = (uint8_t)(i * 3);
}

static unsigned idx_at(const bmp_spec *s, uint32_t x, uint32_t y)
{
    uint8_t c[3];
    pat_rgb(x, y, c);
    return c[0] & ((1u << s->bpp) - 1);
}

static uint32_t scale(uint32_t v, uint32_t max)
{
    return (v * 255 + max / 2) / max;
}

/* What the decoder should give at (x, y), top row first. */
static void expect(const bmp_spec *s, uint32_t x, uint32_t y, uint8_t out[3])
{
    pat_rgb(x, y, out);
    if (s->bpp <= 8) {
        pal_rgb((int)idx_at(s, x, y), out);
    } else if (s->bpp == 16) {
        int g6 = s->comp == 3 && s->masks[1] == 0x07e0;
        out[0] = (uint8_t)scale(out[0] >> 3, 31);
        out[1] = (uint8_t)(g6 ? scale(out[1] >> 2, 63) : scale(out[1] >> 3, 31));
        out[2] = (uint8_t)scale(out[2] >> 3, 31);
    }
}

static uint32_t pixel_value(const bmp_spec *s, uint32_t x, uint32_t y)
{
    uint8_t c[3];
    pat_rgb(x, y, c);
    if (s->bpp == 16 && s->comp == 3 && s->masks[1] == 0x07e0)
        return (uint32_t)(c[0] >> 3) << 11 | (uint32_t)(c[1] >> 2) << 5 | (c[2] >> 3);
    if (s->bpp == 16)
        return (uint32_t)(c[0] >> 3) << 10 | (uint32_t)(c[1] >> 3) << 5 | (c[2] >> 3);
    return (uint32_t)c[0] << 16 | (uint32_t)c[1] << 8 | c[2] | 0x80000000u;
}

static void stored_row(const bmp_spec *s, uint32_t y, membuf *m)
{
    uint32_t w = (uint32_t)s->w;
    size_t start = m->n, stride = ((size_t)w * s->bpp + 31) / 32 * 4;
    uint8_t acc = 0;
    int bits = 0;

    for (uint32_t x = 0; x < w; x++) {
        if (s->bpp <= 8) {
            acc = (uint8_t)(acc << s->bpp | idx_at(s, x, y));
            if ((bits += s->bpp) == 8)
                le(m, acc, 1), acc = 0, bits = 0;
        } else if (s->bpp == 24) {
            uint8_t c[3];
            pat_rgb(x, y, c);
            le(m, c[2], 1), le(m, c[1], 1), le(m, c[0], 1);
        } else {
            le(m, pixel_value(s, x, y), s->bpp / 8);
        }
    }
    if (bits)
        le(m, (uint32_t)(acc << (8 - bits)), 1);
    while (m->n - start < stride)
        le(m, 0, 1);
}

/* RLE rows: runs of equal indices (RLE4 runs hold one index in both nibbles). */
static void rle_row(const bmp_spec *s, uint32_t y, membuf *m)
{
    uint32_t w = (uint32_t)s->w;
    for (uint32_t x = 0; x < w;) {
        unsigned v = idx_at(s, x, y), n = 1;
        while (x + n < w && n < 255 && idx_at(s, x + n, y) == v)
            n++;
        le(m, n, 1);
        le(m, s->bpp == 4 ? v << 4 | v : v, 1);
        x += n;
    }
    le(m, 0, 2); /* end of line */
}

static membuf make_bmp(const bmp_spec *s)
{
    membuf m = {0};
    uint32_t h = (uint32_t)(s->h < 0 ? -s->h : s->h);
    int core = s->hs == 12, nmask = s->hs == 40 && s->comp == 3 ? 3 : 0;
    uint32_t npal = s->bpp <= 8 ? 1u << s->bpp : 0, entry = core ? 3 : 4;
    uint32_t off = 14 + (uint32_t)s->hs + 4 * (uint32_t)nmask + npal * entry;

    membuf_put(&m, "BM", 2);
    le(&m, 0, 4); /* file size, patched below */
    le(&m, 0, 4);
    le(&m, off, 4);
    le(&m, (uint32_t)s->hs, 4);
    if (core) {
        le(&m, (uint32_t)s->w, 2), le(&m, h, 2), le(&m, 1, 2), le(&m, (uint32_t)s->bpp, 2);
    } else {
        le(&m, (uint32_t)s->w, 4), le(&m, (uint32_t)s->h, 4), le(&m, 1, 2);
        le(&m, (uint32_t)s->bpp, 2), le(&m, (uint32_t)s->comp, 4);
        for (int i = 0; i < 5; i++)
            le(&m, 0, 4); /* image size, resolution, colours used, important */
        for (int i = 0; i < 4 && s->hs >= 56; i++)
            le(&m, s->masks[i], 4);
        while (m.n < 14 + (size_t)s->hs)
            le(&m, 0, 1);
    }
    for (int i = 0; i < nmask; i++)
        le(&m, s->masks[i], 4);
    for (uint32_t i = 0; i < npal; i++) {
        uint8_t c[3];
        pal_rgb((int)i, c);
        le(&m, c[2], 1), le(&m, c[1], 1), le(&m, c[0], 1);
        if (!core)
            le(&m, 0, 1);
    }
    for (uint32_t r = 0; r < h; r++) {
        uint32_t y = s->h < 0 ? r : h - 1 - r;
        if (s->comp == 1 || s->comp == 2)
            rle_row(s, y, &m);
        else
            stored_row(s, y, &m);
    }
    if (s->comp == 1 || s->comp == 2)
        le(&m, 0x0100, 2); /* end of bitmap */
    m.p[2] = (uint8_t)m.n, m.p[3] = (uint8_t)(m.n >> 8), m.p[4] = (uint8_t)(m.n >> 16);
    return m;
}

static long mismatches(const vg_image *img, const bmp_spec *s)
{
    long bad = 0;
    for (uint32_t y = 0; y < img->pix_height; y++)
        for (uint32_t x = 0; x < img->pix_width; x++) {
            uint8_t c[3];
            expect(s, x * img->width / img->pix_width, y * img->height / img->pix_height, c);
            bad += memcmp(img->pixels + y * img->stride + 3 * x, c, 3) != 0;
        }
    return bad;
}

static const bmp_spec variants[] = {
    {23, 17, 24, 40, 0, {0}},
    {23, -17, 24, 40, 0, {0}},
    {23, 17, 24, 12, 0, {0}},
    {23, 17, 8, 40, 0, {0}},
    {23, 17, 8, 12, 0, {0}},
    {23, 17, 4, 40, 0, {0}},
    {23, -17, 1, 40, 0, {0}},
    {23, 17, 2, 40, 0, {0}},
    {23, 17, 16, 40, 0, {0}},
    {23, 17, 16, 40, 3, {0xf800, 0x07e0, 0x001f, 0}},
    {23, 17, 32, 40, 0, {0}},
    {23, 17, 32, 56, 3, {0xff0000, 0xff00, 0xff, 0xff000000u}},
    {23, 17, 32, 108, 3, {0xff0000, 0xff00, 0xff, 0xff000000u}},
    {23, -17, 32, 124, 3, {0xff0000, 0xff00, 0xff, 0xff000000u}},
    {23, 17, 8, 40, 1, {0}},
    {23, 17, 4, 40, 2, {0}},
    {300, 200, 8, 124, 1, {0}},
};

static void test_variants(void)
{
    for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
        const bmp_spec *s = &variants[i];
        membuf m = make_bmp(s);
        char name[32];
        snprintf(name, sizeof name, "bmp-%zu.bmp", i);
        if (i != 16) /* the 300x200 one is big */
            seed(name, m.p, m.n);
        vg_image img;
        CHECK_MSG(dec(m.p, m.n, 0, 0, 0, &img) == VG_OK, "variant %zu", i);
        CHECK_INTEQ(img.type, VG_IMAGE_BMP);
        CHECK_INTEQ(img.width, (uint32_t)s->w);
        CHECK_INTEQ(img.height, (uint32_t)(s->h < 0 ? -s->h : s->h));
        CHECK_INTEQ(img.has_alpha, s->masks[3] != 0);
        CHECK_MSG(img.pixels && mismatches(&img, s) == 0, "variant %zu: %ld pixels differ", i,
                  img.pixels ? mismatches(&img, s) : -1);
        vg_image_free(&img);
        free(m.p);
    }
}

static void test_shrink_grey_header(void)
{
    bmp_spec s = {1000, 600, 24, 40, 0, {0}};
    membuf m = make_bmp(&s);
    vg_image img;

    check_shrunk(m.p, m.n, 1000, 600);
    check_grey_px(m.p, m.n, 999, 599);
    CHECK_INTEQ(dec(m.p, m.n, 0, 0, 1, &img), VG_OK);
    CHECK_INTEQ(img.width, 1000);
    CHECK_INTEQ(img.bit_depth, 8);
    CHECK(img.pixels == NULL);
    free(m.p);
}

static void set32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16), p[3] = (uint8_t)(v >> 24);
}

static vg_status with32(const membuf *m, size_t at, uint32_t v, size_t n)
{
    uint8_t *c = malloc(m->n);
    vg_image img;
    vg_status st;
    memcpy(c, m->p, m->n);
    set32(c + at, v);
    st = dec(c, n, 0, 0, 0, &img);
    vg_image_free(&img);
    free(c);
    return st;
}

static void test_hostile(void)
{
    bmp_spec s = {64, 64, 8, 40, 0, {0}};
    membuf m = make_bmp(&s);
    CHECK_INTEQ(dec_expired(m.p, m.n), VG_ERR_LIMIT_TIME);

    CHECK_INTEQ(dec_prefix(m.p, 30), VG_ERR_TRUNCATED);     /* in the info header */
    CHECK_INTEQ(dec_prefix(m.p, 54 + 500), VG_ERR_TRUNCATED); /* in the palette */
    CHECK_INTEQ(dec_prefix(m.p, 1078), VG_ERR_TRUNCATED);   /* at the pixel data */
    CHECK_INTEQ(dec_prefix(m.p, m.n - 64), VG_ERR_TRUNCATED); /* last row missing */
    CHECK_INTEQ(with32(&m, 18, 100000, m.n), VG_ERR_TRUNCATED); /* 6.4 MP, rows missing */
    /* 64 x 100000 top-down: within limits, but the rows are not there */
    CHECK_INTEQ(with32(&m, 22, (uint32_t)-100000, m.n), VG_ERR_TRUNCATED);
    CHECK_INTEQ(with32(&m, 22, 0x80000000u, m.n), VG_ERR_CORRUPT); /* INT32_MIN height */
    CHECK_INTEQ(with32(&m, 18, (uint32_t)-5, m.n), VG_ERR_CORRUPT); /* negative width */
    CHECK_INTEQ(with32(&m, 18, 0, m.n), VG_ERR_CORRUPT);             /* zero width */
    /* both sides huge: refused before anything is allocated */
    uint8_t *c = malloc(m.n);
    memcpy(c, m.p, m.n);
    set32(c + 18, 100000);
    set32(c + 22, 100000);
    CHECK_INTEQ(dec_prefix(c, m.n), VG_ERR_LIMIT_PIXELS);
    set32(c + 18, 0x7fffffff);
    set32(c + 22, 0x7fffffff);
    CHECK_INTEQ(dec_prefix(c, m.n), VG_ERR_LIMIT_PIXELS);
    /* with no pixel limit the row arithmetic must not wrap: the rows are missing */
    vg_limits lim = {0, 0, 0};
    vg_decode_opts o = {.limits = &lim, .pdq_side = 512};
    vg_image img;
    CHECK_INTEQ(vg_image_decode(c, m.n, &o, &img, NULL), VG_ERR_TRUNCATED);
    free(c);
    /* pixel offset past the end: the header's file size tells cut from corrupt */
    CHECK_INTEQ(with32(&m, 10, 0xfffffff0u, m.n), VG_ERR_CORRUPT);
    CHECK_INTEQ(with32(&m, 2, 0, m.n), VG_OK);
    c = malloc(m.n);
    memcpy(c, m.p, m.n);
    set32(c + 10, 0xfffffff0u);
    set32(c + 2, 0xffffffffu);
    CHECK_INTEQ(dec_prefix(c, m.n), VG_ERR_TRUNCATED);
    set32(c + 10, 20); /* inside the headers: identification already refuses it */
    CHECK_INTEQ(dec_prefix(c, m.n), VG_ERR_FORMAT);
    set32(c + 10, 100); /* inside the palette: read as a palette cut short (lenient) */
    CHECK_INTEQ(dec_prefix(c, m.n), VG_OK);
    free(c);
    CHECK_INTEQ(with32(&m, 28, 7, m.n), VG_ERR_CORRUPT);    /* 7 bits per pixel (and planes) */
    CHECK_INTEQ(with32(&m, 30, 4, m.n), VG_ERR_UNSUPPORTED); /* embedded JPEG */
    CHECK_INTEQ(with32(&m, 30, 9, m.n), VG_ERR_UNSUPPORTED); /* unknown compression */
    CHECK_INTEQ(with32(&m, 30, 2, m.n), VG_ERR_CORRUPT);    /* RLE4 with 8 bits */
    CHECK_INTEQ(with32(&m, 46, 0xffffffffu, m.n), VG_OK);   /* absurd colours-used */
    free(m.p);
}

/* Hand-made RLE8: delta, absolute run, runs past the row end, delta past
 * the bottom, and a stream cut before its end. */
static void test_rle_edges(void)
{
    bmp_spec s = {4, 3, 8, 40, 1, {0}};
    membuf m = make_bmp(&s);
    size_t off = 1078;
    static const uint8_t stream[] = {
        3, 5,          /* row 0 (bottom): 5 5 5 */
        0, 2, 0, 1,    /* delta: down one row, same column (3) */
        9, 7,          /* 7 at column 3 and 8 more clipped */
        0, 0,          /* end of line -> row 2 */
        0, 3, 1, 2, 3, 0, /* absolute: 1 2 3, padded */
        0, 1,          /* end of bitmap */
    };
    vg_image img;
    uint8_t want[3][4] = {{1, 2, 3, 0}, {0, 0, 0, 7}, {5, 5, 5, 0}}; /* top row first */

    m.n = off;
    membuf_put(&m, stream, sizeof stream);
    CHECK_INTEQ(dec(m.p, m.n, 0, 0, 0, &img), VG_OK);
    for (int y = 0; y < 3; y++)
        for (int x = 0; x < 4; x++) {
            uint8_t c[3];
            pal_rgb(want[y][x], c);
            CHECK_MSG(img.pixels && memcmp(img.pixels + y * img.stride + 3 * x, c, 3) == 0,
                      "pixel %d,%d", x, y);
        }
    vg_image_free(&img);
    CHECK_INTEQ(dec_prefix(m.p, off + 8), VG_ERR_TRUNCATED);  /* before the end */
    CHECK_INTEQ(dec_prefix(m.p, off + 13), VG_ERR_TRUNCATED); /* in an absolute run */
    /* a delta far below the image just ends it */
    m.n = off;
    membuf_put(&m, "\0\2\0\xff\0\1", 6);
    CHECK_INTEQ(dec(m.p, m.n, 0, 0, 0, &img), VG_OK);
    vg_image_free(&img);
    free(m.p);
}

int main(void)
{
    test_variants();
    test_shrink_grey_header();
    test_hostile();
    test_rle_edges();
    TEST_DONE();
}
