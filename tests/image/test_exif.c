/* test_exif.c - the EXIF orientation walker on hand-made TIFF blocks: both
 * byte orders, the APP1 prefix, and blocks whose offsets, counts or types lie,
 * each read without leaving the buffer (ASan checks that). Also the same
 * block carried in a PNG eXIf chunk, reported by the PNG decoder. */
#include <png.h>

#include <math.h>

#include "image_int.h"
#include "imgtest.h"
#include "vigil/exif.h"

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

/* One IFD entry at e. */
static void ent(uint8_t *e, int big, uint32_t tag, uint32_t type, uint32_t count, uint32_t v)
{
    put(e, tag, 2, big);
    put(e + 2, type, 2, big);
    put(e + 4, count, 4, big);
    put(e + 8, v, type == 3 && count == 1 ? 2 : 4, big);
}

/* A camera-like block: IFD0 (Make, Model, Orientation 6, DateTime, Exif and
 * GPS pointers), an Exif IFD with DateTimeOriginal, a GPS IFD at 33 51' 54"
 * S, 151 12' 36" W. Returns the size (261). */
static size_t camera_block(uint8_t *b, int big)
{
    static const uint32_t lat[6] = {33, 1, 51, 1, 5400, 100}, lon[6] = {151, 1, 12, 1, 3600, 100};
    memset(b, 0, 300);
    memcpy(b, big ? "MM\0*" : "II*\0", 4);
    put(b + 4, 8, 4, big);
    put(b + 8, 6, 2, big);
    ent(b + 10, big, 0x010f, 2, 6, 158);
    ent(b + 22, big, 0x0110, 2, 9, 164);
    ent(b + 34, big, 0x0112, 3, 1, 6);
    ent(b + 46, big, 0x0132, 2, 20, 173);
    ent(b + 58, big, 0x8769, 4, 1, 86);
    ent(b + 70, big, 0x8825, 4, 1, 104);
    put(b + 86, 1, 2, big);
    ent(b + 88, big, 0x9003, 2, 20, 193);
    put(b + 104, 4, 2, big);
    ent(b + 106, big, 1, 2, 2, 0);
    b[114] = 'S';
    ent(b + 118, big, 2, 5, 3, 213);
    ent(b + 130, big, 3, 2, 2, 0);
    b[138] = 'W';
    ent(b + 142, big, 4, 5, 3, 237);
    memcpy(b + 158, "Canon\0EOS 5D  \0002020:01:02 03:04:05\0002019:12:31 23:59:58", 55);
    for (int i = 0; i < 6; i++) {
        put(b + 213 + 4 * i, lat[i], 4, big);
        put(b + 237 + 4 * i, lon[i], 4, big);
    }
    return 261;
}

static void check_camera(const vg_exif *x)
{
    CHECK_INTEQ(x->orientation, 6);
    CHECK_STREQ(x->make, "Canon");
    CHECK_STREQ(x->model, "EOS 5D");
    CHECK_STREQ(x->datetime, "2019:12:31 23:59:58");
    CHECK_INTEQ(x->has_gps, 1);
    CHECK_MSG(fabs(x->latitude - -(33 + 51 / 60.0 + 54 / 3600.0)) < 1e-9, "lat %f", x->latitude);
    CHECK_MSG(fabs(x->longitude - -(151 + 12 / 60.0 + 36 / 3600.0)) < 1e-9, "lon %f",
              x->longitude);
}

