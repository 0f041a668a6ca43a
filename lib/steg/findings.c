/* findings.c - the structural findings list, entropy and payload magic. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "steg_int.h"

void vg_steg_findings_free(vg_steg_findings *f)
{
    if (!f)
        return;
    free(f->v);
    memset(f, 0, sizeof *f);
}

double vg_steg_entropy(const uint8_t *buf, size_t len)
{
    if (!buf || len == 0)
        return 0.0;
    uint64_t h[256] = {0};
    for (size_t i = 0; i < len; i++)
        h[buf[i]]++;
    double e = 0.0;
    for (int i = 0; i < 256; i++) {
        if (h[i]) {
            double p = (double)h[i] / (double)len;
            e -= p * log2(p);
        }
    }
    return e;
}

static int starts(const uint8_t *b, size_t n, const char *sig, size_t k)
{
    return n >= k && memcmp(b, sig, k) == 0;
}

static int all_printable(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((b[i] < 0x20 || b[i] > 0x7e) && b[i] != '\n' && b[i] != '\r' && b[i] != '\t')
            return 0;
    return 1;
}

static int all_pad(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (b[i] != 0 && b[i] != 0xff)
            return 0;
    return 1;
}

/* Zeros, 0xFF or line ends: what writers leave as padding. */
static int padding(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (b[i] != 0 && b[i] != 0xff && b[i] != '\n' && b[i] != '\r' && b[i] != ' ')
            return 0;
    return 1;
}

const char *vg_steg_magic(const uint8_t *b, size_t n)
{
    if (!b || n == 0)
        return "data";
    if (starts(b, n, "PK\x03\x04", 4) || starts(b, n, "PK\x05\x06", 4))
        return "zip";
    if (starts(b, n, "Rar!\x1a\x07", 6))
        return "rar";
    if (starts(b, n, "7z\xbc\xaf\x27\x1c", 6))
        return "7z";
    if (starts(b, n, "%PDF-", 5))
        return "pdf";
    if (starts(b, n, "\x7f" "ELF", 4))
        return "elf";
    if (starts(b, n, "MZ", 2))
        return "pe";
    if (starts(b, n, "\x1f\x8b", 2))
        return "gzip";
    if (starts(b, n, "\xff\xd8\xff", 3))
        return "jpeg";
    if (starts(b, n, "\x89PNG\r\n\x1a\n", 8))
        return "png";
    if (starts(b, n, "GIF8", 4))
        return "gif";
    if (starts(b, n, "-----BEGIN PGP", 14))
        return "pgp";
    if (starts(b, n, "BZh", 3))
        return "bzip2";
    if (starts(b, n, "\xfd" "7zXZ", 5))
        return "xz";
    if (all_pad(b, n))
        return "zeros";
    if (all_printable(b, n < 4096 ? n : 4096))
        return "text";
    return "data";
}

int vgi_steg_add(vg_steg_findings *f, const uint8_t *buf, vg_steg_kind kind, size_t off,
                 size_t n, const char *fmt, ...)
{
    if (f->n >= VG_STEG_MAX_FINDINGS)
        return 0;
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 8;
        vg_steg_finding *v = realloc(f->v, cap * sizeof *v);
        if (!v)
            return -1;
        f->v = v;
        f->cap = cap;
    }
    vg_steg_finding *x = &f->v[f->n++];
    memset(x, 0, sizeof *x);
    x->kind = kind;
    x->offset = off;
    x->length = n;
    x->entropy = vg_steg_entropy(buf + off, n);
    snprintf(x->type, sizeof x->type, "%s", vg_steg_magic(buf + off, n));
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->detail, sizeof x->detail, fmt, ap);
    va_end(ap);
    return 0;
}

/* Padding to a block size (zeros or 0xFF, as some cameras and editors write,
 * or a stray line end) carries no message worth reporting; 4 KiB covers the
 * sizes seen. */
#define PAD_MAX 4096

int vgi_steg_trailer(vg_steg_findings *f, const uint8_t *buf, size_t len, size_t end,
                     const char *what)
{
    if (end == 0 || end >= len)
        return 0;
    size_t n = len - end;
    if (n < PAD_MAX && padding(buf + end, n))
        return 0;
    return vgi_steg_add(f, buf, VG_STEG_APPENDED, end, n, "%zu bytes after %s", n, what);
}
