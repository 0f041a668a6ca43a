/* test_tiff.c - TIFF: strips and tiles, LZW, 16-bit, grey, palette, alpha,
 * several pages (first decoded, pages counted), a stored orientation that is
 * reported and not applied; hostile files with exact codes. */
#include <tiffio.h>

#include "imgtest.h"

typedef struct tif_spec {
    uint32_t w, h;
    int spp, bps, photometric, tiled, compression, pages, orientation;
    int unassoc; /* alpha 128, unassociated: colour must come out unchanged */
} tif_spec;

static void fill_row(const tif_spec *s, uint32_t y, uint8_t *row)
{
    for (uint32_t x = 0; x < s->w; x++) {
        uint8_t c[4];
        pat_rgb(x, y, c);
        c[3] = s->unassoc ? 128 : 255;
        for (int k = 0; k < s->spp; k++) {
            if (s->bps == 16) {
                row[(x * s->spp + k) * 2] = c[k];
                row[(x * s->spp + k) * 2 + 1] = c[k];
            } else {
                row[x * s->spp + k] = c[k];
            }
        }
    }
}

static void write_page(TIFF *t, const tif_spec *s)
{
    size_t rb = (size_t)s->w * s->spp * (s->bps / 8);
    uint8_t *img = malloc(rb * s->h);

    TIFFSetField(t, TIFFTAG_IMAGEWIDTH, s->w);
    TIFFSetField(t, TIFFTAG_IMAGELENGTH, s->h);
    TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, s->spp);
    TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, s->bps);
    TIFFSetField(t, TIFFTAG_PHOTOMETRIC, s->photometric);
    TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(t, TIFFTAG_COMPRESSION, s->compression);
    if (s->orientation)
        TIFFSetField(t, TIFFTAG_ORIENTATION, s->orientation);
    if (s->spp == 4) {
        uint16_t kind = s->unassoc ? EXTRASAMPLE_UNASSALPHA : EXTRASAMPLE_ASSOCALPHA;
        TIFFSetField(t, TIFFTAG_EXTRASAMPLES, 1, &kind);
    }
    if (s->photometric == PHOTOMETRIC_PALETTE) {
        uint16_t r[256], g[256], b[256];
        for (int i = 0; i < 256; i++)
            r[i] = (uint16_t)(i * 257), g[i] = (uint16_t)((255 - i) * 257), b[i] = 0;
        TIFFSetField(t, TIFFTAG_COLORMAP, r, g, b);
    }
    for (uint32_t y = 0; y < s->h; y++)
        fill_row(s, y, img + rb * y);
    if (s->tiled) {
        TIFFSetField(t, TIFFTAG_TILEWIDTH, 16);
        TIFFSetField(t, TIFFTAG_TILELENGTH, 16);
        size_t tb = 16 * 16 * (size_t)s->spp * (s->bps / 8), px = (size_t)s->spp * (s->bps / 8);
        uint8_t *tile = malloc(tb);
        for (uint32_t ty = 0; ty < s->h; ty += 16)
            for (uint32_t tx = 0; tx < s->w; tx += 16) {
                memset(tile, 0, tb);
                for (uint32_t y = 0; y < 16 && ty + y < s->h; y++)
                    for (uint32_t x = 0; x < 16 && tx + x < s->w; x++)
                        memcpy(tile + (y * 16 + x) * px, img + rb * (ty + y) + (tx + x) * px, px);
                TIFFWriteTile(t, tile, tx, ty, 0, 0);
            }
        free(tile);
    } else {
        TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 5);
        for (uint32_t y = 0; y < s->h; y++)
            TIFFWriteScanline(t, img + rb * y, y, 0);
    }
    free(img);
}

static membuf make_tiff(const tif_spec *s)
{
    char path[4200];
    membuf m = {0};
    size_t n = 0;
    TIFF *t;

    snprintf(path, sizeof path, "%s/t.tif", test_tmpdir());
    t = TIFFOpen(path, "w");
    for (int p = 0; p < s->pages; p++) {
        write_page(t, s);
        TIFFWriteDirectory(t);
    }
    TIFFClose(t);
    m.p = test_slurp(path, &n);
    m.n = n;
    return m;
}

