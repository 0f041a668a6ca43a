/* entries.c - the admin bodies of the serve API: entries to add to a set,
 * entry ids to remove. Pure like request.c. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "serve_int.h"

#define LABELS_MAX 64
#define STR_MAX 1024 /* bytes of a name, category or label */

static vg_status str_field(json_t *v, const char *field, const char **out, vg_parse_error *pe)
{
    if (!json_is_string(v))
        return vgi_perr(pe, VG_ERR_SYNTAX, field, "must be a string");
    if (json_string_length(v) > STR_MAX || strlen(json_string_value(v)) != json_string_length(v))
        return vgi_perr(pe, VG_ERR_LIMIT, field, "longer than %d bytes or holds NUL", STR_MAX);
    *out = json_string_value(v);
    return VG_OK;
}

static vg_status labels_field(json_t *v, const char *field, vg_hs_entry *e, vg_parse_error *pe)
{
    const char **l;
    vg_status st;
    char f[128];

    if (!json_is_array(v))
        return vgi_perr(pe, VG_ERR_SYNTAX, field, "must be an array of strings");
    if (json_array_size(v) > LABELS_MAX)
        return vgi_perr(pe, VG_ERR_LIMIT, field, "more than %d labels", LABELS_MAX);
    if (!json_array_size(v))
        return VG_OK;
    if (!(l = calloc(json_array_size(v), sizeof *l)))
        return vgi_perr(pe, VG_ERR_NOMEM, field, "out of memory");
    e->labels = l;
    for (size_t i = 0; i < json_array_size(v); i++) {
        snprintf(f, sizeof f, "%s[%zu]", field, i);
        if ((st = str_field(json_array_get(v, i), f, &l[i], pe)) != VG_OK)
            return st;
        e->n_labels = i + 1;
    }
    return VG_OK;
}

static vg_status quality_field(json_t *v, const char *field, vg_hs_entry *e, vg_parse_error *pe)
{
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 100)
        return vgi_perr(pe, VG_ERR_SYNTAX, field, "must be an integer 0..100");
    e->pdq_quality = (int)json_integer_value(v);
    return VG_OK;
}

static vg_status hash_key(const char *key, json_t *v, const char *field, vg_hs_entry *e,
                          vg_parse_error *pe, int *done)
{
    static const struct {
        const char *key;
        unsigned bit;
        size_t off, len;
    } kinds[] = {
        {"md5", VG_HS_HAS_MD5, offsetof(vg_hs_entry, md5), 16},
        {"sha1", VG_HS_HAS_SHA1, offsetof(vg_hs_entry, sha1), 20},
        {"sha256", VG_HS_HAS_SHA256, offsetof(vg_hs_entry, sha256), 32},
        {"pdq", VG_HS_HAS_PDQ, offsetof(vg_hs_entry, pdq), 32},
    };

    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        if (strcmp(key, kinds[k].key) != 0)
            continue;
        *done = 1;
        e->has |= kinds[k].bit;
        return vgi_hex_field(v, kinds[k].len, (uint8_t *)e + kinds[k].off, field, pe);
    }
    *done = 0;
    return VG_OK;
}

static vg_status entry_key(const char *key, json_t *v, const char *field, vg_hs_entry *e,
                           vg_parse_error *pe)
{
    int done;
    vg_status st = hash_key(key, v, field, e, pe, &done);

    if (done)
        return st;
    if (strcmp(key, "pdq_quality") == 0)
        return quality_field(v, field, e, pe);
    if (strcmp(key, "name") == 0)
        return str_field(v, field, &e->name, pe);
    if (strcmp(key, "category") == 0)
        return str_field(v, field, &e->category, pe);
    if (strcmp(key, "labels") == 0)
        return labels_field(v, field, e, pe);
    return vgi_perr(pe, VG_ERR_SYNTAX, field, "unknown field");
}

