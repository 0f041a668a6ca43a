/* test_png.c - PNG decoding: colour types, 16-bit, interlace, the PDQ
 * pre-shrink, grey output, header-only, and hostile files with exact codes. */
#include <png.h>
#include <zlib.h>

#include "imgtest.h"

static void wr(png_structp png, png_bytep d, size_t n)
{
    membuf_put(png_get_io_ptr(png), d, n);
}

static void fl(png_structp png)
{
    (void)png;
}

/* Encodes the pattern: color is a PNG colour type; depth 8 or 16 (16: each
 * sample v stored as v*257, which scales back to v exactly). */
static membuf make_png(uint32_t w, uint32_t h, int color, int depth, int interlace)
{
    membuf m = {0};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    int ch = color == PNG_COLOR_TYPE_RGB ? 3 : color == PNG_COLOR_TYPE_RGBA ? 4 : 1;
    size_t bps = depth == 16 ? 2 : 1;
    uint8_t *row = malloc((size_t)w * ch * bps);

    png_set_write_fn(png, &m, wr, fl);
    png_set_IHDR(png, info, w, h, depth, color,
                 interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    if (color == PNG_COLOR_TYPE_PALETTE) {
        png_color pal[256];
        for (int i = 0; i < 256; i++)
            pal[i].red = (png_byte)i, pal[i].green = (png_byte)(255 - i), pal[i].blue = (png_byte)(i * 3);
        png_set_PLTE(png, info, pal, 256);
    }
    png_write_info(png, info);
    int passes = png_set_interlace_handling(png);
    for (int p = 0; p < passes; p++)
        for (uint32_t y = 0; y < h; y++) {
            for (uint32_t x = 0; x < w; x++) {
                uint8_t c[4];
                pat_rgb(x, y, c);
                c[3] = 200;
                for (int k = 0; k < ch; k++) {
                    if (bps == 2) {
                        row[(x * ch + k) * 2] = c[k];
                        row[(x * ch + k) * 2 + 1] = c[k];
                    } else {
                        row[x * ch + k] = c[k];
                    }
                }
            }
            png_write_row(png, row);
        }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(row);
    return m;
}

static void test_colour_types(void)
{
    static const struct { int color, depth, interlace, alpha; } v[] = {
        {PNG_COLOR_TYPE_RGB, 8, 0, 0},  {PNG_COLOR_TYPE_RGBA, 8, 0, 1},
        {PNG_COLOR_TYPE_RGB, 16, 0, 0}, {PNG_COLOR_TYPE_RGB, 8, 1, 0},
        {PNG_COLOR_TYPE_RGBA, 16, 1, 1}};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        membuf m = make_png(37, 23, v[i].color, v[i].depth, v[i].interlace);
        char name[32];
        snprintf(name, sizeof name, "png-%zu.png", i);
        seed(name, m.p, m.n);
        vg_image img;
        CHECK_INTEQ(dec(m.p, m.n, 0, 0, 0, &img), VG_OK);
        CHECK_INTEQ(img.type, VG_IMAGE_PNG);
        CHECK_INTEQ(img.width, 37);
        CHECK_INTEQ(img.height, 23);
        CHECK_INTEQ(img.pix_width, 37);
        CHECK_INTEQ(img.frames, 1);
        CHECK_INTEQ(img.bit_depth, v[i].depth);
        CHECK_INTEQ(img.has_alpha, v[i].alpha);
        CHECK_INTEQ(img.channels, 3);
        CHECK_MSG(pat_mismatches(&img, 37, 23) == 0, "variant %zu: %ld pixels differ", i,
                  pat_mismatches(&img, 37, 23));
        vg_image_free(&img);
        free(m.p);
    }
}

