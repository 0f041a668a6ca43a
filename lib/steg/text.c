/* text.c - is a text chunk an encoded blob? (base64, hex or high entropy) */
#include <ctype.h>

#include "steg_int.h"

/* A caption or licence is prose: spaces, a low share of digits, entropy near
 * 4.5 bits. Base64 or hex of a file is long, has no spaces and a near-uniform
 * alphabet; these bounds separate them with room (docs/steg.md). */
#define BLOB_MIN 1024
#define BLOB_ALPHA_SHARE 0.97
#define BLOB_ENTROPY 6.0

static int b64ch(int c)
{
    return isalnum(c) || c == '+' || c == '/' || c == '=' || c == '-' || c == '_' ||
           c == '\n' || c == '\r';
}

int vgi_steg_blob_text(const uint8_t *s, size_t n)
{
    if (n < BLOB_MIN)
        return 0;
    size_t b64 = 0;
    for (size_t i = 0; i < n; i++)
        b64 += b64ch(s[i]) != 0;
    if ((double)b64 >= BLOB_ALPHA_SHARE * (double)n)
        return 1;
    return vg_steg_entropy(s, n) > BLOB_ENTROPY;
}

int vgi_steg_printable(const uint8_t *s, size_t n)
{
    size_t ok = 0;
    for (size_t i = 0; i < n; i++)
        ok += (s[i] >= 0x20 && s[i] != 0x7f) || s[i] == '\n' || s[i] == '\r' || s[i] == '\t';
    return n && (double)ok >= 0.95 * (double)n;
}