static vg_status parse_entry(json_t *o, size_t idx, vg_hs_entry *e, vg_parse_error *pe)
{
    char field[96];
    const char *key;
    json_t *v;
    vg_status st;

    e->pdq_quality = 100;
    e->category = "none";
    e->category_label = "";
    snprintf(field, sizeof field, "entries[%zu]", idx);
    if (!json_is_object(o))
        return vgi_perr(pe, VG_ERR_SYNTAX, field, "must be an object");
    json_object_foreach(o, key, v) {
        snprintf(field, sizeof field, "entries[%zu].%.40s", idx, key);
        if ((st = entry_key(key, v, field, e, pe)) != VG_OK)
            return st;
    }
    if (!(e->has & (VG_HS_HAS_MD5 | VG_HS_HAS_SHA1 | VG_HS_HAS_SHA256 | VG_HS_HAS_PDQ))) {
        snprintf(field, sizeof field, "entries[%zu]", idx);
        return vgi_perr(pe, VG_ERR_SYNTAX, field, "needs md5, sha1, sha256 or pdq");
    }
    return VG_OK;
}

/* The one array a body holds under key, checked against the batch limit. */
static json_t *only_array(json_t *root, const char *key, const vg_serve_limits *lim,
                          vg_parse_error *pe)
{
    const char *k;
    json_t *v, *arr = NULL;

    json_object_foreach(root, k, v) {
        if (strcmp(k, key) != 0) {
            vgi_perr(pe, VG_ERR_SYNTAX, k, "unknown field");
            return NULL;
        }
        arr = v;
    }
    if (!json_is_array(arr) || !json_array_size(arr))
        vgi_perr(pe, VG_ERR_SYNTAX, key, "must be a non-empty array");
    else if (json_array_size(arr) > lim->max_batch)
        vgi_perr(pe, VG_ERR_LIMIT, key, "more than %zu", lim->max_batch);
    else
        return arr;
    return NULL;
}

static vg_status parse_add(json_t *root, const vg_serve_limits *lim, vg_entries_req *out,
                           vg_parse_error *pe)
{
    json_t *arr = only_array(root, "entries", lim, pe);
    vg_status st;

    if (!arr)
        return pe->err.code;
    if (!(out->entries = calloc(json_array_size(arr), sizeof *out->entries)))
        return vgi_perr(pe, VG_ERR_NOMEM, "entries", "out of memory");
    for (size_t i = 0; i < json_array_size(arr); i++) {
        out->n = i + 1;
        if ((st = parse_entry(json_array_get(arr, i), i, &out->entries[i], pe)) != VG_OK)
            return st;
    }
    return VG_OK;
}

static vg_status parse_remove(json_t *root, const vg_serve_limits *lim, vg_entries_req *out,
                              vg_parse_error *pe)
{
    json_t *arr = only_array(root, "ids", lim, pe);
    char field[48];

    if (!arr)
        return pe->err.code;
    if (!(out->ids = calloc(json_array_size(arr), sizeof *out->ids)))
        return vgi_perr(pe, VG_ERR_NOMEM, "ids", "out of memory");
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *v = json_array_get(arr, i);
        snprintf(field, sizeof field, "ids[%zu]", i);
        if (!json_is_integer(v) || json_integer_value(v) < 1)
            return vgi_perr(pe, VG_ERR_SYNTAX, field, "must be a positive integer");
        out->ids[out->n_ids++] = (uint64_t)json_integer_value(v);
    }
    return VG_OK;
}

typedef vg_status (*doc_fn)(json_t *, const vg_serve_limits *, vg_entries_req *,
                            vg_parse_error *);

static vg_status parse_with(doc_fn fn, const char *body, size_t len, const vg_serve_limits *lim,
                            vg_entries_req *out, vg_parse_error *pe)
{
    json_t *root;
    vg_status st;

    memset(out, 0, sizeof *out);
    memset(pe, 0, sizeof *pe);
    if (!(root = vgi_parse_object(body, len, lim, pe)))
        return pe->err.code;
    out->priv = root;
    st = fn(root, lim, out, pe);
    if (st != VG_OK)
        vg_entries_req_free(out);
    return st;
}

vg_status vg_serve_parse_entries_add(const char *body, size_t len, const vg_serve_limits *lim,
                                     vg_entries_req *out, vg_parse_error *pe)
{
    return parse_with(parse_add, body, len, lim, out, pe);
}

vg_status vg_serve_parse_entries_remove(const char *body, size_t len,
                                        const vg_serve_limits *lim, vg_entries_req *out,
                                        vg_parse_error *pe)
{
    return parse_with(parse_remove, body, len, lim, out, pe);
}

void vg_entries_req_free(vg_entries_req *r)
{
    for (size_t i = 0; i < r->n; i++)
        free((void *)r->entries[i].labels);
    free(r->entries);
    free(r->ids);
    json_decref(r->priv);
    memset(r, 0, sizeof *r);
}
