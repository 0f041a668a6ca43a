/* test_steg_struct.c - structural findings with exact offsets and lengths:
 * trailers after JPEG/PNG/GIF/BMP/WebP, EXIF thumbnails and MPF frames that
 * must not be reported, odd segments and chunks, tool marks, polyglots. */
#include <stdint.h>
#include <zlib.h>

#include "testutil.h"
#include "vigil/steg.h"
#include "stegsim.h"

typedef struct buf {
    uint8_t *p;
    size_t n;
} buf;

static void put(buf *b, const void *d, size_t n)
{
    b->p = realloc(b->p, b->n + n + 1);
    memcpy(b->p + b->n, d, n);
    b->n += n;
}
static void put_be32(buf *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    put(b, x, 4);
}
static void put_le32(buf *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put(b, x, 4);
}
static void put_random(buf *b, size_t n, uint64_t seed)
{
    sim_seed(seed);
    for (size_t i = 0; i < n; i++) {
        uint8_t c = (uint8_t)sim_u32();
        put(b, &c, 1);
    }
}

static vg_steg_findings scan(const buf *b)
{
    vg_steg_findings f = {0};
    CHECK(vg_steg_structural(b->p, b->n, &f, NULL) == VG_OK);
    return f;
}

/* Exactly one finding of kind k at off/len, with the given type (or NULL). */
static void expect_one(const buf *b, vg_steg_kind k, size_t off, size_t len, const char *type)
{
    vg_steg_findings f = scan(b);
    CHECK_INTEQ(f.n, 1);
    if (f.n >= 1) {
        CHECK_INTEQ(f.v[0].kind, k);
        CHECK_INTEQ(f.v[0].offset, off);
        CHECK_INTEQ(f.v[0].length, len);
        if (type)
            CHECK_STREQ(f.v[0].type, type);
        if (f.n > 1 || f.v[0].offset != off)
            fprintf(stderr, "  got: %s\n", f.v[0].detail);
    }
    vg_steg_findings_free(&f);
}

static void expect_none(const buf *b, const char *what)
{
    vg_steg_findings f = scan(b);
    CHECK_MSG(f.n == 0, "%s: %zu findings, first: %s", what, f.n, f.n ? f.v[0].detail : "");
    vg_steg_findings_free(&f);
}

static buf jpeg_base(void)
{
    buf b = {0};
    b.p = test_slurp(test_data("pdq/bridge-mods/square-128x128.jpg"), &b.n);
    CHECK(b.p != NULL);
    return b;
}

static void test_jpeg(void)
{
    buf b = jpeg_base();
    size_t n0 = b.n;
    expect_none(&b, "clean JPEG");
    put_random(&b, 1000, 1);
    expect_one(&b, VG_STEG_APPENDED, n0, 1000, "data");
    /* Short zero padding is not reported. */
    b.n = n0;
    put(&b, "\0\0\0\0\0\0\0\0", 8);
    expect_none(&b, "padded JPEG");
    b.n = n0;
    put(&b, "\r\n", 2);
    expect_none(&b, "JPEG with a trailing line end");
    /* Appended ZIP. */
    b.n = n0;
    put(&b, "PK\x03\x04\x14\0\0\0\x08\0", 10);
    put_random(&b, 300, 2);
    expect_one(&b, VG_STEG_APPENDED, n0, 310, "zip");
    free(b.p);

    /* A 5000-byte COM right after SOI; F5's comment; unknown APP9. */
    buf c = {0}, d = jpeg_base();
    put(&c, "\xff\xd8\xff\xfe\x13\x8a", 6);
    put_random(&c, 5000, 3);
    put(&c, d.p + 2, d.n - 2);
    expect_one(&c, VG_STEG_SEGMENT, 6, 5000, NULL);
    c.n = 0;
    const char *f5 = "JPEG Encoder Copyright 1998, James R. Weeks and BioElectroMech.";
    uint8_t hdr[6] = {0xff, 0xd8, 0xff, 0xfe, 0, (uint8_t)(strlen(f5) + 2)};
    put(&c, hdr, 6);
    put(&c, f5, strlen(f5));
    put(&c, d.p + 2, d.n - 2);
    expect_one(&c, VG_STEG_TOOLMARK, 6, strlen(f5), "text");
    /* A long readable comment (ImageMagick writes XMP this way) is fine. */
    c.n = 0;
    put(&c, "\xff\xd8\xff\xfe\x0b\xba", 6);
    for (int i = 0; i < 3000; i++)
        put(&c, &"XML:com.adobe.xmp: <x:xmpmeta xmlns:x=\"adobe:ns:meta/\"> "[i % 56], 1);
    put(&c, d.p + 2, d.n - 2);
    expect_none(&c, "XMP in COM");
    c.n = 0;
    put(&c, "\xff\xd8\xff\xe9\x02\x02", 6);
    put_random(&c, 512, 4);
    put(&c, d.p + 2, d.n - 2);
    expect_one(&c, VG_STEG_SEGMENT, 6, 512, "data");

    /* An EXIF APP1 holding a whole JPEG thumbnail (its own SOI/EOI). */
    c.n = 0;
    uint8_t app1[10] = {0xff, 0xd8, 0xff, 0xe1, (uint8_t)((d.n + 8) >> 8), (uint8_t)(d.n + 8),
                        'E', 'x', 'i', 'f'};
    put(&c, app1, 10);
    put(&c, "\0\0", 2);
    put(&c, d.p, d.n);
    put(&c, d.p + 2, d.n - 2);
    expect_none(&c, "EXIF thumbnail");
    size_t n1 = c.n;
    put_random(&c, 64, 5);
    expect_one(&c, VG_STEG_APPENDED, n1, 64, NULL);

    /* MPF: the second frame after the first EOI is part of the file. */
    c.n = 0;
    put(&c, "\xff\xd8\xff\xe2\x00\x0cMPF\0\0\0\0\0", 14);
    put(&c, d.p + 2, d.n - 2);
    size_t first = c.n;
    put(&c, d.p, d.n);
    expect_none(&c, "MPF JPEG");
    /* Without MPF the second frame is appended data of type jpeg. */
    buf e = jpeg_base();
    put(&e, d.p, d.n);
    expect_one(&e, VG_STEG_APPENDED, d.n, d.n, "jpeg");
    CHECK(first > 0);
    free(c.p);
    free(d.p);
    free(e.p);
}

