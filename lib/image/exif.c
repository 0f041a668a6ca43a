/* exif.c - a bounds-checked walk of a TIFF-structured EXIF block (TIFF 6.0
 * section 2: 8-byte header, IFDs of 12-byte entries; EXIF 2.3 section 4.6 for
 * the Exif and GPS sub-IFDs): orientation for the decoders, and make, model,
 * date and GPS position for vg_exif_parse().
 *
 * Offsets are 32-bit and may point anywhere: every read goes through rd16/
 * rd32, which check it against the block. Only IFD0 and the two sub-IFDs it
 * points to are read, each entry count capped, so the walk is bounded however
 * the block loops. */
#include <stdio.h>
#include <string.h>

#include "image_int.h"
#include "vigil/exif.h"

#define EXIF_MAX_ENTRIES 1024 /* more than any real IFD; bounds the walk */

enum { T_BYTE = 1, T_ASCII = 2, T_SHORT = 3, T_LONG = 4, T_RATIONAL = 5, T_IFD = 13 };
enum {
    TAG_MAKE = 0x010f, TAG_MODEL = 0x0110, TAG_ORIENTATION = 0x0112, TAG_DATETIME = 0x0132,
    TAG_EXIF_IFD = 0x8769, TAG_GPS_IFD = 0x8825, TAG_DATETIME_ORIGINAL = 0x9003,
    TAG_GPS_LAT_REF = 1, TAG_GPS_LAT = 2, TAG_GPS_LON_REF = 3, TAG_GPS_LON = 4
};

typedef struct exif_rd {
    const uint8_t *p;
    size_t len;
    int big; /* "MM": big-endian */
} exif_rd;

typedef struct exif_ent {
    uint32_t type, count;
    size_t at; /* offset of the value: in the entry when it fits in 4 bytes */
} exif_ent;

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

/* The TIFF header: byte order and the offset of IFD0. */
static int open_block(exif_rd *r, const uint8_t *buf, size_t len, uint32_t *ifd0)
{
    r->p = buf;
    r->len = len;
    r->big = 0;
    if (!buf)
        return 0;
    if (len >= 6 && memcmp(buf, "Exif\0\0", 6) == 0) { /* tolerate the APP1 prefix */
        r->p += 6;
        r->len -= 6;
    }
    if (r->len < 8)
        return 0;
    if (memcmp(r->p, "MM\0*", 4) == 0)
        r->big = 1;
    else if (memcmp(r->p, "II*\0", 4) != 0)
        return 0;
    return rd32(r, 4, ifd0);
}

static size_t type_size(uint32_t type)
{
    static const uint8_t sz[14] = {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4};
    return type < 14 ? sz[type] : 0;
}

/* Finds tag in the IFD at ifd; its value must lie inside the block. */
static int find_tag(const exif_rd *r, uint32_t ifd, uint32_t tag, exif_ent *e)
{
    uint32_t count, t, off;

    if (!rd16(r, ifd, &count) || count > EXIF_MAX_ENTRIES)
        return 0;
    for (uint32_t i = 0; i < count; i++) {
        size_t at = (size_t)ifd + 2 + (size_t)i * 12;
        uint64_t bytes;
        if (!rd16(r, at, &t))
            return 0;
        if (t != tag)
            continue;
        if (!rd16(r, at + 2, &e->type) || !rd32(r, at + 4, &e->count))
            return 0;
        bytes = (uint64_t)type_size(e->type) * e->count;
        if (bytes == 0)
            return 0;
        if (bytes <= 4) {
            e->at = at + 8;
        } else {
            if (!rd32(r, at + 8, &off))
                return 0;
            e->at = off;
        }
        return e->at <= r->len && bytes <= r->len - e->at;
    }
    return 0;
}

static int get_uint(const exif_rd *r, uint32_t ifd, uint32_t tag, uint32_t *v)
{
    exif_ent e;

    if (!find_tag(r, ifd, tag, &e) || e.count != 1)
        return 0;
    if (e.type == T_SHORT)
        return rd16(r, e.at, v);
    return (e.type == T_LONG || e.type == T_IFD) && rd32(r, e.at, v);
}

