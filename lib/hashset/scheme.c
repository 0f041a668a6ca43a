/* scheme.c - category schemes: built-in tables and scheme files.
 *
 * The numbers a VICS "Category" carries mean different things per scheme
 * (0 is Non-Pertinent for Project VIC US but Uncategorized for the old DHS
 * set), so every mapping lives in a table here or in a file, never in a reader.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hashset_int.h"

#define MAX_CODES 256
#define MAX_ALIASES 4

typedef struct vgi_cat {
    char code[32];
    char label[160];
    int vics; /* VICS Category integer, -2 when none */
    char alias[MAX_ALIASES][64];
} vgi_cat;

struct vg_hs_scheme {
    char name[48];
    int passthrough; /* "custom": raw values are codes and labels */
    int loaded;      /* malloc'd by vg_hs_scheme_load */
    char none_label[96];
    size_t n;
    const vgi_cat *cats; /* built-in: a static table; loaded: MAX_CODES, malloc'd */
};

static const vgi_cat cats_us[] = {
     {"0", "Non-Pertinent", 0, {"Non Pertinent"}},
     {"1", "Child Abuse Material - (CAM)", 1, {"CAM", "Child Abuse Material"}},
     {"2", "Child Exploitive (Non-CAM) Age Difficult", 2,
      {"Child Exploitive (non-CAM) / Age Difficult", "Child Exploitive"}},
     {"3", "CGI/Animation - Child Exploitive", 3, {"CGI/Animation"}},
     {"4", "Comparison Images", 4, {"Comparison"}}};
static const vg_hs_scheme scheme_us = {"projectvic-us", 0, 0, "Uncategorized", 5, cats_us};

static const vgi_cat cats_dhs[] = {
     {"CAT-0", "Uncategorized", 0, {"CAT0"}},
     {"CAT-1", "Child Exploitation (Illegal)", 1, {"CAT1"}},
     {"CAT-2", "Child Exploitation (Non-Illegal/Age Difficult)", 2, {"CAT2"}},
     {"CAT-3", "CGI/Animation (Child Exploitive)", 3, {"CAT3"}},
     {"CAT-4", "Exemplar/Comparison (Internal Use Only)", 4, {"CAT4"}},
     {"CAT-5", "Non-pertinent", 5, {"CAT5"}}};
static const vg_hs_scheme scheme_dhs = {"dhs", 0, 0, "Uncategorized", 6, cats_dhs};

/* No VICS numbers: the UK context's numeric codes are unverified (see
 * docs/hashsets.md); a scheme file has to state them. */
static const vgi_cat cats_uk[] = {
     {"A", "Category A: penetrative sexual activity, with an animal, or sadism", -2,
      {"Category A", "Cat A", "CatA"}},
     {"B", "Category B: non-penetrative sexual activity", -2, {"Category B", "Cat B", "CatB"}},
     {"C", "Category C: other indecent images", -2, {"Category C", "Cat C", "CatC"}},
     {"NI", "Non-indecent / not relevant", -2, {"Non-indecent", "Not relevant"}}};
static const vg_hs_scheme scheme_uk = {"uk", 0, 0, "Ungraded", 4, cats_uk};

static const vg_hs_scheme scheme_custom = {"custom", 1, 0, "Uncategorized", 0, NULL};

const vg_hs_scheme *vg_hs_scheme_builtin(const char *name)
{
    static const struct {
        const char *name;
        const vg_hs_scheme *s;
    } tab[] = {{"projectvic-us", &scheme_us}, {"us", &scheme_us},   {"vic-us", &scheme_us},
               {"dhs", &scheme_dhs},          {"autopsy-old", &scheme_dhs},
               {"uk", &scheme_uk},            {"custom", &scheme_custom}};
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (strcasecmp(name, tab[i].name) == 0)
            return tab[i].s;
    return NULL;
}

const char *vg_hs_scheme_name(const vg_hs_scheme *s)
{
    return s ? s->name : "custom";
}

void vg_hs_scheme_free(vg_hs_scheme *s)
{
    if (s && s->loaded) {
        free((void *)s->cats);
        free(s);
    }
}

