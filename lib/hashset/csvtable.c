/* csvtable.c - CSV files with a header line: NSRL RDS2, HashKeeper, PDQ CSV.
 *
 * Columns are found by header name, so reordered or extra columns work.
 * A quoted field may not span lines (none of these formats needs it).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvtable.h"

#define MAX_COLS 128

typedef struct table {
    int ncols;
    enum vgi_csv_role role[MAX_COLS];
    const char *header_name[MAX_COLS];
} table;

static vg_status parse_header(vgi_hs_ctx *c, const vgi_csv_spec *spec, char *line, table *t,
                              uint64_t ln)
{
    char *f[MAX_COLS + 1];
    int n = vgi_hs_csv_split(line, f, MAX_COLS + 1);
    if (n < 0)
        return vgi_hs_fail(c, VG_ERR_SYNTAX, ln, "unterminated quote in the header");
    if (n > MAX_COLS)
        return vgi_hs_fail(c, VG_ERR_LIMIT, ln, "more than %d columns", MAX_COLS);
    unsigned have = 0;
    for (int i = 0; i < n; i++) {
        t->role[i] = VGI_COL_SKIP;
        for (const vgi_csv_col *k = spec->cols; k->name; k++) {
            if (strcasecmp(f[i], k->name) == 0) {
                t->role[i] = k->role;
                t->header_name[i] = k->name;
                have |= 1u << k->role;
            }
        }
    }
    t->ncols = n;
    if ((have & spec->required) != spec->required)
        return vgi_hs_fail(c, VG_ERR_SYNTAX, ln, "header lacks a required column (%s)",
                        spec->required_text);
    return VG_OK;
}

/* Labels are ';'-separated in one field. */
static vg_status split_labels(vgi_hs_ctx *c, char *s, const char **labels, size_t *n,
                              uint64_t ln)
{
    while (s && *s) {
        char *semi = strchr(s, ';');
        if (semi)
            *semi = '\0';
        while (*s == ' ')
            s++;
        if (*s) {
            if (*n == VG_HS_MAX_LABELS)
                return vgi_hs_fail(c, VG_ERR_LIMIT, ln, "more than %d labels", VG_HS_MAX_LABELS);
            labels[(*n)++] = s;
        }
        s = semi ? semi + 1 : NULL;
    }
    return VG_OK;
}

static vg_status field(vgi_hs_ctx *c, enum vgi_csv_role role, const char *colname, char *v,
                       vg_hs_entry *e, const char **labels, uint64_t ln)
{
    size_t n = strlen(v);
    uint64_t u;
    if (n == 0 && role != VGI_COL_CATEGORY)
        return VG_OK;
    switch (role) {
    case VGI_COL_MD5: return vgi_hs_parse_kind(c, e, v, n, VG_HS_HAS_MD5, colname, ln);
    case VGI_COL_SHA1: return vgi_hs_parse_kind(c, e, v, n, VG_HS_HAS_SHA1, colname, ln);
    case VGI_COL_SHA256: return vgi_hs_parse_kind(c, e, v, n, VG_HS_HAS_SHA256, colname, ln);
    case VGI_COL_PDQ: return vgi_hs_parse_kind(c, e, v, n, VG_HS_HAS_PDQ, colname, ln);
    case VGI_COL_NAME: e->name = v; return VG_OK;
    case VGI_COL_CATEGORY: return vgi_hs_entry_category(c, e, n ? v : NULL, ln);
    case VGI_COL_LABELS: return split_labels(c, v, labels, &e->n_labels, ln);
    case VGI_COL_SIZE:
    case VGI_COL_QUALITY:
        if (vgi_hs_parse_u64(v, n, &u) != 0 || (role == VGI_COL_QUALITY && u > 100))
            return vgi_hs_fail(c, VG_ERR_SYNTAX, ln, "%s \"%.30s\" is not a valid number", colname,
                               v);
        if (role == VGI_COL_SIZE) {
            e->size = u;
            e->has |= VG_HS_HAS_SIZE;
        } else {
            e->pdq_quality = (int)u;
        }
        return VG_OK;
    default: return VG_OK;
    }
}

static vg_status row(vgi_hs_ctx *c, const table *t, char *line, uint64_t ln)
{
    char *f[MAX_COLS + 1];
    const char *labels[VG_HS_MAX_LABELS];
    vg_hs_entry e;
    int n = vgi_hs_csv_split(line, f, MAX_COLS + 1);
    if (n < 0)
        return vgi_hs_fail(c, VG_ERR_SYNTAX, ln, "unterminated quote");
    if (n != t->ncols)
        return vgi_hs_fail(c, VG_ERR_SYNTAX, ln, "%d fields, the header has %d", n, t->ncols);
    vgi_hs_entry_init(c, &e, ln);
    e.labels = labels;
    for (int i = 0; i < n; i++) {
        if (t->role[i] == VGI_COL_SKIP)
            continue;
        vg_status st = field(c, t->role[i], t->header_name[i], f[i], &e, labels, ln);
        if (st != VG_OK)
            return st;
    }
    if (e.pdq_quality >= 0 && !(e.has & VG_HS_HAS_PDQ))
        e.pdq_quality = -1;
    return vgi_hs_emit(c, &e);
}

vg_status vgi_hs_read_csv(vgi_hs_ctx *c, const vgi_csv_spec *spec)
{
    table *t = calloc(1, sizeof *t);
    vgi_lr lr;
    char *line;
    size_t n;
    vg_status st = VG_OK;
    if (!t)
        return vgi_hs_fail(c, VG_ERR_NOMEM, 0, "out of memory");
    vgi_hs_lr_init(&lr, c->f);
    while (st == VG_OK && vgi_hs_lr_next(&lr, c, &line, &n, &st) == 1) {
        if (n == 0 || (!t->ncols && line[0] == '#')) {
            c->st->skipped++;
        } else if (!t->ncols) {
            c->st->skipped++;
            st = parse_header(c, spec, line, t, lr.lineno);
        } else {
            st = row(c, t, line, lr.lineno);
        }
    }
    vgi_hs_lr_free(&lr);
    free(t);
    return st;
}