static void test_fields(void)
{
    uint8_t b[300];
    vg_exif x;

    for (int big = 0; big <= 1; big++) {
        size_t n = camera_block(b, big);
        CHECK_INTEQ(vg_exif_parse(b, n, &x, NULL), VG_OK);
        check_camera(&x);
        /* a TIFF file is its own block */
        CHECK_INTEQ(vg_exif_read(b, n, &x, NULL), VG_OK);
        check_camera(&x);
        /* every cut: no read outside, no crash, fields fall away */
        for (size_t cut = 0; cut < n; cut++) {
            uint8_t *c = malloc(cut ? cut : 1);
            memcpy(c, b, cut);
            vg_exif_parse(c, cut, &x, NULL);
            free(c);
        }
    }
    size_t n = camera_block(b, 0);
    put(b + 213 + 4, 0, 4, 0); /* a zero denominator */
    CHECK_INTEQ(vg_exif_parse(b, n, &x, NULL), VG_OK);
    CHECK_INTEQ(x.has_gps, 0);
    CHECK_STREQ(x.make, "Canon");
    n = camera_block(b, 0);
    put(b + 213, 91, 4, 0); /* latitude 91 */
    CHECK_INTEQ(vg_exif_parse(b, n, &x, NULL), VG_OK);
    CHECK_INTEQ(x.has_gps, 0);
    n = camera_block(b, 0);
    put(b + 58 + 8, 8, 4, 0);   /* Exif IFD pointing back at IFD0 */
    put(b + 10 + 4, 400, 4, 0); /* Make longer than the block */
    CHECK_INTEQ(vg_exif_parse(b, n, &x, NULL), VG_OK);
    CHECK_STREQ(x.make, "");
    CHECK_STREQ(x.datetime, "2020:01:02 03:04:05");
    n = camera_block(b, 0);
    b[166] = 0x07; /* control byte in the model */
    CHECK_INTEQ(vg_exif_parse(b, n, &x, NULL), VG_OK);
    CHECK_STREQ(x.model, "EO? 5D");
    CHECK_INTEQ(vg_exif_parse((const uint8_t *)"II+\0", 4, &x, NULL), VG_ERR_CORRUPT);
}

/* The same block in each container vg_exif_read knows. */
static void test_containers(void)
{
    uint8_t b[300];
    size_t n = camera_block(b, 1);
    membuf m = {0};
    vg_exif x;
    uint8_t len[2];

    /* JPEG: SOI, APP0, APP1 Exif, SOS */
    membuf_put(&m, "\xff\xd8\xff\xe0\x00\x06JFIF\xff\xe1", 12);
    len[0] = (uint8_t)((n + 8) >> 8), len[1] = (uint8_t)(n + 8);
    membuf_put(&m, len, 2);
    membuf_put(&m, "Exif\0\0", 6);
    membuf_put(&m, b, n);
    membuf_put(&m, "\xff\xda\x00\x02\xff\xd9", 6);
    CHECK_INTEQ(vg_exif_read(m.p, m.n, &x, NULL), VG_OK);
    check_camera(&x);
    seed("bad-jpeg-exif-only.jpg", m.p, m.n); /* no frame: does not decode */
    CHECK_INTEQ(vg_exif_read(m.p, 20, &x, NULL), VG_ERR_NOTFOUND); /* APP1 cut */
    m.n = 0;
    /* WebP: VP8X, then EXIF */
    membuf_put(&m, "RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\x08\0\0\0\0\0\0\0\0\0EXIF", 34);
    uint8_t sz[4] = {(uint8_t)n, (uint8_t)(n >> 8), 0, 0};
    membuf_put(&m, sz, 4);
    membuf_put(&m, b, n);
    CHECK_INTEQ(vg_exif_read(m.p, m.n, &x, NULL), VG_OK);
    check_camera(&x);
    free(m.p);
    CHECK_INTEQ(vg_exif_read((const uint8_t *)"GIF89a\1\0\1\0\0\0\0;", 14, &x, NULL),
                VG_ERR_NOTFOUND);
    CHECK_INTEQ(vg_exif_read((const uint8_t *)"hello", 5, &x, NULL), VG_ERR_NOTFOUND);
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
    uint8_t b[300], row[12] = {0};
    size_t n = camera_block(b, 0);
    vg_exif x;
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
    CHECK_INTEQ(vg_exif_read(m.p, m.n, &x, NULL), VG_OK);
    check_camera(&x);
    free(m.p);
}

int main(void)
{
    test_walker();
    test_fields();
    test_containers();
    test_png_exif();
    TEST_DONE();
}
