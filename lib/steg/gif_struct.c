/* gif_struct.c - walks GIF blocks (GIF89a spec) to the trailer 0x3B; reports
 * long comments and unknown application extensions. */
#include <string.h>

#include "steg_int.h"

#define COMMENT_MAX 1024
#define APP_UNKNOWN_MAX 256

/* Skips data sub-blocks from p; returns the offset after the terminator and
 * the payload total in *sum, or 0 if the data ends first. */
static size_t sub_blocks(const uint8_t *b, size_t n, size_t p, size_t *sum)
{
    *sum = 0;
    while (p < n) {
        size_t k = b[p];
        if (k == 0)
            return p + 1;
        if (p + 1 + k > n)
            return 0;
        *sum += k;
        p += 1 + k;
    }
    return 0;
}

static int app_known(const uint8_t *b, size_t n, size_t p)
{
    static const char *const ids[] = {"NETSCAPE2.0", "ANIMEXTS1.0", "XMP DataXMP",
                                      "ICCRGBG1012", "MGLIB"};
    if (p + 12 > n || b[p] != 11)
        return 0;
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (memcmp(b + p + 1, ids[i], strlen(ids[i])) == 0)
            return 1;
    return 0;
}

static size_t extension(const uint8_t *b, size_t n, size_t p, vg_steg_findings *f, int *err)
{
    if (p + 2 > n)
        return 0;
    int label = b[p + 1];
    size_t start = p + 2, sum;
    size_t q = sub_blocks(b, n, start, &sum);
    if (!q)
        return 0;
    if (label == 0xfe && sum > COMMENT_MAX)
        *err |= vgi_steg_add(f, b, VG_STEG_SEGMENT, start, q - start,
                             "GIF comment extension of %zu bytes", sum) < 0;
    else if (label == 0xff && !app_known(b, n, start) && sum > APP_UNKNOWN_MAX)
        *err |= vgi_steg_add(f, b, VG_STEG_SEGMENT, start, q - start,
                             "unknown GIF application extension of %zu bytes", sum) < 0;
    return q;
}

static size_t image(const uint8_t *b, size_t n, size_t p)
{
    if (p + 10 > n)
        return 0;
    int flags = b[p + 9];
    p += 10;
    if (flags & 0x80)
        p += 3u * (2u << (flags & 7));
    if (p + 1 > n)
        return 0;
    size_t sum;
    return sub_blocks(b, n, p + 1, &sum); /* after the LZW minimum code size */
}

int vgi_steg_gif_walk(const uint8_t *b, size_t n, vg_steg_findings *f, size_t *end)
{
    *end = 0;
    if (n < 13 || (memcmp(b, "GIF87a", 6) != 0 && memcmp(b, "GIF89a", 6) != 0))
        return 0;
    size_t p = 13;
    if (b[10] & 0x80)
        p += 3u * (2u << (b[10] & 7));
    int err = 0;
    while (p < n && !err) {
        if (b[p] == 0x3b) {
            *end = p + 1;
            break;
        }
        if (b[p] == 0x21)
            p = extension(b, n, p, f, &err);
        else if (b[p] == 0x2c)
            p = image(b, n, p);
        else
            break;
        if (!p)
            break;
    }
    return err ? -1 : 0;
}