static void test_grey_and_palette(void)
{
    membuf m = make_png(20, 10, PNG_COLOR_TYPE_GRAY, 8, 0);
    vg_image img;
    uint8_t c[3];

    CHECK_INTEQ(dec(m.p, m.n, 0, 0, 0, &img), VG_OK);
    pat_rgb(5, 7, c); /* grey sample = the pattern's red */
    CHECK_INTEQ(img.pixels[7 * img.stride + 5 * 3], c[0]);
    CHECK_INTEQ(img.pixels[7 * img.stride + 5 * 3 + 2], c[0]);
    vg_image_free(&img);
    free(m.p);

    m = make_png(20, 10, PNG_COLOR_TYPE_PALETTE, 8, 0);
    seed("png-palette.png", m.p, m.n);
    CHECK_INTEQ(dec(m.p, m.n, 0, 0, 0, &img), VG_OK);
    CHECK_INTEQ(img.bit_depth, 8);
    pat_rgb(9, 3, c); /* index c[0] -> (i, 255-i, 3i) */
    CHECK_INTEQ(img.pixels[3 * img.stride + 27], c[0]);
    CHECK_INTEQ(img.pixels[3 * img.stride + 28], 255 - c[0]);
    CHECK_INTEQ(img.pixels[3 * img.stride + 29], (uint8_t)(c[0] * 3));
    vg_image_free(&img);
    free(m.p);
}

static void test_grey_output(void)
{
    membuf m = make_png(16, 16, PNG_COLOR_TYPE_RGB, 8, 0);
    check_grey_px(m.p, m.n, 11, 4);
    free(m.p);
}

/* Sides over 512 give exactly 512x512 sampled at floor(x*W/512); aspect
 * ratio discarded, as the PDQ reference does. */
static void test_pdq_shrink(void)
{
    static const uint32_t dims[][3] = {{1000, 700, 0}, {600, 100, 0}, {777, 513, 1}};
    for (size_t i = 0; i < 3; i++) {
        membuf m = make_png(dims[i][0], dims[i][1], PNG_COLOR_TYPE_RGB, 8, (int)dims[i][2]);
        check_shrunk(m.p, m.n, dims[i][0], dims[i][1]);
        free(m.p);
    }
    /* at or under 512: untouched */
    membuf m = make_png(512, 300, PNG_COLOR_TYPE_RGB, 8, 0);
    vg_image img;
    CHECK_INTEQ(dec(m.p, m.n, 512, 0, 0, &img), VG_OK);
    CHECK_INTEQ(img.pix_width, 512);
    CHECK_INTEQ(img.pix_height, 300);
    CHECK_INTEQ(pat_mismatches(&img, 512, 300), 0);
    vg_image_free(&img);
    free(m.p);
}