static void png_chunk(buf *b, const char *type, const void *data, size_t n)
{
    put_be32(b, (uint32_t)n);
    put(b, type, 4);
    put(b, data, n);
    uLong crc = crc32(0, (const Bytef *)type, 4);
    crc = crc32(crc, data, (uInt)n);
    put_be32(b, (uint32_t)crc);
}

/* A 32x32 grey PNG; *idat_off gets the IDAT data offset, *idat_len its length. */
static buf png_base(size_t trailing_in_idat, size_t *idat_off, size_t *idat_len)
{
    buf b = {0};
    put(&b, "\x89PNG\r\n\x1a\n", 8);
    uint8_t ihdr[13] = {0, 0, 0, 32, 0, 0, 0, 32, 8, 0, 0, 0, 0};
    png_chunk(&b, "IHDR", ihdr, 13);
    uint8_t raw[32 * 33], z[2048];
    for (int i = 0; i < 32 * 33; i++)
        raw[i] = (uint8_t)(i % 33 ? i * 7 : 0);
    uLongf zn = sizeof z;
    compress(z, &zn, raw, sizeof raw);
    sim_seed(9);
    for (size_t i = 0; i < trailing_in_idat; i++)
        z[zn + i] = (uint8_t)sim_u32();
    *idat_off = b.n + 8;
    *idat_len = zn + trailing_in_idat;
    png_chunk(&b, "IDAT", z, zn + trailing_in_idat);
    return b;
}

static void test_png(void)
{
    size_t io, il;
    buf b = png_base(0, &io, &il);
    png_chunk(&b, "IEND", "", 0);
    expect_none(&b, "clean PNG");
    size_t n0 = b.n;
    put_random(&b, 777, 6);
    expect_one(&b, VG_STEG_APPENDED, n0, 777, "data");
    free(b.p);

    b = png_base(100, &io, &il);
    png_chunk(&b, "IEND", "", 0);
    expect_one(&b, VG_STEG_SEGMENT, io + il - 100, 100, "data");
    free(b.p);

    /* tEXt with 2000 base64 characters; tEXt with prose stays clean. */
    b = png_base(0, &io, &il);
    size_t at = b.n;
    char txt[2100];
    memcpy(txt, "Comment", 8);
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    sim_seed(10);
    for (int i = 0; i < 2000; i++)
        txt[8 + i] = b64[sim_u32() & 63];
    png_chunk(&b, "tEXt", txt, 2008);
    png_chunk(&b, "IEND", "", 0);
    expect_one(&b, VG_STEG_SEGMENT, at + 8 + 8, 2000, "text");
    free(b.p);
    b = png_base(0, &io, &il);
    for (int i = 0; i < 2000; i++)
        txt[8 + i] = "the quick brown fox jumps over the lazy dog. "[i % 45];
    png_chunk(&b, "tEXt", txt, 2008);
    png_chunk(&b, "IEND", "", 0);
    expect_none(&b, "prose tEXt");
    free(b.p);

    /* A private chunk holding a ZIP: segment plus embedded signature. */
    b = png_base(0, &io, &il);
    at = b.n;
    buf z = {0};
    put(&z, "PK\x03\x04\x14\0\0\0\x08\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x05\0\0\0a.txt", 35);
    put_random(&z, 200, 11);
    png_chunk(&b, "stGa", z.p, z.n);
    png_chunk(&b, "IEND", "", 0);
    vg_steg_findings f = scan(&b);
    CHECK_INTEQ(f.n, 2);
    if (f.n == 2) {
        CHECK_INTEQ(f.v[0].kind, VG_STEG_SEGMENT);
        CHECK_INTEQ(f.v[0].offset, at + 8);
        CHECK_INTEQ(f.v[0].length, z.n);
        CHECK_INTEQ(f.v[1].kind, VG_STEG_EMBEDDED);
        CHECK_INTEQ(f.v[1].offset, at + 8);
        CHECK_STREQ(f.v[1].type, "zip");
    }
    vg_steg_findings_free(&f);
    free(z.p);
    free(b.p);
}