/* A decimal integer (optionally signed), as VICS writes Category. */
static int parse_int(const char *s, long *out)
{
    char *end;
    if (!*s || isspace((unsigned char)*s))
        return -1;
    long v = strtol(s, &end, 10);
    if (*end || v < -1000000 || v > 1000000)
        return -1;
    *out = v;
    return 0;
}

static const vgi_cat *find(const vg_hs_scheme *s, const char *raw)
{
    long num;
    int isnum = parse_int(raw, &num) == 0;
    for (size_t i = 0; i < s->n; i++) {
        const vgi_cat *k = &s->cats[i];
        if (strcasecmp(raw, k->code) == 0 || strcasecmp(raw, k->label) == 0)
            return k;
        if (isnum && k->vics >= 0 && num == k->vics)
            return k;
        for (int a = 0; a < MAX_ALIASES && k->alias[a][0]; a++)
            if (strcasecmp(raw, k->alias[a]) == 0)
                return k;
    }
    return NULL;
}

vg_status vg_hs_scheme_map(const vg_hs_scheme *s, const char *raw, const char **code,
                           const char **label)
{
    if (!s)
        s = &scheme_custom;
    if (!raw || !*raw || strcasecmp(raw, "none") == 0) {
        *code = "none";
        *label = s->none_label;
        return VG_OK;
    }
    if (s->passthrough) {
        *code = raw;
        *label = raw;
        return VG_OK;
    }
    const vgi_cat *k = find(s, raw);
    if (!k)
        return VG_ERR_NOTFOUND;
    *code = k->code;
    *label = k->label;
    return VG_OK;
}

int vg_hs_scheme_vics_number(const vg_hs_scheme *s, const char *code)
{
    long num;
    if (!s)
        s = &scheme_custom;
    if (!code || strcmp(code, "none") == 0)
        return -1;
    if (s->passthrough)
        return parse_int(code, &num) == 0 && num >= 0 ? (int)num : -2;
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(code, s->cats[i].code) == 0)
            return s->cats[i].vics;
    return -2;
}

/* ---- scheme files ---- */

static char *trim(char *p)
{
    while (isspace((unsigned char)*p))
        p++;
    size_t n = strlen(p);
    while (n && isspace((unsigned char)p[n - 1]))
        p[--n] = '\0';
    return p;
}

static int valid_code(const char *k)
{
    size_t n = strlen(k);
    if (n == 0 || n >= 32 || strcasecmp(k, "none") == 0 || strcasecmp(k, "name") == 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)k[i]) && k[i] != '-' && k[i] != '_')
            return 0;
    return 1;
}

/* Only for loaded schemes, whose table is malloc'd and so writable. */
static vgi_cat *cat_get(vg_hs_scheme *s, const char *code)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->cats[i].code, code) == 0)
            return (vgi_cat *)&s->cats[i];
    return NULL;
}

static vg_status set_attr(vgi_hs_ctx *c, vg_hs_scheme *s, char *key, const char *val,
                          uint64_t line)
{
    char *dot = strchr(key, '.');
    *dot = '\0';
    vgi_cat *k = cat_get(s, key);
    long num;
    if (!k)
        return vgi_hs_fail(c, VG_ERR_SYNTAX, line, "code \"%s\" used before \"%s = LABEL\"", key,
                           key);
    if (strcmp(dot + 1, "vics") == 0) {
        if (parse_int(val, &num) != 0 || num < 0)
            return vgi_hs_fail(c, VG_ERR_SYNTAX, line, "%s.vics needs a number >= 0", key);
        k->vics = (int)num;
        return VG_OK;
    }
    if (strcmp(dot + 1, "alias") == 0) {
        for (int a = 0; a < MAX_ALIASES; a++) {
            if (!k->alias[a][0]) {
                if (strlen(val) >= sizeof k->alias[a])
                    return vgi_hs_fail(c, VG_ERR_SYNTAX, line, "alias too long");
                snprintf(k->alias[a], sizeof k->alias[a], "%s", val);
                return VG_OK;
            }
        }
        return vgi_hs_fail(c, VG_ERR_LIMIT, line, "more than %d aliases for %s", MAX_ALIASES, key);
    }
    return vgi_hs_fail(c, VG_ERR_SYNTAX, line, "unknown attribute \"%s\" (vics or alias)", dot + 1);
}

