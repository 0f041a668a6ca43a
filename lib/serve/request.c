/* request.c - the JSON bodies of the serve API, bytes in, request or a
 * field-naming error out: no socket, no state (the fuzz harness calls these). */
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "serve_int.h"
#include "vigil/util.h"

#define ID_MAX 256 /* bytes of a client's item id */

void vg_serve_limits_init(vg_serve_limits *l)
{
    l->max_body = 8u << 20;
    l->max_image = 50000000;
    l->max_batch = 10000;
    l->max_depth = 8;
    l->max_radius = 64;
    l->max_pixels = 100000000;
    l->max_seconds = 10;
}

vg_status vgi_perr(vg_parse_error *pe, vg_status code, const char *field, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vg_verrorf(&pe->err, code, fmt, ap);
    va_end(ap);
    snprintf(pe->field, sizeof pe->field, "%s", field);
    return code;
}

/* Nesting depth outside strings, so that jansson never recurses deeply. */
static int depth_ok(const char *s, size_t len, int max)
{
    int depth = 0, in_str = 0;

    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = 0;
        } else if (c == '"') {
            in_str = 1;
        } else if (c == '[' || c == '{') {
            if (++depth > max)
                return 0;
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return 1;
}

json_t *vgi_parse_object(const char *body, size_t len, const vg_serve_limits *lim,
                         vg_parse_error *pe)
{
    json_error_t je;
    json_t *root;

    if (len > lim->max_body) {
        vgi_perr(pe, VG_ERR_LIMIT_SIZE, "", "body of %zu bytes exceeds %zu", len, lim->max_body);
        return NULL;
    }
    if (!depth_ok(body, len, lim->max_depth)) {
        vgi_perr(pe, VG_ERR_LIMIT, "", "JSON nested deeper than %d", lim->max_depth);
        return NULL;
    }
    root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        vgi_perr(pe, VG_ERR_SYNTAX, "", "malformed JSON at line %d column %d: %s", je.line,
                 je.column, je.text);
        return NULL;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        vgi_perr(pe, VG_ERR_SYNTAX, "", "the body must be a JSON object");
        return NULL;
    }
    return root;
}

vg_status vgi_hex_field(json_t *v, size_t n, uint8_t *out, const char *field,
                        vg_parse_error *pe)
{
    const char *s = json_string_value(v);

    if (!s)
        return vgi_perr(pe, VG_ERR_SYNTAX, field, "must be a hex string");
    if (json_string_length(v) != 2 * n)
        return vgi_perr(pe, VG_ERR_SYNTAX, field, "must be %zu hex digits, not %zu", 2 * n,
                        json_string_length(v));
    if (vg_hex_decode(s, n, out) != 0)
        return vgi_perr(pe, VG_ERR_SYNTAX, field, "is not hex");
    return VG_OK;
}

static vg_status parse_id(json_t *v, vg_lookup_item *it, const char *field, vg_parse_error *pe)
{
    if (!json_is_string(v) && !json_is_integer(v))
        return vgi_perr(pe, VG_ERR_SYNTAX, field, "must be a string or an integer");
    if (json_is_string(v) && json_string_length(v) > ID_MAX)
        return vgi_perr(pe, VG_ERR_LIMIT, field, "longer than %d bytes", ID_MAX);
    if (!(it->id = json_dumps(v, JSON_ENCODE_ANY)))
        return vgi_perr(pe, VG_ERR_NOMEM, field, "out of memory");
    return VG_OK;
}

