/* jpeg_struct.c - walks JPEG markers to find the true end of the last frame
 * and odd segments (COM, unknown APPn, giant ICC/XMP, F5's comment).
 *
 * The walk follows segment lengths and, after SOS, the entropy-coded data up
 * to the next marker that is neither a stuffed 0xFF00 nor RSTn (ITU T.81
 * B.1.1.5), so an EXIF thumbnail's SOI/EOI inside APP1 is skipped as segment
 * payload. After an EOI, a following SOI is walked as a further frame only
 * when the first frame declared an MPF (CIPA DC-007) index; otherwise the
 * bytes after the EOI are appended data, whatever they are.
 */
#include <string.h>

#include "steg_int.h"

/* F5 (Westfeld 2001) writes this comment into every file it produces. */
static const char F5_COMMENT[] = "JPEG Encoder Copyright 1998, James R. Weeks and BioElectroMech.";

#define COM_MAX 1024          /* longer comments are reported */
#define APP_UNKNOWN_MAX 256   /* unknown APPn payloads above this are reported */
#define ICC_MAX (1u << 20)    /* sum of ICC_PROFILE chunks */
#define XMP_MAX (256u << 10)  /* sum of XMP and extended XMP */

typedef struct jwalk {
    const uint8_t *b;
    size_t n;
    vg_steg_findings *f;
    int mpf;
    uint64_t icc, xmp;
    size_t icc_off, xmp_off;
} jwalk;

static int has_id(const uint8_t *p, size_t n, const char *id)
{
    size_t k = strlen(id) + 1; /* identifiers include their NUL */
    return n >= k && memcmp(p, id, k) == 0;
}

static int app_known(int m, const uint8_t *p, size_t n, jwalk *w, size_t off)
{
    switch (m) {
    case 0: return has_id(p, n, "JFIF") || has_id(p, n, "JFXX");
    case 1:
        if (has_id(p, n, "http://ns.adobe.com/xap/1.0/") ||
            has_id(p, n, "http://ns.adobe.com/xmp/extension/")) {
            if (!w->xmp)
                w->xmp_off = off;
            w->xmp += n;
            return 1;
        }
        return n >= 6 && memcmp(p, "Exif\0", 5) == 0;
    case 2:
        if (has_id(p, n, "ICC_PROFILE")) {
            if (!w->icc)
                w->icc_off = off;
            w->icc += n;
            return 1;
        }
        if (has_id(p, n, "MPF")) {
            w->mpf = 1;
            return 1;
        }
        return has_id(p, n, "FPXR");
    case 11: return n >= 2 && memcmp(p, "JP", 2) == 0; /* JPEG XT / HDR boxes */
    case 12: return n >= 5 && memcmp(p, "Ducky", 5) == 0;
    case 13: return has_id(p, n, "Photoshop 3.0") || (n >= 7 && memcmp(p, "Adobe_C", 7) == 0);
    case 14: return n >= 5 && memcmp(p, "Adobe", 5) == 0;
    default: return 0;
    }
}

static int check_segment(jwalk *w, int m, size_t off, size_t n)
{
    const uint8_t *p = w->b + off;
    if (m == 0xfe) {
        size_t k = sizeof F5_COMMENT - 1;
        if (n >= k && memcmp(p, F5_COMMENT, k) == 0)
            return vgi_steg_add(w->f, w->b, VG_STEG_TOOLMARK, off, n,
                                "F5 encoder comment (F5 steganography)");
        /* Long readable comments are common (ImageMagick stores XMP as
         * "XML:com.adobe.xmp: <?xpacket..."); binary or encoded ones are not. */
        if (n > COM_MAX && (!vgi_steg_printable(p, n) || vgi_steg_blob_text(p, n)))
            return vgi_steg_add(w->f, w->b, VG_STEG_SEGMENT, off, n,
                                "JPEG COM segment of %zu bytes", n);
        return 0;
    }
    if (m >= 0xe0 && m <= 0xef && !app_known(m - 0xe0, p, n, w, off) && n > APP_UNKNOWN_MAX)
        return vgi_steg_add(w->f, w->b, VG_STEG_SEGMENT, off, n,
                            "unknown APP%d segment of %zu bytes", m - 0xe0, n);
    return 0;
}

/* Offset of the next marker after entropy-coded data starting at p, or n. */
static size_t skip_ecs(const uint8_t *b, size_t n, size_t p)
{
    while (p + 1 < n) {
        const uint8_t *q = memchr(b + p, 0xff, n - p - 1);
        if (!q)
            return n;
        p = (size_t)(q - b);
        uint8_t c = b[p + 1];
        if (c == 0x00 || (c >= 0xd0 && c <= 0xd7) || c == 0xff) {
            p += (c == 0xff) ? 1 : 2;
            continue;
        }
        return p;
    }
    return n;
}

/* Walks one frame from its SOI at p; returns the offset after its EOI, or 0
 * when the structure breaks or the data ends first. */
static size_t walk_frame(jwalk *w, size_t p, int *err)
{
    const uint8_t *b = w->b;
    size_t n = w->n;
    p += 2;
    while (p + 1 < n) {
        if (b[p] != 0xff)
            return 0;
        while (p + 1 < n && b[p + 1] == 0xff)
            p++; /* fill bytes */
        if (p + 1 >= n)
            return 0;
        int m = b[p + 1];
        if (m == 0xd9)
            return p + 2;
        if (m == 0xd8 || m == 0x00)
            return 0;
        if ((m >= 0xd0 && m <= 0xd7) || m == 0x01) {
            p += 2;
            continue;
        }
        if (p + 4 > n)
            return 0;
        size_t len = vgi_be16(b + p + 2);
        if (len < 2 || p + 2 + len > n)
            return 0;
        if (check_segment(w, m, p + 4, len - 2) < 0) {
            *err = 1;
            return 0;
        }
        p += 2 + len;
        if (m == 0xda)
            p = skip_ecs(b, n, p);
    }
    return 0;
}

static int report_totals(jwalk *w)
{
    if (w->icc > ICC_MAX &&
        vgi_steg_add(w->f, w->b, VG_STEG_SEGMENT, w->icc_off, 0,
                     "ICC profile of %llu bytes in APP2", (unsigned long long)w->icc) < 0)
        return -1;
    if (w->xmp > XMP_MAX &&
        vgi_steg_add(w->f, w->b, VG_STEG_SEGMENT, w->xmp_off, 0,
                     "XMP of %llu bytes in APP1", (unsigned long long)w->xmp) < 0)
        return -1;
    return 0;
}

int vgi_steg_jpeg_walk(const uint8_t *b, size_t n, vg_steg_findings *f, size_t *end)
{
    jwalk w = {.b = b, .n = n, .f = f};
    int err = 0;
    *end = 0;
    if (n < 4 || b[0] != 0xff || b[1] != 0xd8)
        return 0;
    size_t p = walk_frame(&w, 0, &err);
    /* Further frames only for MPF files, and at most 64 of them. */
    for (int k = 0; p && !err && w.mpf && k < 64; k++) {
        if (p + 3 > n || b[p] != 0xff || b[p + 1] != 0xd8 || b[p + 2] != 0xff)
            break;
        size_t q = walk_frame(&w, p, &err);
        if (!q)
            break;
        p = q;
    }
    if (err)
        return -1;
    *end = p;
    return report_totals(&w);
}
