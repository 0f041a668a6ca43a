/* test_identify.c - type by content: each magic, confirmed by its parse. */
#include "imgtest.h"

static vg_image_type id(const void *b, size_t n)
{
    return vg_image_identify(b, n);
}

static void test_magics(void)
{
    CHECK_INTEQ(id("\xff\xd8\xff\xe0", 4), VG_IMAGE_JPEG);
    CHECK_INTEQ(id("\x89PNG\r\n\x1a\n", 8), VG_IMAGE_PNG);
    CHECK_INTEQ(id("\x89PNG\r\n\x1a", 7), VG_IMAGE_UNKNOWN);
    CHECK_INTEQ(id("GIF89a", 6), VG_IMAGE_GIF);
    CHECK_INTEQ(id("GIF87a\1\0", 8), VG_IMAGE_GIF);
    CHECK_INTEQ(id("GIF88a\1\0", 8), VG_IMAGE_UNKNOWN);
    CHECK_INTEQ(id("RIFF\0\0\0\0WEBPVP8L", 16), VG_IMAGE_WEBP);
    CHECK_INTEQ(id("RIFF\0\0\0\0WEBPVP8 ", 16), VG_IMAGE_WEBP);
    CHECK_INTEQ(id("RIFF\0\0\0\0WEBPVP8X", 16), VG_IMAGE_WEBP);
    CHECK_INTEQ(id("RIFF\0\0\0\0WEBPJUNK", 16), VG_IMAGE_UNKNOWN);
    CHECK_INTEQ(id("RIFF\0\0\0\0WAVEfmt ", 16), VG_IMAGE_UNKNOWN);
    CHECK_INTEQ(id("II*\0\x08\0\0\0", 8), VG_IMAGE_TIFF);
    CHECK_INTEQ(id("MM\0*\0\0\0\x08", 8), VG_IMAGE_TIFF);
    CHECK_INTEQ(id("II+\0\x08\0\0\0", 8), VG_IMAGE_TIFF);
    CHECK_INTEQ(id("", 0), VG_IMAGE_UNKNOWN);
    CHECK_INTEQ(vg_image_identify(NULL, 10), VG_IMAGE_UNKNOWN);
}

static void test_bmp(void)
{
    /* 54-byte header, BITMAPINFOHEADER, pixels at 54 */
    uint8_t b[60] = {'B', 'M', 60, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0, 40, 0, 0, 0};
    CHECK_INTEQ(id(b, sizeof b), VG_IMAGE_BMP);
    b[14] = 124;
    b[10] = 138;
    CHECK_INTEQ(id(b, sizeof b), VG_IMAGE_BMP); /* V5 header, cut: decoder says truncated */
    b[14] = 41;
    CHECK_INTEQ(id(b, sizeof b), VG_IMAGE_UNKNOWN);
    b[14] = 12;
    b[10] = 2; /* pixels inside the header */
    CHECK_INTEQ(id(b, sizeof b), VG_IMAGE_UNKNOWN);
    CHECK_INTEQ(id("BMW is a car maker, not a bitmap.", 33), VG_IMAGE_UNKNOWN);
    CHECK_INTEQ(id("BM", 2), VG_IMAGE_UNKNOWN);
}

static size_t ftyp(uint8_t *b, const char *major, const char *compat)
{
    size_t n = 16 + strlen(compat);
    memset(b, 0, 64);
    b[3] = (uint8_t)n;
    memcpy(b + 4, "ftyp", 4);
    memcpy(b + 8, major, 4);
    memcpy(b + 16, compat, strlen(compat));
    return n + 8; /* and the start of the next box */
}

static void test_bmff(void)
{
    uint8_t b[64];
    CHECK_INTEQ(id(b, ftyp(b, "heic", "mif1heic")), VG_IMAGE_HEIF);
    CHECK_INTEQ(id(b, ftyp(b, "heix", "")), VG_IMAGE_HEIF);
    CHECK_INTEQ(id(b, ftyp(b, "mif1", "heic")), VG_IMAGE_HEIF);
    CHECK_INTEQ(id(b, ftyp(b, "msf1", "hevc")), VG_IMAGE_HEIF);
    CHECK_INTEQ(id(b, ftyp(b, "avif", "mif1miaf")), VG_IMAGE_AVIF);
    CHECK_INTEQ(id(b, ftyp(b, "mif1", "miafavif")), VG_IMAGE_AVIF);
    CHECK_INTEQ(id(b, ftyp(b, "avis", "msf1")), VG_IMAGE_AVIF);
    CHECK_INTEQ(id(b, ftyp(b, "isom", "iso2avc1mp41")), VG_IMAGE_UNKNOWN); /* MP4 video */
    CHECK_INTEQ(id(b, ftyp(b, "qt  ", "qt  ")), VG_IMAGE_UNKNOWN);
    /* a compatible brand past the ftyp box does not count */
    size_t n = ftyp(b, "isom", "mp41");
    memcpy(b + 20, "avif", 4);
    CHECK_INTEQ(id(b, n), VG_IMAGE_UNKNOWN);
}

static void test_names(void)
{
    CHECK_STREQ(vg_image_type_name(VG_IMAGE_AVIF), "avif");
    CHECK_STREQ(vg_image_type_name(VG_IMAGE_BMP), "bmp");
    CHECK_STREQ(vg_image_type_name((vg_image_type)99), "unknown");
}

static void test_unknown_decode(void)
{
    vg_image img;
    vg_error e;
    CHECK_INTEQ(vg_image_decode((const uint8_t *)"hello, world\n", 13, NULL, &img, &e),
                VG_ERR_FORMAT);
    CHECK_INTEQ(img.type, VG_IMAGE_UNKNOWN);
    CHECK_INTEQ(vg_image_decode((const uint8_t *)"", 0, NULL, &img, &e), VG_ERR_EMPTY);
    CHECK_INTEQ(vg_image_decode(NULL, 0, NULL, &img, &e), VG_ERR_EMPTY);
}

int main(void)
{
    test_magics();
    test_bmp();
    test_bmff();
    test_names();
    test_unknown_decode();
    TEST_DONE();
}