static void test_variants(void)
{
    static const tif_spec v[] = {
        {37, 23, 3, 8, PHOTOMETRIC_RGB, 0, COMPRESSION_NONE, 1, 0, 0},
        {37, 23, 3, 8, PHOTOMETRIC_RGB, 1, COMPRESSION_LZW, 1, 0, 0},
        {37, 23, 3, 16, PHOTOMETRIC_RGB, 0, COMPRESSION_ADOBE_DEFLATE, 1, 0, 0},
        {37, 23, 4, 8, PHOTOMETRIC_RGB, 0, COMPRESSION_NONE, 1, 0, 0},
        {37, 23, 3, 8, PHOTOMETRIC_RGB, 0, COMPRESSION_PACKBITS, 3, 0, 0},
        {37, 23, 3, 8, PHOTOMETRIC_RGB, 0, COMPRESSION_NONE, 1, ORIENTATION_BOTLEFT, 0},
        {37, 23, 3, 8, PHOTOMETRIC_RGB, 1, COMPRESSION_NONE, 1, ORIENTATION_RIGHTTOP, 0},
        {37, 23, 4, 8, PHOTOMETRIC_RGB, 0, COMPRESSION_LZW, 1, 0, 1},
        {37, 23, 4, 8, PHOTOMETRIC_RGB, 1, COMPRESSION_LZW, 1, 0, 0},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        membuf m = make_tiff(&v[i]);
        char name[32];
        snprintf(name, sizeof name, "tiff-%zu.tif", i);
        seed(name, m.p, m.n);
        vg_image img;
        CHECK_MSG(dec(m.p, m.n, 0, 0, 0, &img) == VG_OK, "variant %zu", i);
        CHECK_INTEQ(img.type, VG_IMAGE_TIFF);
        CHECK_INTEQ(img.width, 37);
        CHECK_INTEQ(img.height, 23);
        CHECK_INTEQ(img.frames, v[i].pages);
        CHECK_INTEQ(img.bit_depth, v[i].bps);
        CHECK_INTEQ(img.has_alpha, v[i].spp == 4);
        CHECK_INTEQ(img.orientation, v[i].orientation);
        CHECK_MSG(pat_mismatches(&img, 37, 23) == 0, "variant %zu: %ld differ", i,
                  pat_mismatches(&img, 37, 23));
        vg_image_free(&img);
        free(m.p);
    }
}

static void test_grey_palette(void)
{
    tif_spec g = {20, 12, 1, 8, PHOTOMETRIC_MINISBLACK, 0, COMPRESSION_NONE, 1, 0, 0};
    tif_spec p = {20, 12, 1, 8, PHOTOMETRIC_PALETTE, 0, COMPRESSION_LZW, 1, 0, 0};
    membuf m = make_tiff(&g);
    vg_image img;
    uint8_t c[3];

    pat_rgb(13, 9, c);
    CHECK_INTEQ(dec(m.p, m.n, 0, 0, 0, &img), VG_OK);
    CHECK_INTEQ(img.pixels[9 * img.stride + 39], c[0]);
    CHECK_INTEQ(img.pixels[9 * img.stride + 41], c[0]);
    vg_image_free(&img);
    CHECK_INTEQ(dec(m.p, m.n, 0, 1, 0, &img), VG_OK); /* grey out of grey */
    CHECK_INTEQ(img.channels, 1);
    CHECK_INTEQ(img.pixels[9 * img.stride + 13], c[0]);
    vg_image_free(&img);
    free(m.p);
    m = make_tiff(&p);
    CHECK_INTEQ(dec(m.p, m.n, 0, 0, 0, &img), VG_OK);
    CHECK_INTEQ(img.pixels[9 * img.stride + 39], c[0]);
    CHECK_INTEQ(img.pixels[9 * img.stride + 40], 255 - c[0]);
    CHECK_INTEQ(img.pixels[9 * img.stride + 41], 0);
    vg_image_free(&img);
    free(m.p);
}

