/* linereader.c - bounded line reading: BOM, CRLF, NUL bytes, line numbers. */
#include <stdlib.h>
#include <string.h>

#include "hashset_int.h"

void vgi_hs_lr_init(vgi_lr *r, FILE *f)
{
    memset(r, 0, sizeof *r);
    r->f = f;
}

void vgi_hs_lr_free(vgi_lr *r)
{
    free(r->buf);
    r->buf = NULL;
}

static int grow(vgi_lr *r, size_t need)
{
    if (need <= r->cap)
        return 0;
    size_t cap = r->cap ? r->cap * 2 : 4096;
    while (cap < need)
        cap *= 2;
    char *nb = realloc(r->buf, cap);
    if (!nb)
        return -1;
    r->buf = nb;
    r->cap = cap;
    return 0;
}

int vgi_hs_lr_next(vgi_lr *r, vgi_hs_ctx *c, char **line, size_t *len, vg_status *st)
{
    size_t n = 0;
    int ch = EOF;
    int nul = 0;
    while ((ch = getc_unlocked(r->f)) != EOF && ch != '\n') {
        if (n >= VG_HS_MAX_LINE) {
            *st = vgi_hs_fail(c, VG_ERR_LIMIT, r->lineno + 1, "line longer than %u bytes",
                           VG_HS_MAX_LINE);
            return -1;
        }
        if (grow(r, n + 2) != 0) {
            *st = vgi_hs_fail(c, VG_ERR_NOMEM, r->lineno + 1, "out of memory");
            return -1;
        }
        nul |= ch == 0;
        r->buf[n++] = (char)ch;
    }
    if (ferror(r->f)) {
        *st = vgi_hs_fail(c, VG_ERR_IO, r->lineno + 1, "read error");
        return -1;
    }
    if (ch == EOF && n == 0)
        return 0;
    if (grow(r, n + 1) != 0) {
        *st = vgi_hs_fail(c, VG_ERR_NOMEM, r->lineno + 1, "out of memory");
        return -1;
    }
    r->lineno++;
    c->st->records++;
    if (nul) {
        *st = vgi_hs_fail(c, VG_ERR_SYNTAX, r->lineno, "NUL byte in a text line");
        return -1;
    }
    if (n > 0 && r->buf[n - 1] == '\r')
        n--;
    r->buf[n] = '\0';
    char *p = r->buf;
    if (r->lineno == 1 && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        p += 3;
        n -= 3;
    }
    *line = p;
    *len = n;
    return 1;
}