static void test_header_only(void)
{
    membuf m = make_png(300, 200, PNG_COLOR_TYPE_RGBA, 16, 0);
    vg_image img;
    CHECK_INTEQ(dec(m.p, m.n, 0, 0, 1, &img), VG_OK);
    CHECK_INTEQ(img.width, 300);
    CHECK_INTEQ(img.height, 200);
    CHECK_INTEQ(img.bit_depth, 16);
    CHECK_INTEQ(img.has_alpha, 1);
    CHECK(img.pixels == NULL);
    vg_image_free(&img);
    free(m.p);
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

static void test_hostile(void)
{
    membuf m = make_png(64, 64, PNG_COLOR_TYPE_RGB, 8, 0);
    vg_image img;
    vg_error e;

    CHECK_INTEQ(vg_image_decode(m.p, 0, NULL, &img, &e), VG_ERR_EMPTY);
    CHECK_INTEQ(dec_expired(m.p, m.n), VG_ERR_LIMIT_TIME);
    /* cut in the signature: not recognisable any more */
    CHECK_INTEQ(dec_prefix(m.p, 5), VG_ERR_FORMAT);
    /* cut in IHDR, just after it, in IDAT */
    CHECK_INTEQ(dec_prefix(m.p, 20), VG_ERR_TRUNCATED);
    CHECK_INTEQ(dec_prefix(m.p, 33), VG_ERR_TRUNCATED);
    CHECK_INTEQ(dec_prefix(m.p, 60), VG_ERR_TRUNCATED);
    CHECK_INTEQ(dec_prefix(m.p, m.n / 2), VG_ERR_TRUNCATED);
    /* IEND missing: every pixel was there, so it decodes (documented) */
    CHECK_INTEQ(dec_prefix(m.p, m.n - 12), VG_OK);
    /* a flipped bit in IHDR or IDAT fails its CRC */
    CHECK_INTEQ(dec_flipped(m.p, m.n, 18, 0x01), VG_ERR_CORRUPT);
    /* a damaged IHDR claiming a huge side is corrupt, not over the limit */
    CHECK_INTEQ(dec_flipped(m.p, m.n, 17, 0x80), VG_ERR_CORRUPT);
    CHECK_INTEQ(dec_flipped(m.p, m.n, 50, 0x10), VG_ERR_CORRUPT);
    CHECK_INTEQ(dec_flipped(m.p, m.n, m.n - 30, 0x80), VG_ERR_CORRUPT);

    /* IHDR claiming 100000x100000, CRC recomputed: a valid header */
    uint8_t *big = malloc(m.n);
    memcpy(big, m.p, m.n);
    put_be32(big + 16, 100000);
    put_be32(big + 20, 100000);
    put_be32(big + 29, (uint32_t)crc32(0, big + 12, 17));
    CHECK_INTEQ(vg_image_decode(big, m.n, NULL, &img, &e), VG_ERR_LIMIT_PIXELS);
    CHECK(strstr(e.msg, "100000x100000") != NULL);
    CHECK_INTEQ(img.type, VG_IMAGE_PNG);
    CHECK(img.pixels == NULL);
    CHECK_INTEQ(dec(big, m.n, 0, 0, 1, &img), VG_ERR_LIMIT_PIXELS);
    /* under a small limit, a real 64x64 is refused too */
    vg_limits lim;
    vg_decode_opts o;
    vg_limits_default(&lim);
    lim.max_pixels = 4095;
    memset(&o, 0, sizeof o);
    o.limits = &lim;
    CHECK_INTEQ(vg_image_decode(m.p, m.n, &o, &img, &e), VG_ERR_LIMIT_PIXELS);
    lim.max_pixels = 0;
    lim.max_file_bytes = 100;
    CHECK_INTEQ(vg_image_decode(m.p, m.n, &o, &img, &e), VG_ERR_LIMIT_SIZE);
    free(big);
    free(m.p);
}

/* APNG: the frame count comes from acTL; the default image is decoded. */
static void test_apng_count(void)
{
    membuf m = make_png(10, 10, PNG_COLOR_TYPE_RGB, 8, 0);
    uint8_t chunk[20] = {0, 0, 0, 8, 'a', 'c', 'T', 'L', 0, 0, 0, 5, 0, 0, 0, 0};
    uint8_t *a = malloc(m.n + 20);
    vg_image img;

    put_be32(chunk + 16, (uint32_t)crc32(0, chunk + 4, 12));
    memcpy(a, m.p, 33); /* signature and IHDR */
    memcpy(a + 33, chunk, 20);
    memcpy(a + 53, m.p + 33, m.n - 33);
    seed("png-apng.png", a, m.n + 20);
    CHECK_INTEQ(dec(a, m.n + 20, 0, 0, 0, &img), VG_OK);
    CHECK_INTEQ(img.frames, 5);
    CHECK_INTEQ(pat_mismatches(&img, 10, 10), 0);
    vg_image_free(&img);
    free(a);
    free(m.p);
}

/* A PNG named .jpg is still a PNG: identification looks at content only. */
static void test_wrong_extension(void)
{
    membuf m = make_png(8, 8, PNG_COLOR_TYPE_RGB, 8, 0);
    char path[4200];
    size_t n = 0;
    FILE *f;
    unsigned char *back;
    vg_image img;

    snprintf(path, sizeof path, "%s/photo.jpg", test_tmpdir());
    f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f)
        return;
    fwrite(m.p, 1, m.n, f);
    fclose(f);
    back = test_slurp(path, &n);
    CHECK_INTEQ(vg_image_identify(back, n), VG_IMAGE_PNG);
    CHECK_INTEQ(dec(back, n, 0, 0, 0, &img), VG_OK);
    CHECK_INTEQ(img.type, VG_IMAGE_PNG);
    CHECK_INTEQ(pat_mismatches(&img, 8, 8), 0);
    vg_image_free(&img);
    free(back);
    free(m.p);
}

int main(void)
{
    test_colour_types();
    test_grey_and_palette();
    test_grey_output();
    test_pdq_shrink();
    test_header_only();
    test_hostile();
    test_wrong_extension();
    test_apng_count();
    TEST_DONE();
}