static void test_shrink_header(void)
{
    tif_spec s = {530, 700, 3, 8, PHOTOMETRIC_RGB, 1, COMPRESSION_LZW, 2, 0, 0};
    membuf m = make_tiff(&s);
    vg_image img;

    check_shrunk(m.p, m.n, 530, 700);
    check_grey_px(m.p, m.n, 529, 699);
    CHECK_INTEQ(dec(m.p, m.n, 0, 0, 1, &img), VG_OK);
    CHECK_INTEQ(img.width, 530);
    CHECK_INTEQ(img.frames, 2);
    CHECK(img.pixels == NULL);
    free(m.p);
}

static void le(uint8_t *p, uint32_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* A hand-made little-endian TIFF: IFD at 8, then one grey strip of 16
 * bytes at 110, with sides w x h. */
static size_t tiny_tiff(uint8_t *b, uint32_t w, uint32_t h)
{
    static const uint16_t tags[][2] = {{256, 4}, {257, 4}, {258, 3}, {259, 3},
                                       {262, 3}, {273, 4}, {278, 4}, {279, 4}};
    uint32_t vals[] = {w, h, 8, 1, 1, 110, h, 16};
    size_t ifd = 8;

    memset(b, 0, 256);
    memcpy(b, "II*\0", 4);
    le(b + 4, (uint32_t)ifd, 4);
    le(b + ifd, 8, 2);
    for (int i = 0; i < 8; i++) {
        uint8_t *e = b + ifd + 2 + 12 * i;
        le(e, tags[i][0], 2);
        le(e + 2, tags[i][1], 2);
        le(e + 4, 1, 4);
        le(e + 8, vals[i], tags[i][1] == 3 ? 2 : 4);
    }
    return 110 + 16;
}

static void test_hostile(void)
{
    tif_spec s = {64, 64, 3, 8, PHOTOMETRIC_RGB, 0, COMPRESSION_NONE, 1, 0, 0};
    membuf m = make_tiff(&s);
    uint8_t b[256];
    size_t n;
    vg_image img;

    n = tiny_tiff(b, 4, 4);
    CHECK_INTEQ(dec(b, n, 0, 0, 0, &img), VG_OK);
    CHECK_INTEQ(img.width, 4);
    vg_image_free(&img);
    CHECK_INTEQ(dec_expired(b, n), VG_ERR_LIMIT_TIME);
    CHECK_INTEQ(dec_expired(m.p, m.n), VG_ERR_LIMIT_TIME); /* RGBA path */
    n = tiny_tiff(b, 100000, 100000);
    CHECK_INTEQ(dec(b, n, 0, 0, 0, &img), VG_ERR_LIMIT_PIXELS);
    CHECK_INTEQ(dec(b, n, 0, 0, 1, &img), VG_ERR_LIMIT_PIXELS);
    n = tiny_tiff(b, 4, 4);
    CHECK_INTEQ(dec_prefix(b, 6), VG_ERR_TRUNCATED);  /* in the header */
    CHECK_INTEQ(dec_prefix(b, 40), VG_ERR_TRUNCATED); /* in the IFD */
    le(b + 4, 0xfffff0, 4);                           /* IFD past the end */
    CHECK_INTEQ(dec_prefix(b, n), VG_ERR_TRUNCATED);
    n = tiny_tiff(b, 4, 4);
    CHECK_INTEQ(dec_prefix(b, n - 5), VG_ERR_TRUNCATED); /* in the strip */
    le(b + 8 + 2 + 12 * 4 + 8, 77, 2); /* unknown photometric */
    CHECK_INTEQ(dec_prefix(b, n), VG_ERR_UNSUPPORTED);
    /* libtiff writes the IFD last: a cut in the data loses it */
    CHECK_INTEQ(dec_prefix(m.p, 8 + 64 * 64 * 3 / 2), VG_ERR_TRUNCATED);
    CHECK_INTEQ(dec_flipped(m.p, m.n, 0, 0x01), VG_ERR_FORMAT); /* "HI*" */
    CHECK_INTEQ(dec_flipped(m.p, m.n, 2, 0x01), VG_ERR_CORRUPT); /* 42 -> 43: a bad BigTIFF */
    free(m.p);
}

int main(void)
{
    test_variants();
    test_grey_palette();
    test_shrink_header();
    test_hostile();
    TEST_DONE();
}
