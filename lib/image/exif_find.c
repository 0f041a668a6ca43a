/* exif_find.c - vg_exif_read: where each format keeps its EXIF block.
 *
 * JPEG: an APP1 segment starting "Exif\0\0", before the first scan (EXIF 2.3
 * section 4.5.4). PNG: the eXIf chunk. WebP: the RIFF chunk "EXIF". TIFF: the
 * file is itself the block (its IFD0 carries Make, Model, the Exif and GPS
 * pointers). HEIF/AVIF: the primary image's Exif item (heif.c). GIF and BMP
 * have none. */
#include <string.h>

#include "image_int.h"
#include "vigil/exif.h"

static uint32_t be16(const uint8_t *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Marker segments up to the first scan; standalone markers have no length. */
static const uint8_t *jpeg_exif(const uint8_t *b, size_t len, size_t *n)
{
    size_t pos = 2;

    while (len >= pos + 4) {
        uint8_t m = b[pos + 1];
        uint32_t seg;
        if (b[pos] != 0xff)
            return NULL;
        if (m == 0xff) { /* fill byte */
            pos++;
            continue;
        }
        if (m == 0x01 || (m >= 0xd0 && m <= 0xd8)) {
            pos += 2;
            continue;
        }
        if (m == 0xda || m == 0xd9)
            return NULL;
        seg = be16(b + pos + 2);
        if (seg < 2 || seg > len - pos - 2)
            return NULL;
        if (m == 0xe1 && seg >= 2 + 6 && memcmp(b + pos + 4, "Exif\0\0", 6) == 0) {
            *n = seg - 2 - 6;
            return b + pos + 4 + 6;
        }
        pos += 2 + (size_t)seg;
    }
    return NULL;
}

/* RIFF chunks after "RIFF size WEBP", each padded to an even size. */
static const uint8_t *webp_exif(const uint8_t *b, size_t len, size_t *n)
{
    size_t off = 12;

    while (len >= off && len - off >= 8) {
        uint32_t size = le32(b + off + 4);
        if (size > len - off - 8)
            return NULL;
        if (memcmp(b + off, "EXIF", 4) == 0) {
            *n = size;
            return b + off + 8;
        }
        off += 8 + (size_t)size + (size & 1);
    }
    return NULL;
}

vg_status vg_exif_read(const uint8_t *buf, size_t len, vg_exif *out, vg_error *err)
{
    const uint8_t *blk = NULL;
    size_t n = 0;
    vg_image_type t = vg_image_identify(buf, len);

    memset(out, 0, sizeof *out);
    switch (t) {
    case VG_IMAGE_JPEG: blk = jpeg_exif(buf, len, &n); break;
    case VG_IMAGE_PNG: blk = vgi_png_chunk(buf, len, "eXIf", &n); break;
    case VG_IMAGE_WEBP: blk = webp_exif(buf, len, &n); break;
    case VG_IMAGE_TIFF: blk = buf, n = len; break;
    case VG_IMAGE_HEIF:
    case VG_IMAGE_AVIF: return vgi_heif_exif(buf, len, out, err);
    default: break;
    }
    if (!blk)
        return vg_errorf(err, VG_ERR_NOTFOUND, "no EXIF block in this %s file",
                         vg_image_type_name(t));
    return vg_exif_parse(blk, n, out, err);
}
