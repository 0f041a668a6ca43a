/* exif.c - EXIF orientation from a TIFF-structured block: a bounds-checked walk
 * of IFD0 only (TIFF 6.0 section 2: 8-byte header, then 12-byte entries).
 *
 * Orientation is tag 0x0112, type SHORT, count 1; its value sits in the first
 * two bytes of the entry's value field in the block's byte order. Every read is
 * checked against len, offsets are 32-bit and may point anywhere. */
#include <string.h>

#include "image_int.h"

#define EXIF_TAG_ORIENTATION 0x0112
#define EXIF_TYPE_SHORT 3
#define EXIF_MAX_ENTRIES 1024 /* more than any real IFD0; bounds the walk */

typedef struct exif_rd {
    const uint8_t *p;
    size_t len;
    int big; /* "MM": big-endian */
} exif_rd;

static int rd16(const exif_rd *r, size_t off, uint32_t *v)
{
    if (off > r->len || r->len - off < 2)
        return 0;
    *v = r->big ? (uint32_t)r->p[off] << 8 | r->p[off + 1]
                : (uint32_t)r->p[off + 1] << 8 | r->p[off];
    return 1;
}

static int rd32(const exif_rd *r, size_t off, uint32_t *v)
{
    uint32_t hi, lo;

    if (!rd16(r, off, r->big ? &hi : &lo) || !rd16(r, off + 2, r->big ? &lo : &hi))
        return 0;
    *v = hi << 16 | lo;
    return 1;
}

int vgi_exif_orientation(const uint8_t *buf, size_t len)
{
    exif_rd r = {buf, len, 0};
    uint32_t ifd, count, tag, type, n, val;

    if (!buf)
        return 0;
    if (len >= 6 && memcmp(buf, "Exif\0\0", 6) == 0) { /* tolerate the APP1 prefix */
        r.p += 6;
        r.len -= 6;
    }
    if (r.len < 8)
        return 0;
    if (memcmp(r.p, "MM\0*", 4) == 0)
        r.big = 1;
    else if (memcmp(r.p, "II*\0", 4) != 0)
        return 0;
    if (!rd32(&r, 4, &ifd) || !rd16(&r, ifd, &count) || count > EXIF_MAX_ENTRIES)
        return 0;
    for (uint32_t i = 0; i < count; i++) {
        size_t e = (size_t)ifd + 2 + (size_t)i * 12;
        if (!rd16(&r, e, &tag) || !rd16(&r, e + 2, &type) || !rd32(&r, e + 4, &n))
            return 0;
        if (tag != EXIF_TAG_ORIENTATION)
            continue;
        if (type != EXIF_TYPE_SHORT || n != 1 || !rd16(&r, e + 8, &val))
            return 0;
        return val >= 1 && val <= 8 ? (int)val : 0;
    }
    return 0;
}
