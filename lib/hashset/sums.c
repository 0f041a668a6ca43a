/* sums.c - the line formats: md5sum/sha1sum/sha256sum, BSD, hashdeep, plain. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "hashset_int.h"

#define HD_MAX_COLS 16

enum hd_col { HD_SKIP, HD_SIZE, HD_MD5, HD_SHA1, HD_SHA256, HD_NAME };

typedef struct sums_state {
    vg_hs_format fmt;
    int hd_ncols;             /* hashdeep: columns from the %%%% header */
    enum hd_col hd_cols[HD_MAX_COLS];
} sums_state;

static char *rtrim(char *s, size_t *n)
{
    while (*n && isspace((unsigned char)s[*n - 1]))
        s[--*n] = '\0';
    return s;
}

/* GNU coreutils escapes names holding '\\' or a newline and marks the line with '\\'. */
static void unescape(char *s)
{
    char *o = s;
    for (; *s; s++) {
        if (*s == '\\' && s[1]) {
            s++;
            *o++ = *s == 'n' ? '\n' : *s;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
}

static unsigned sum_kind(vg_hs_format f)
{
    return f == VG_HS_FMT_MD5SUM ? VG_HS_HAS_MD5
           : f == VG_HS_FMT_SHA1SUM ? VG_HS_HAS_SHA1 : VG_HS_HAS_SHA256;
}

static vg_status gnu_line(vgi_hs_ctx *c, sums_state *s, char *line, vg_hs_entry *e, uint64_t ln)
{
    int escaped = line[0] == '\\';
    if (escaped)
        line++;
    size_t h = 0;
    while (line[h] && !isspace((unsigned char)line[h]))
        h++;
    unsigned kind = sum_kind(s->fmt);
    vg_status st = vgi_hs_parse_kind(c, e, line, h, kind, vgi_hs_kind_name(kind), ln);
    if (st != VG_OK)
        return st;
    char *name = line + h;
    if (name[0] != ' ' || (name[1] != ' ' && name[1] != '*'))
        return vgi_hs_fail(c, VG_ERR_SYNTAX, ln, "expected two spaces or \" *\" after the hash");
    name += 2;
    if (escaped)
        unescape(name);
    if (*name && strcmp(name, "-") != 0) /* "-": hashed from stdin, no name */
        e->name = name;
    return VG_OK;
}

static vg_status bsd_line(vgi_hs_ctx *c, char *line, vg_hs_entry *e, uint64_t ln)
{
    static const struct {
        const char *algo;
        unsigned kind;
    } algos[] = {{"MD5", VG_HS_HAS_MD5},       {"SHA1", VG_HS_HAS_SHA1},
                 {"SHA-1", VG_HS_HAS_SHA1},    {"SHA256", VG_HS_HAS_SHA256},
                 {"SHA-256", VG_HS_HAS_SHA256}};
    char *open = strstr(line, " (");
    char *close = strstr(line, ") = ");
    for (char *p = close; p; p = strstr(p + 1, ") = "))
        close = p; /* the last one: names may hold ") = " */
    if (!open || !close || close < open)
        return vgi_hs_fail(c, VG_ERR_SYNTAX, ln, "expected \"ALGO (name) = hash\"");
    *open = '\0';
    unsigned kind = 0;
    for (size_t i = 0; i < sizeof algos / sizeof algos[0]; i++)
        if (strcasecmp(line, algos[i].algo) == 0)
            kind = algos[i].kind;
    if (!kind)
        return vgi_hs_fail(c, VG_ERR_UNSUPPORTED, ln, "hash algorithm \"%.20s\" not supported",
                           line);
    *close = '\0';
    char *hex = close + 4;
    vg_status st = vgi_hs_parse_kind(c, e, hex, strlen(hex), kind, vgi_hs_kind_name(kind), ln);
    if (st == VG_OK && open[2])
        e->name = open + 2;
    return st;
}

static vg_status hashdeep_header(vgi_hs_ctx *c, sums_state *s, char *line, uint64_t ln)
{
    if (strncmp(line, "%%%% HASHDEEP-", 14) == 0)
        return VG_OK;
    if (strncmp(line, "%%%% ", 5) != 0)
        return vgi_hs_fail(c, VG_ERR_SYNTAX, ln, "unknown %%%%%%%% header line");
    char *f[HD_MAX_COLS];
    int n = vgi_hs_csv_split(line + 5, f, HD_MAX_COLS);
    int have_name = 0;
    for (int i = 0; i < n; i++) {
        enum hd_col k = strcmp(f[i], "size") == 0       ? HD_SIZE
                        : strcmp(f[i], "md5") == 0      ? HD_MD5
                        : strcmp(f[i], "sha1") == 0     ? HD_SHA1
                        : strcmp(f[i], "sha256") == 0   ? HD_SHA256
                        : strcmp(f[i], "filename") == 0 ? HD_NAME
                                                        : HD_SKIP;
        have_name |= k == HD_NAME;
        s->hd_cols[i] = k;
    }
    if (n < 2 || !have_name || s->hd_cols[n - 1] != HD_NAME)
        return vgi_hs_fail(c, VG_ERR_SYNTAX, ln, "hashdeep column line must end in filename");
    s->hd_ncols = n;
    return VG_OK;
}

static vg_status hashdeep_line(vgi_hs_ctx *c, sums_state *s, char *line, vg_hs_entry *e,
                               uint64_t ln)
{
    static const unsigned kinds[] = {0, 0, VG_HS_HAS_MD5, VG_HS_HAS_SHA1, VG_HS_HAS_SHA256};
    if (!s->hd_ncols)
        return vgi_hs_fail(c, VG_ERR_SYNTAX, ln, "data before the \"%%%%%%%% size,...\" header");
    char *p = line;
    for (int i = 0; i < s->hd_ncols; i++) {
        if (s->hd_cols[i] == HD_NAME) { /* last column: the rest, commas and all */
            e->name = p;
            return VG_OK;
        }
        char *comma = strchr(p, ',');
        if (!comma)
            return vgi_hs_fail(c, VG_ERR_SYNTAX, ln, "%d columns expected", s->hd_ncols);
        *comma = '\0';
        size_t n = (size_t)(comma - p);
        vg_status st = VG_OK;
        if (s->hd_cols[i] == HD_SIZE) {
            if (vgi_hs_parse_u64(p, n, &e->size) != 0)
                return vgi_hs_fail(c, VG_ERR_SYNTAX, ln, "size \"%.30s\" is not a number", p);
            e->has |= VG_HS_HAS_SIZE;
        } else if (s->hd_cols[i] != HD_SKIP) {
            unsigned k = kinds[s->hd_cols[i]];
            st = vgi_hs_parse_kind(c, e, p, n, k, vgi_hs_kind_name(k), ln);
        }
        if (st != VG_OK)
            return st;
        p = comma + 1;
    }
    return VG_OK;
}

static vg_status plain_line(vgi_hs_ctx *c, char *line, size_t n, vg_hs_entry *e, uint64_t ln)
{
    return vgi_hs_parse_hash(c, e, line, n, 0, "hash", ln);
}

static vg_status one_line(vgi_hs_ctx *c, sums_state *s, char *line, size_t n, uint64_t ln)
{
    vg_hs_entry e;
    vg_status st;
    while (*line == ' ' || *line == '\t')
        line++, n--;
    if (s->fmt == VG_HS_FMT_BSD || s->fmt == VG_HS_FMT_HASHDEEP || s->fmt == VG_HS_FMT_PLAIN)
        rtrim(line, &n); /* not GNU lines: their names may end in spaces */
    if (n == 0 || line[0] == '#') {
        c->st->skipped++;
        return VG_OK;
    }
    if (s->fmt == VG_HS_FMT_HASHDEEP && line[0] == '%') {
        c->st->skipped++;
        return hashdeep_header(c, s, line, ln);
    }
    vgi_hs_entry_init(c, &e, ln);
    switch (s->fmt) {
    case VG_HS_FMT_BSD: st = bsd_line(c, line, &e, ln); break;
    case VG_HS_FMT_HASHDEEP: st = hashdeep_line(c, s, line, &e, ln); break;
    case VG_HS_FMT_PLAIN: st = plain_line(c, line, n, &e, ln); break;
    default: st = gnu_line(c, s, line, &e, ln); break;
    }
    return st == VG_OK ? vgi_hs_emit(c, &e) : st;
}

vg_status vgi_hs_read_sums(vgi_hs_ctx *c, vg_hs_format fmt)
{
    sums_state s = {.fmt = fmt};
    vgi_lr lr;
    char *line;
    size_t n;
    vg_status st = VG_OK;
    vgi_hs_lr_init(&lr, c->f);
    while (st == VG_OK && vgi_hs_lr_next(&lr, c, &line, &n, &st) == 1)
        st = one_line(c, &s, line, n, lr.lineno);
    vgi_hs_lr_free(&lr);
    return st;
}
