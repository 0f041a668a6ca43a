/* scheme.c - the review's category scheme: its categories in order with the
 * digit keys that apply them, and the scheme a case keeps (meta
 * "review_scheme").
 *
 * The categories and their order are the scheme's own (lib/hashset). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "review_int.h"
#include "vigil/hashset.h"

static void add_cats(vgi_scheme *out, const vg_hs_scheme *hs)
{
    for (size_t i = 0; i < vg_hs_scheme_count(hs) && out->n < VGI_CATS_MAX; i++) {
        const char *code = vg_hs_scheme_code(hs, i), *label = vg_hs_scheme_label(hs, i);
        if (strcmp(code, "none") == 0 || vgi_scheme_find(out, code) || strlen(code) >= 32)
            continue;
        snprintf(out->cats[out->n].code, sizeof out->cats[0].code, "%s", code);
        snprintf(out->cats[out->n].label, sizeof out->cats[0].label, "%s", label);
        out->n++;
    }
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
    }
    /* a scheme that takes any value ("custom") has none to choose from */
    add_cats(out, hs);
    snprintf(out->name, sizeof out->name, "%s", vg_hs_scheme_name(hs));
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
