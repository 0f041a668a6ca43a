/* webp_struct.c - the RIFF extent of a WebP and its chunks (RFC 9649). */
#include <string.h>

#include "steg_int.h"

#define UNKNOWN_MAX 256

static int known(const uint8_t *t)
{
    static const char *const k[] = {"VP8 ", "VP8L", "VP8X", "ALPH", "ANIM",
                                    "ANMF", "ICCP", "EXIF", "XMP "};
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (memcmp(t, k[i], 4) == 0)
            return 1;
    return 0;
}

int vgi_steg_webp_walk(const uint8_t *b, size_t n, vg_steg_findings *f, size_t *end)
{
    *end = 0;
    if (n < 12 || memcmp(b, "RIFF", 4) != 0 || memcmp(b + 8, "WEBP", 4) != 0)
        return 0;
    uint64_t e = 8 + (uint64_t)vgi_le32(b + 4);
    if (e > n)
        return 0;
    size_t p = 12;
    while (p + 8 <= e) {
        uint64_t len = vgi_le32(b + p + 4);
        if (p + 8 + len > e)
            break;
        if (!known(b + p) && len > UNKNOWN_MAX &&
            vgi_steg_add(f, b, VG_STEG_SEGMENT, p + 8, (size_t)len,
                         "unknown WebP chunk '%.4s' of %llu bytes", (const char *)(b + p),
                         (unsigned long long)len) < 0)
            return -1;
        p += 8 + (size_t)len + (len & 1);
    }
    /* A RIFF size that is odd is followed by one pad byte. */
    *end = (size_t)(e + (e & 1) <= n ? e + (e & 1) : e);
    return 0;
}