static vg_status parse_item(json_t *o, size_t idx, vg_lookup_item *it, vg_parse_error *pe)
{
    static const struct {
        const char *key;
        unsigned bit;
        size_t off, len;
    } kinds[] = {
        {"md5", VG_LQ_MD5, offsetof(vg_lookup_item, md5), 16},
        {"sha1", VG_LQ_SHA1, offsetof(vg_lookup_item, sha1), 20},
        {"sha256", VG_LQ_SHA256, offsetof(vg_lookup_item, sha256), 32},
        {"pdq", VG_LQ_PDQ, offsetof(vg_lookup_item, pdq), 32},
    };
    char field[96];
    const char *key;
    json_t *v;
    vg_status st;

    snprintf(field, sizeof field, "items[%zu]", idx);
    if (!json_is_object(o))
        return vgi_perr(pe, VG_ERR_SYNTAX, field, "must be an object");
    json_object_foreach(o, key, v) {
        size_t k = 0;
        snprintf(field, sizeof field, "items[%zu].%.40s", idx, key);
        if (strcmp(key, "id") == 0) {
            if ((st = parse_id(v, it, field, pe)) != VG_OK)
                return st;
            continue;
        }
        while (k < sizeof kinds / sizeof kinds[0] && strcmp(key, kinds[k].key) != 0)
            k++;
        if (k == sizeof kinds / sizeof kinds[0])
            return vgi_perr(pe, VG_ERR_SYNTAX, field, "unknown field");
        st = vgi_hex_field(v, kinds[k].len, (uint8_t *)it + kinds[k].off, field, pe);
        if (st != VG_OK)
            return st;
        it->has |= kinds[k].bit;
    }
    if (!it->has) {
        snprintf(field, sizeof field, "items[%zu]", idx);
        return vgi_perr(pe, VG_ERR_SYNTAX, field, "needs md5, sha1, sha256 or pdq");
    }
    return VG_OK;
}

static vg_status parse_radius(json_t *v, const vg_serve_limits *lim, int *out,
                              vg_parse_error *pe)
{
    json_int_t r;

    if (!json_is_integer(v))
        return vgi_perr(pe, VG_ERR_SYNTAX, "radius", "must be an integer");
    r = json_integer_value(v);
    if (r < 0 || r > lim->max_radius)
        return vgi_perr(pe, VG_ERR_LIMIT, "radius", "must be 0..%d", lim->max_radius);
    *out = (int)r;
    return VG_OK;
}

static vg_status parse_lookup_doc(json_t *root, const vg_serve_limits *lim, vg_lookup_req *out,
                                  vg_parse_error *pe)
{
    const char *key;
    json_t *v, *items = NULL;
    vg_status st;

    json_object_foreach(root, key, v) {
        if (strcmp(key, "items") == 0)
            items = v;
        else if (strcmp(key, "radius") == 0) {
            if ((st = parse_radius(v, lim, &out->radius, pe)) != VG_OK)
                return st;
        } else if (strcmp(key, "dihedral") == 0)
            return vgi_perr(pe, VG_ERR_UNSUPPORTED, "dihedral",
                            "needs the image: use /v1/lookup/image?dihedral=1");
        else
            return vgi_perr(pe, VG_ERR_SYNTAX, key, "unknown field");
    }
    if (!json_is_array(items))
        return vgi_perr(pe, VG_ERR_SYNTAX, "items", "must be an array");
    if (json_array_size(items) > lim->max_batch)
        return vgi_perr(pe, VG_ERR_LIMIT, "items", "more than %zu items", lim->max_batch);
    if (json_array_size(items) == 0)
        return vgi_perr(pe, VG_ERR_SYNTAX, "items", "is empty");
    out->items = calloc(json_array_size(items), sizeof *out->items);
    if (!out->items)
        return vgi_perr(pe, VG_ERR_NOMEM, "items", "out of memory");
    for (size_t i = 0; i < json_array_size(items); i++) {
        out->n = i + 1;
        if ((st = parse_item(json_array_get(items, i), i, &out->items[i], pe)) != VG_OK)
            return st;
    }
    return VG_OK;
}

vg_status vg_serve_parse_lookup(const char *body, size_t len, const vg_serve_limits *lim,
                                vg_lookup_req *out, vg_parse_error *pe)
{
    json_t *root;
    vg_status st;

    memset(out, 0, sizeof *out);
    memset(pe, 0, sizeof *pe);
    out->radius = -1;
    if (!(root = vgi_parse_object(body, len, lim, pe)))
        return pe->err.code;
    st = parse_lookup_doc(root, lim, out, pe);
    json_decref(root);
    if (st != VG_OK) {
        vg_lookup_req_free(out);
        out->radius = -1;
    }
    return st;
}

void vg_lookup_req_free(vg_lookup_req *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->items[i].id);
    free(r->items);
    memset(r, 0, sizeof *r);
}
