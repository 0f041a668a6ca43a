/* polyglot.c - foreign file signatures inside an image (ZIP, RAR, 7z, PDF,
 * ELF, PE): the file then opens both as an image and as the other format.
 *
 * Entropy-coded image data is random-looking, so every signature is checked
 * beyond its magic (ZIP header fields, PE's "PE\0\0" at e_lfanew) to keep
 * chance matches in a 20 MB image far below one in a thousand files. The
 * search jumps between candidates with memchr, which keeps it at memory speed.
 */
#include <string.h>

#include "steg_int.h"

static int zip_local(const uint8_t *p, size_t n)
{
    if (n < 30 || memcmp(p, "PK\x03\x04", 4) != 0)
        return 0;
    uint32_t ver = vgi_le16(p + 4), method = vgi_le16(p + 8), name = vgi_le16(p + 26);
    if (ver > 63 || name == 0 || name > 1024 || 30 + (size_t)name > n)
        return 0;
    if (method != 0 && method != 8 && method != 9 && method != 12 && method != 14 &&
        method != 93 && method != 95 && method != 98 && method != 99)
        return 0;
    for (uint32_t i = 0; i < name; i++)
        if (p[30 + i] < 0x20 || p[30 + i] == 0x7f)
            return 0;
    return 1;
}

static int zip_eocd(const uint8_t *p, size_t n)
{
    if (n < 22 || memcmp(p, "PK\x05\x06", 4) != 0)
        return 0;
    return vgi_le16(p + 4) == 0 && vgi_le16(p + 6) == 0 && vgi_le16(p + 8) == vgi_le16(p + 10) &&
           vgi_le16(p + 8) > 0 && 22 + (size_t)vgi_le16(p + 20) <= n;
}

static int pe(const uint8_t *p, size_t n)
{
    if (n < 64 || p[0] != 'M' || p[1] != 'Z')
        return 0;
    uint32_t e = vgi_le32(p + 60);
    return e >= 64 && e < 4096 && (size_t)e + 4 <= n && memcmp(p + e, "PE\0\0", 4) == 0;
}

static int elf(const uint8_t *p, size_t n)
{
    return n >= 20 && memcmp(p, "\x7f" "ELF", 4) == 0 && (p[4] == 1 || p[4] == 2) &&
           (p[5] == 1 || p[5] == 2) && p[6] == 1;
}

/* Which signature starts at p, or NULL. */
static const char *sig_at(const uint8_t *p, size_t n)
{
    switch (p[0]) {
    case 'P':
        if (zip_local(p, n))
            return "ZIP local file header";
        return zip_eocd(p, n) ? "ZIP end of central directory" : NULL;
    case 'R': return n >= 7 && memcmp(p, "Rar!\x1a\x07", 6) == 0 && p[6] <= 1 ? "RAR archive" : NULL;
    case '7': return n >= 8 && memcmp(p, "7z\xbc\xaf\x27\x1c\x00", 7) == 0 ? "7z archive" : NULL;
    case '%': return n >= 8 && memcmp(p, "%PDF-1.", 7) == 0 ? "PDF document" : NULL;
    case 0x7f: return elf(p, n) ? "ELF executable" : NULL;
    case 'M': return pe(p, n) ? "PE executable" : NULL;
    default: return NULL;
    }
}

int vgi_steg_polyglot(const uint8_t *b, size_t end, vg_steg_findings *f)
{
    static const uint8_t first[] = {'P', 'R', '7', '%', 0x7f, 'M'};
    /* One finding per signature kind: a ZIP has many local headers. */
    int seen[sizeof first] = {0};
    for (size_t k = 0; k < sizeof first; k++) {
        size_t p = 0;
        while (p < end && !seen[k]) {
            const uint8_t *q = memchr(b + p, first[k], end - p);
            if (!q)
                break;
            p = (size_t)(q - b);
            const char *what = sig_at(q, end - p);
            if (what) {
                seen[k] = 1;
                if (vgi_steg_add(f, b, VG_STEG_EMBEDDED, p, end - p, "%s at offset %zu inside the image",
                                 what, p) < 0)
                    return -1;
            }
            p++;
        }
    }
    return 0;
}
