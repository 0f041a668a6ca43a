/* common.c - what every hash-set reader shares: messages, entries, hex, CSV. */
#include <stdarg.h>
#include <string.h>

#include "hashset_int.h"
#include "vigil/util.h"

vg_status vgi_hs_fail(vgi_hs_ctx *c, vg_status code, uint64_t line, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line)
        return vg_errorf(c->err, code, "%s:%llu: %s", c->name, (unsigned long long)line, msg);
    return vg_errorf(c->err, code, "%s: %s", c->name, msg);
}

void vgi_hs_warn(vgi_hs_ctx *c, uint64_t line, const char *fmt, ...)
{
    if (c->st->warnings++ == 0) {
        char msg[200];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        snprintf(c->st->first_warning, sizeof c->st->first_warning, "%s:%llu: %s", c->name,
                 (unsigned long long)line, msg);
    }
}

void vgi_hs_entry_init(vgi_hs_ctx *c, vg_hs_entry *e, uint64_t line)
{
    memset(e, 0, sizeof *e);
    e->pdq_quality = -1;
    e->record = line;
    vg_hs_scheme_map(c->scheme, NULL, &e->category, &e->category_label);
}

vg_status vgi_hs_entry_category(vgi_hs_ctx *c, vg_hs_entry *e, const char *raw, uint64_t line)
{
    if (vg_hs_scheme_map(c->scheme, raw, &e->category, &e->category_label) != VG_OK)
        return vgi_hs_fail(c, VG_ERR_NOTFOUND, line, "category \"%.40s\" is not in scheme %s", raw,
                        vg_hs_scheme_name(c->scheme));
    return VG_OK;
}

vg_status vgi_hs_emit(vgi_hs_ctx *c, const vg_hs_entry *e)
{
    if (!(e->has & (VG_HS_HASHES | VG_HS_HAS_PHOTODNA)))
        return vgi_hs_fail(c, VG_ERR_SYNTAX, e->record, "record has no hash");
    c->st->entries++;
    int rc = c->cb ? c->cb(c->cbctx, e) : 0;
    if (rc != 0)
        return vg_errorf(c->err, (vg_status)rc, "%s:%llu: import stopped by the caller", c->name,
                         (unsigned long long)e->record);
    return VG_OK;
}

const char *vgi_hs_kind_name(unsigned kind)
{
    switch (kind) {
    case VG_HS_HAS_MD5: return "MD5";
    case VG_HS_HAS_SHA1: return "SHA1";
    case VG_HS_HAS_SHA256: return "SHA256";
    case VG_HS_HAS_PDQ: return "PDQ";
    default: return "hash";
    }
}

size_t vgi_hs_kind_hexlen(unsigned kind)
{
    switch (kind) {
    case VG_HS_HAS_MD5: return 32;
    case VG_HS_HAS_SHA1: return 40;
    case VG_HS_HAS_SHA256:
    case VG_HS_HAS_PDQ: return 64;
    default: return 0;
    }
}

int vgi_hs_is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')))
            return 0;
    }
    return 1;
}

static uint8_t *kind_dest(vg_hs_entry *e, unsigned kind)
{
    switch (kind) {
    case VG_HS_HAS_MD5: return e->md5;
    case VG_HS_HAS_SHA1: return e->sha1;
    case VG_HS_HAS_SHA256: return e->sha256;
    default: return e->pdq.b;
    }
}

vg_status vgi_hs_parse_kind(vgi_hs_ctx *c, vg_hs_entry *e, const char *s, size_t n, unsigned kind,
                         const char *field, uint64_t line)
{
    size_t want = vgi_hs_kind_hexlen(kind);
    for (size_t i = 0; i < n; i++)
        if (!vgi_hs_is_hex(s + i, 1))
            return vgi_hs_fail(c, VG_ERR_SYNTAX, line, "%s has a non-hex character at digit %zu",
                            field, i + 1);
    if (n != want)
        return vgi_hs_fail(c, VG_ERR_SYNTAX, line, "%s has %zu hex digits, not %zu", field, n,
                           want);
    vg_hex_decode(s, want / 2, kind_dest(e, kind));
    e->has |= kind;
    return VG_OK;
}

vg_status vgi_hs_parse_hash(vgi_hs_ctx *c, vg_hs_entry *e, const char *s, size_t n, unsigned want,
                         const char *field, uint64_t line)
{
    unsigned kind = n == 32 ? VG_HS_HAS_MD5 : n == 40 ? VG_HS_HAS_SHA1
                    : n == 64 ? VG_HS_HAS_SHA256 : 0;
    if (want)
        return vgi_hs_parse_kind(c, e, s, n, want, field, line);
    if (!kind) {
        if (!vgi_hs_is_hex(s, n))
            return vgi_hs_parse_kind(c, e, s, n, VG_HS_HAS_MD5, field, line);
        return vgi_hs_fail(c, VG_ERR_SYNTAX, line,
                        "%s has %zu hex digits (32 MD5, 40 SHA1 or 64 SHA256 expected)", field, n);
    }
    return vgi_hs_parse_kind(c, e, s, n, kind, field, line);
}

int vgi_hs_parse_u64(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    if (n == 0 || n > 19)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return 0;
}

int vgi_hs_csv_split(char *line, char **fields, int max)
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == max)
            return n;
        char *out = p;
        fields[n++] = p;
        if (*p == '"') {
            char *q = p + 1;
            for (;;) {
                if (*q == '\0')
                    return -1;
                if (*q == '"' && q[1] == '"') {
                    *out++ = '"';
                    q += 2;
                } else if (*q == '"') {
                    q++;
                    break;
                } else {
                    *out++ = *q++;
                }
            }
            while (*q && *q != ',')
                q++; /* junk after a closing quote is dropped, as spreadsheets do */
            p = q;
        } else {
            while (*p && *p != ',')
                p++;
            out = p;
        }
        int more = *p == ',';
        *out = '\0';
        if (!more)
            return n;
        p++;
    }
}
