/* pdqlist.c - PDQ lists: "HEX[,quality[,label]]" lines, or CSV with a header. */
#include <string.h>

#include "csvtable.h"

static const vgi_csv_col pdq_cols[] = {
    {"pdq", VGI_COL_PDQ},       {"pdq_hash", VGI_COL_PDQ},     {"pdqhash", VGI_COL_PDQ},
    {"quality", VGI_COL_QUALITY}, {"category", VGI_COL_CATEGORY}, {"labels", VGI_COL_LABELS},
    {"label", VGI_COL_LABELS},  {"tags", VGI_COL_LABELS},      {"name", VGI_COL_NAME},
    {"filename", VGI_COL_NAME}, {"md5", VGI_COL_MD5},          {"sha1", VGI_COL_SHA1},
    {"sha256", VGI_COL_SHA256}, {"size", VGI_COL_SIZE},        {NULL, VGI_COL_SKIP}};
static const vgi_csv_spec pdq_spec = {pdq_cols, 1u << VGI_COL_PDQ, "\"pdq\""};

static int is_sep(char ch)
{
    return ch == ',' || ch == ' ' || ch == '\t';
}

/* Skips one separator: a comma with blanks around it, or a run of blanks. */
static char *skip_sep(char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == ',')
        p++;
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

static vg_status pdq_line(vgi_hs_ctx *c, char *line, size_t n, uint64_t ln)
{
    vg_hs_entry e;
    const char *label[1];
    size_t h = 0;
    uint64_t q;
    while (h < n && !is_sep(line[h]))
        h++;
    vgi_hs_entry_init(c, &e, ln);
    vg_status st = vgi_hs_parse_kind(c, &e, line, h, VG_HS_HAS_PDQ, "PDQ", ln);
    if (st != VG_OK)
        return st;
    char *p = skip_sep(line + h);
    if (*p) {
        char *end = p;
        while (*end && !is_sep(*end))
            end++;
        if (vgi_hs_parse_u64(p, (size_t)(end - p), &q) != 0 || q > 100)
            return vgi_hs_fail(c, VG_ERR_SYNTAX, ln, "quality \"%.*s\" is not 0..100",
                            (int)(end - p > 20 ? 20 : end - p), p);
        e.pdq_quality = (int)q;
        p = *end ? skip_sep(end) : end;
    }
    size_t ln_len = strlen(p);
    while (ln_len && (p[ln_len - 1] == ' ' || p[ln_len - 1] == '\t'))
        p[--ln_len] = '\0';
    if (*p) {
        label[0] = p;
        e.labels = label;
        e.n_labels = 1;
    }
    return vgi_hs_emit(c, &e);
}

vg_status vgi_hs_read_pdq(vgi_hs_ctx *c)
{
    vgi_lr lr;
    char *line;
    size_t n;
    vg_status st = VG_OK;
    int mode = 0; /* 0 undecided, 1 lines, 2 CSV */
    vgi_hs_lr_init(&lr, c->f);
    while (st == VG_OK && mode != 2 && vgi_hs_lr_next(&lr, c, &line, &n, &st) == 1) {
        while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
            line[--n] = '\0';
        if (n == 0 || line[0] == '#') {
            c->st->skipped++;
            continue;
        }
        if (!mode)
            mode = n >= 64 && vgi_hs_is_hex(line, 64) && (n == 64 || is_sep(line[64])) ? 1 : 2;
        if (mode == 1)
            st = pdq_line(c, line, n, lr.lineno);
    }
    vgi_hs_lr_free(&lr);
    if (st != VG_OK || mode != 2)
        return st;
    rewind(c->f);
    c->st->records = c->st->skipped = 0;
    return vgi_hs_read_csv(c, &pdq_spec);
}
