/* scheme.c - the review's category scheme: its categories in order with the
 * digit keys that apply them, and the scheme a case keeps (meta
 * "review_scheme").
 *
 * lib/hashset maps raw values to codes but does not list a scheme's codes,
 * so the list is found by asking it: a scheme file's codes are its
 * "CODE = LABEL" lines; a built-in's are the VICS numbers 0..9 and the
 * letter grades, each kept when the scheme knows it. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "review_int.h"
#include "vigil/hashset.h"

static void add_cat(vgi_scheme *out, const vg_hs_scheme *hs, const char *raw)
{
    const char *code, *label;

    if (out->n == VGI_CATS_MAX || vg_hs_scheme_map(hs, raw, &code, &label) != VG_OK ||
        strcmp(code, "none") == 0 || vgi_scheme_find(out, code) || strlen(code) >= 32)
        return;
    snprintf(out->cats[out->n].code, sizeof out->cats[0].code, "%s", code);
    snprintf(out->cats[out->n].label, sizeof out->cats[0].label, "%s", label);
    out->n++;
}

static void probe_builtin(vgi_scheme *out, const vg_hs_scheme *hs)
{
    static const char *const raw[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
                                      "A", "B", "C", "NI"};
    for (size_t i = 0; i < sizeof raw / sizeof raw[0]; i++)
        add_cat(out, hs, raw[i]);
}

static void read_file_codes(vgi_scheme *out, const vg_hs_scheme *hs, const char *path)
{
    FILE *f = fopen(path, "r");
    char line[512];

    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        char *p = line, *eq = strchr(line, '='), *e;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#' || !eq)
            continue;
        *eq = '\0';
        e = eq;
        while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
            *--e = '\0';
        if (!strchr(p, '.') && strcmp(p, "name") != 0 && strcmp(p, "none") != 0)
            add_cat(out, hs, p);
    }
    fclose(f);
}

/* The key of each category: the code itself when every code is one digit
 * (projectvic-us 0..4), else 1..9, 0 in order. */
static void assign_keys(vgi_scheme *s)
{
    static const char digits[] = "1234567890";
    int all_digits = 1;

    for (size_t i = 0; i < s->n; i++)
        if (strlen(s->cats[i].code) != 1 || s->cats[i].code[0] < '0' || s->cats[i].code[0] > '9')
            all_digits = 0;
    for (size_t i = 0; i < s->n; i++) {
        s->cats[i].key[0] = all_digits ? s->cats[i].code[0] : i < 10 ? digits[i] : '\0';
        s->cats[i].key[1] = '\0';
        s->codes[i] = s->cats[i].code;
    }
}

vg_status vgi_scheme_load(const char *name_or_file, vgi_scheme *out, vg_error *err)
{
    const vg_hs_scheme *hs = vg_hs_scheme_builtin(name_or_file);
    vg_hs_scheme *loaded = NULL;
    const char *code, *label;
    struct stat sb;
    vg_status st;

    memset(out, 0, sizeof *out);
    if (!hs) {
        if (stat(name_or_file, &sb) != 0)
            return vg_errorf(err, VG_ERR_ARG,
                             "scheme \"%s\" is neither built in (projectvic-us, dhs, uk) nor a file",
                             name_or_file);
        if ((st = vg_hs_scheme_load(name_or_file, &loaded, err)) != VG_OK)
            return st == VG_ERR_NOMEM ? st : VG_ERR_ARG;
        hs = loaded;
        read_file_codes(out, hs, name_or_file);
    } else {
        probe_builtin(out, hs);
    }
    snprintf(out->name, sizeof out->name, "%s", vg_hs_scheme_name(hs));
    /* a scheme that takes any value ("custom") offers nothing to choose */
    if (vg_hs_scheme_map(hs, "vigil: no such category", &code, &label) == VG_OK)
        out->n = 0;
    vg_hs_scheme_free(loaded);
    if (!out->n)
        return vg_errorf(err, VG_ERR_ARG, "scheme %s has no categories to choose from",
                         out->name);
    assign_keys(out);
    return VG_OK;
}

const vgi_cat *vgi_scheme_find(const vgi_scheme *s, const char *code)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->cats[i].code, code) == 0)
            return &s->cats[i];
    return NULL;
}

static int any_categorised(vg_store *s, vg_error *err, vg_status *st)
{
    vg_review_counts c;

    *st = vg_store_review_counts(s, &c, err);
    return *st == VG_OK && c.categorised > 0;
}

vg_status vg_review_scheme_settle(vg_store *s, const char *wanted, char **name, vg_error *err)
{
    char *have = NULL;
    vgi_scheme sc;
    vg_status st;

    *name = NULL;
    if ((st = vg_store_meta_get(s, "review_scheme", &have, err)) != VG_OK)
        return st;
    if (!wanted) {
        /* a file's scheme is remembered by name: it has to be given again */
        wanted = have ? have : VG_REVIEW_DEFAULT_SCHEME;
    }
    if ((st = vgi_scheme_load(wanted, &sc, err)) != VG_OK) {
        if (have && wanted == have)
            vg_error_prefix(err, "the case's scheme (give --scheme FILE for a scheme file)");
        free(have);
        return st;
    }
    if (have && strcmp(have, sc.name) != 0) {
        if (any_categorised(s, err, &st) || st != VG_OK) {
            if (st == VG_OK)
                st = vg_errorf(err, VG_ERR_ARG,
                               "the case's items are categorised in scheme %s, not %s", have,
                               sc.name);
            free(have);
            return st;
        }
    }
    if ((!have || strcmp(have, sc.name) != 0) &&
        (st = vg_store_meta_set(s, "review_scheme", sc.name, err)) != VG_OK) {
        free(have);
        return st;
    }
    free(have);
    if (!(*name = strdup(sc.name)))
        return vg_errorf(err, VG_ERR_NOMEM, "out of memory");
    return VG_OK;
}
