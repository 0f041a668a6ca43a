/* test_exif.c - the EXIF orientation walker on hand-made TIFF blocks: both
 * byte orders, the APP1 prefix, and blocks whose offsets, counts or types lie,
 * each read without leaving the buffer (ASan checks that). Also the same
 * block carried in a PNG eXIf chunk, reported by the PNG decoder. */
#include <png.h>

#include "image_int.h"
#include "imgtest.h"

static void put(uint8_t *p, uint32_t v, int n, int big)
{
    for (int i = 0; i < n; i++)
        p[big ? n - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

/* Header, IFD0 at 8 with a dummy tag then Orientation (type, count, value). */
static size_t block(uint8_t *b, int big, uint32_t type, uint32_t count, uint32_t value)
{
    memset(b, 0, 64);
    memcpy(b, big ? "MM\0*" : "II*\0", 4);
    put(b + 4, 8, 4, big);
    put(b + 8, 2, 2, big);
    put(b + 10, 0x010f, 2, big); /* Make, ASCII, offset 0: skipped */
    put(b + 12, 2, 2, big);
    put(b + 14, 1, 4, big);
    put(b + 22, 0x0112, 2, big);
    put(b + 24, type, 2, big);
    put(b + 26, count, 4, big);
    put(b + 30, value, 2, big);
    return 8 + 2 + 2 * 12 + 4;
}

/* Runs the walker on an exact-size heap copy so that ASan sees overreads. */
static int orient(const uint8_t *b, size_t n)
{
    uint8_t *c = malloc(n ? n : 1);
    int o;
    memcpy(c, b, n);
    o = vgi_exif_orientation(c, n);
    free(c);
    return o;
}

static void test_walker(void)
{
    uint8_t b[80], p[86];
    size_t n;

    for (int big = 0; big <= 1; big++) {
        n = block(b, big, 3, 1, 6);
        CHECK_INTEQ(orient(b, n), 6);
        n = block(b, big, 3, 1, 8);
        CHECK_INTEQ(orient(b, n), 8);
        n = block(b, big, 3, 1, 9); /* out of range */
        CHECK_INTEQ(orient(b, n), 0);
        n = block(b, big, 4, 1, 6); /* LONG, not SHORT */
        CHECK_INTEQ(orient(b, n), 0);
        n = block(b, big, 3, 2, 6); /* two values */
        CHECK_INTEQ(orient(b, n), 0);
        n = block(b, big, 3, 1, 3);
        for (size_t cut = 0; cut < 32; cut++) /* every cut before the value */
            CHECK_INTEQ(orient(b, cut), 0);
        CHECK_INTEQ(orient(b, 32), 3);
        put(b + 8, 0xffff, 2, big); /* entry count past the end */
        CHECK_INTEQ(orient(b, n), 0);
        n = block(b, big, 3, 1, 3);
        put(b + 4, 0xfffffff0u, 4, big); /* IFD offset past the end */
        CHECK_INTEQ(orient(b, n), 0);
        put(b + 4, (uint32_t)n - 1, 4, big); /* IFD count half inside */
        CHECK_INTEQ(orient(b, n), 0);
    }
    n = block(b, 0, 3, 1, 5);
    memcpy(p, "Exif\0\0", 6);
    memcpy(p + 6, b, n);
    CHECK_INTEQ(orient(p, n + 6), 5);
    CHECK_INTEQ(orient((const uint8_t *)"Exif\0\0II", 8), 0);
    CHECK_INTEQ(orient((const uint8_t *)"XX*\0\x08\0\0\0", 8), 0);
    CHECK_INTEQ(vgi_exif_orientation(NULL, 10), 0);
    n = block(b, 0, 3, 1, 7); /* no Orientation tag at all */
    put(b + 22, 0x0131, 2, 0);
    CHECK_INTEQ(orient(b, n), 0);
}

static void wr(png_structp png, png_bytep d, size_t n)
{
    membuf_put(png_get_io_ptr(png), d, n);
}

static void fl(png_structp png)
{
    (void)png;
}

static void test_png_exif(void)
{
    membuf m = {0};
    uint8_t b[64], row[12] = {0};
    size_t n = block(b, 1, 3, 1, 6);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    vg_image img;

    png_set_write_fn(png, &m, wr, fl);
    png_set_IHDR(png, info, 4, 4, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_eXIf_1(png, info, (png_uint_32)n, b);
    png_write_info(png, info);
    for (int y = 0; y < 4; y++)
        png_write_row(png, row);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    seed("png-exif.png", m.p, m.n);
    CHECK_INTEQ(dec(m.p, m.n, 0, 0, 0, &img), VG_OK);
    CHECK_INTEQ(img.orientation, 6);
    vg_image_free(&img);
    CHECK_INTEQ(dec(m.p, m.n, 0, 0, 1, &img), VG_OK);
    CHECK_INTEQ(img.orientation, 6);
    free(m.p);
}

int main(void)
{
    test_walker();
    test_png_exif();
    TEST_DONE();
}
