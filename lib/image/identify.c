/* identify.c - image type by content: magic bytes, then a minimal parse.
 *
 * The file name is never consulted. A magic that is long and specific (PNG's
 * eight bytes, GIF87a/GIF89a) decides alone; short or generic ones are
 * confirmed by a parse of the fields right after them (BMP's header size,
 * WebP's first chunk, ISO-BMFF's ftyp brands), so that a text file starting
 * "BM" is not called a bitmap. A file that ends before the confirming field is
 * still identified when its magic is complete, so that the decoder can report
 * VG_ERR_TRUNCATED rather than the caller seeing "unknown format". */
#include <string.h>

#include "image_int.h"

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static int is_png(const uint8_t *b, size_t n)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    return n >= 8 && memcmp(b, sig, 8) == 0;
}

static int is_gif(const uint8_t *b, size_t n)
{
    return n >= 6 && (memcmp(b, "GIF87a", 6) == 0 || memcmp(b, "GIF89a", 6) == 0);
}

static int is_tiff(const uint8_t *b, size_t n)
{
    /* classic TIFF (42) and BigTIFF (43), which libtiff reads too */
    return n >= 4 && (memcmp(b, "II*\0", 4) == 0 || memcmp(b, "MM\0*", 4) == 0 ||
                      memcmp(b, "II+\0", 4) == 0 || memcmp(b, "MM\0+", 4) == 0);
}

static int is_webp(const uint8_t *b, size_t n)
{
    if (n < 12 || memcmp(b, "RIFF", 4) != 0 || memcmp(b + 8, "WEBP", 4) != 0)
        return 0;
    if (n < 16)
        return 1;
    return memcmp(b + 12, "VP8 ", 4) == 0 || memcmp(b + 12, "VP8L", 4) == 0 ||
           memcmp(b + 12, "VP8X", 4) == 0;
}

/* BITMAPFILEHEADER (14 bytes) then the DIB header's own size: the OS/2 and
 * Windows variants are 12, 16, 40, 52, 56, 64, 108 or 124 bytes. */
static int is_bmp(const uint8_t *b, size_t n)
{
    static const uint32_t sizes[] = {12, 16, 40, 52, 56, 64, 108, 124};
    uint32_t hs;

    if (n < 18 || b[0] != 'B' || b[1] != 'M')
        return 0;
    hs = le32(b + 14);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        if (hs == sizes[i])
            return le32(b + 10) >= 14 + hs || n < 14 + hs; /* pixels after headers */
    return 0;
}

static int brand_in(const uint8_t *brand, const char *const *list)
{
    for (; *list; list++)
        if (memcmp(brand, *list, 4) == 0)
            return 1;
    return 0;
}

/* ISO-BMFF: the first box is ftyp with a major brand and compatible brands.
 * AVIF wins over HEIF when both are listed: an AVIF file lists mif1 too. */
static vg_image_type bmff_type(const uint8_t *b, size_t n)
{
    static const char *const avif[] = {"avif", "avis", NULL};
    static const char *const heif[] = {"heic", "heix", "heim", "heis", "hevc", "hevx",
                                       "mif1", "msf1", NULL};
    uint32_t box, end;

    if (n < 12 || memcmp(b + 4, "ftyp", 4) != 0)
        return VG_IMAGE_UNKNOWN;
    box = be32(b);
    if (box < 16 || box > 4096)
        return VG_IMAGE_UNKNOWN;
    if (brand_in(b + 8, avif))
        return VG_IMAGE_AVIF;
    end = box < n ? box : (uint32_t)n;
    for (uint32_t off = 16; off + 4 <= end; off += 4)
        if (brand_in(b + off, avif))
            return VG_IMAGE_AVIF;
    if (brand_in(b + 8, heif))
        return VG_IMAGE_HEIF;
    for (uint32_t off = 16; off + 4 <= end; off += 4)
        if (brand_in(b + off, heif))
            return VG_IMAGE_HEIF;
    return VG_IMAGE_UNKNOWN;
}

vg_image_type vg_image_identify(const uint8_t *buf, size_t len)
{
    if (!buf)
        return VG_IMAGE_UNKNOWN;
    if (len >= 3 && buf[0] == 0xff && buf[1] == 0xd8 && buf[2] == 0xff)
        return VG_IMAGE_JPEG;
    if (is_png(buf, len))
        return VG_IMAGE_PNG;
    if (is_gif(buf, len))
        return VG_IMAGE_GIF;
    if (is_webp(buf, len))
        return VG_IMAGE_WEBP;
    if (is_bmp(buf, len))
        return VG_IMAGE_BMP;
    if (is_tiff(buf, len))
        return VG_IMAGE_TIFF;
    return bmff_type(buf, len);
}