/* An IDAT inflating far past what IHDR declares, with bytes after its
 * stream: the walker stops inflating and claims nothing. */
static void test_png_bomb(void)
{
    size_t io, il;
    buf b = png_base(0, &io, &il);
    b.n = io - 8; /* drop the real IDAT */
    size_t raw_n = 8u << 20;
    uint8_t *raw = calloc(raw_n, 1);
    uLongf zn = compressBound(raw_n);
    uint8_t *z = malloc(zn + 16);
    compress(z, &zn, raw, raw_n);
    memcpy(z + zn, "trailing-bytes!!", 16);
    png_chunk(&b, "IDAT", z, zn + 16);
    png_chunk(&b, "IEND", "", 0);
    expect_none(&b, "IDAT bomb");
    free(raw);
    free(z);
    free(b.p);
}

static void test_gif_bmp_webp(void)
{
    buf g = {0};
    put(&g, "GIF89a\x01\0\x01\0\x80\0\0\0\0\0\xff\xff\xff", 19);
    put(&g, "\x2c\0\0\0\0\x01\0\x01\0\0\x02\x02\x44\x01\0\x3b", 16);
    expect_none(&g, "clean GIF");
    size_t n0 = g.n;
    put_random(&g, 50, 12);
    expect_one(&g, VG_STEG_APPENDED, n0, 50, NULL);
    free(g.p);

    buf b = {0};
    put(&b, "BM", 2);
    put_le32(&b, 54 + 48);
    put_le32(&b, 0);
    put_le32(&b, 54);
    put_le32(&b, 40);
    put_le32(&b, 4);
    put_le32(&b, 4);
    put(&b, "\x01\0\x18\0", 4);
    for (int i = 0; i < 6; i++)
        put_le32(&b, 0);
    put_random(&b, 48, 13);
    expect_none(&b, "clean BMP");
    put_random(&b, 4000, 14);
    expect_one(&b, VG_STEG_APPENDED, 102, 4000, "data");
    /* Dimensions whose pixel array cannot fit: no trailer claimed. */
    b.p[18] = 0xff, b.p[19] = 0xff, b.p[20] = 0xff, b.p[21] = 0x7f;
    b.p[22] = 0xff, b.p[23] = 0xff, b.p[24] = 0xff, b.p[25] = 0x7f;
    expect_none(&b, "BMP with impossible dimensions");
    free(b.p);

    buf w = {0};
    put(&w, "RIFF", 4);
    put_le32(&w, 4 + 8 + 10);
    put(&w, "WEBPVP8L", 8);
    put_le32(&w, 10);
    put_random(&w, 10, 15);
    expect_none(&w, "clean WebP");
    n0 = w.n;
    put(&w, "%PDF-1.4\n", 9);
    put_random(&w, 91, 16);
    expect_one(&w, VG_STEG_APPENDED, n0, 100, "pdf");
    free(w.p);
}

static void test_helpers(void)
{
    uint8_t u[256];
    for (int i = 0; i < 256; i++)
        u[i] = (uint8_t)i;
    CHECK(fabs(vg_steg_entropy(u, 256) - 8.0) < 1e-9);
    CHECK(vg_steg_entropy(u, 1) == 0.0);
    CHECK_STREQ(vg_steg_magic((const uint8_t *)"Rar!\x1a\x07\x01", 7), "rar");
    CHECK_STREQ(vg_steg_magic((const uint8_t *)"7z\xbc\xaf\x27\x1c", 6), "7z");
    CHECK_STREQ(vg_steg_magic((const uint8_t *)"\x7f" "ELF\x02", 5), "elf");
    CHECK_STREQ(vg_steg_magic(u + 1, 10), "data");
    /* Truncated input never claims a trailer. */
    buf b = jpeg_base();
    b.n -= 100;
    expect_none(&b, "truncated JPEG");
    free(b.p);
}

int main(void)
{
    test_jpeg();
    test_png();
    test_png_bomb();
    test_gif_bmp_webp();
    test_helpers();
    TEST_DONE();
}