int vgi_exif_orientation(const uint8_t *buf, size_t len)
{
    exif_rd r;
    uint32_t ifd0, v;
    exif_ent e;

    if (!open_block(&r, buf, len, &ifd0) || !find_tag(&r, ifd0, TAG_ORIENTATION, &e) ||
        e.type != T_SHORT || e.count != 1 || !rd16(&r, e.at, &v))
        return 0;
    return v >= 1 && v <= 8 ? (int)v : 0;
}

/* ASCII value into dst, printable ASCII only, stopping at the first NUL. */
static void get_text(const exif_rd *r, uint32_t ifd, uint32_t tag, char *dst, size_t cap)
{
    exif_ent e;
    size_t n = 0;

    dst[0] = '\0';
    if (!find_tag(r, ifd, tag, &e) || e.type != T_ASCII)
        return;
    for (; n < e.count && n + 1 < cap && r->p[e.at + n]; n++) {
        uint8_t c = r->p[e.at + n];
        dst[n] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    while (n > 0 && dst[n - 1] == ' ') /* cameras pad with spaces */
        n--;
    dst[n] = '\0';
}

/* Degrees from three RATIONALs (degrees, minutes, seconds); -1 if unusable. */
static double get_dms(const exif_rd *r, uint32_t ifd, uint32_t tag)
{
    exif_ent e;
    double v[3];

    if (!find_tag(r, ifd, tag, &e) || e.type != T_RATIONAL || e.count != 3)
        return -1;
    for (int i = 0; i < 3; i++) {
        uint32_t num, den;
        if (!rd32(r, e.at + 8 * (size_t)i, &num) || !rd32(r, e.at + 8 * (size_t)i + 4, &den) ||
            den == 0)
            return -1;
        v[i] = (double)num / den;
    }
    return v[0] + v[1] / 60.0 + v[2] / 3600.0;
}

static void read_gps(const exif_rd *r, uint32_t gps, vg_exif *out)
{
    char lat_ref[4], lon_ref[4];
    double lat = get_dms(r, gps, TAG_GPS_LAT), lon = get_dms(r, gps, TAG_GPS_LON);

    get_text(r, gps, TAG_GPS_LAT_REF, lat_ref, sizeof lat_ref);
    get_text(r, gps, TAG_GPS_LON_REF, lon_ref, sizeof lon_ref);
    if (lat < 0 || lat > 90 || lon < 0 || lon > 180)
        return;
    out->has_gps = 1;
    out->latitude = lat_ref[0] == 'S' ? -lat : lat;
    out->longitude = lon_ref[0] == 'W' ? -lon : lon;
}

vg_status vg_exif_parse(const uint8_t *block, size_t len, vg_exif *out, vg_error *err)
{
    exif_rd r;
    uint32_t ifd0, sub;

    memset(out, 0, sizeof *out);
    if (!open_block(&r, block, len, &ifd0))
        return vg_errorf(err, VG_ERR_CORRUPT, "EXIF: no TIFF header in the %zu-byte block", len);
    out->orientation = vgi_exif_orientation(block, len);
    get_text(&r, ifd0, TAG_MAKE, out->make, sizeof out->make);
    get_text(&r, ifd0, TAG_MODEL, out->model, sizeof out->model);
    get_text(&r, ifd0, TAG_DATETIME, out->datetime, sizeof out->datetime);
    if (get_uint(&r, ifd0, TAG_EXIF_IFD, &sub) && sub != ifd0) {
        char orig[sizeof out->datetime];
        get_text(&r, sub, TAG_DATETIME_ORIGINAL, orig, sizeof orig);
        if (orig[0])
            memcpy(out->datetime, orig, sizeof orig);
    }
    if (get_uint(&r, ifd0, TAG_GPS_IFD, &sub) && sub != ifd0)
        read_gps(&r, sub, out);
    return VG_OK;
}