static vg_status scheme_line(vgi_hs_ctx *c, vg_hs_scheme *s, char *line, uint64_t ln)
{
    char *eq = strchr(line, '=');
    if (!eq)
        return vgi_hs_fail(c, VG_ERR_SYNTAX, ln, "expected KEY = VALUE");
    *eq = '\0';
    char *key = trim(line), *val = trim(eq + 1);
    if (strcmp(key, "name") == 0) {
        if (!*val || strlen(val) >= sizeof s->name)
            return vgi_hs_fail(c, VG_ERR_SYNTAX, ln, "bad scheme name");
        snprintf(s->name, sizeof s->name, "%s", val);
        return VG_OK;
    }
    if (strcmp(key, "none") == 0) {
        snprintf(s->none_label, sizeof s->none_label, "%s", val);
        return VG_OK;
    }
    if (strchr(key, '.'))
        return set_attr(c, s, key, val, ln);
    if (!valid_code(key))
        return vgi_hs_fail(c, VG_ERR_SYNTAX, ln, "bad code \"%.40s\" (letters, digits, - and _)",
                           key);
    if (cat_get(s, key))
        return vgi_hs_fail(c, VG_ERR_EXISTS, ln, "code \"%s\" defined twice", key);
    if (s->n == MAX_CODES)
        return vgi_hs_fail(c, VG_ERR_LIMIT, ln, "more than %d codes", MAX_CODES);
    if (!*val || strlen(val) >= sizeof s->cats[0].label)
        return vgi_hs_fail(c, VG_ERR_SYNTAX, ln, "label of %s empty or too long", key);
    vgi_cat *k = (vgi_cat *)&s->cats[s->n++];
    snprintf(k->code, sizeof k->code, "%s", key);
    snprintf(k->label, sizeof k->label, "%s", val);
    k->vics = -2;
    return VG_OK;
}

static vg_status load_lines(vgi_hs_ctx *c, vg_hs_scheme *s)
{
    vgi_lr lr;
    char *line;
    size_t len;
    vg_status st = VG_OK;
    int r;
    vgi_hs_lr_init(&lr, c->f);
    while (st == VG_OK && (r = vgi_hs_lr_next(&lr, c, &line, &len, &st)) == 1) {
        line = trim(line);
        if (*line && *line != '#')
            st = scheme_line(c, s, line, lr.lineno);
    }
    vgi_hs_lr_free(&lr);
    if (st == VG_OK && !s->name[0])
        st = vgi_hs_fail(c, VG_ERR_SYNTAX, 0, "no \"name = ...\" line");
    return st;
}

vg_status vg_hs_scheme_load(const char *path, vg_hs_scheme **out, vg_error *err)
{
    vg_hs_stats st;
    memset(&st, 0, sizeof st);
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return vg_errorf(err, VG_ERR_OPEN, "%s: cannot open scheme file", path);
    vg_hs_scheme *s = calloc(1, sizeof *s);
    if (s)
        s->cats = calloc(MAX_CODES, sizeof *s->cats);
    if (!s || !s->cats) {
        free(s);
        fclose(f);
        return vg_errorf(err, VG_ERR_NOMEM, "out of memory");
    }
    s->loaded = 1;
    snprintf(s->none_label, sizeof s->none_label, "Uncategorized");
    const char *base = strrchr(path, '/');
    vgi_hs_ctx c = {.name = base ? base + 1 : path, .f = f, .st = &st, .err = err};
    vg_status rc = load_lines(&c, s);
    fclose(f);
    if (rc != VG_OK) {
        vg_hs_scheme_free(s);
        return rc;
    }
    *out = s;
    return VG_OK;
}

size_t vg_hs_scheme_count(const vg_hs_scheme *s)
{
    return s && !s->passthrough ? s->n : 0;
}

const char *vg_hs_scheme_code(const vg_hs_scheme *s, size_t i)
{
    return i < vg_hs_scheme_count(s) ? s->cats[i].code : NULL;
}

const char *vg_hs_scheme_label(const vg_hs_scheme *s, size_t i)
{
    return i < vg_hs_scheme_count(s) ? s->cats[i].label : NULL;
}
