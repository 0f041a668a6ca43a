/* body.c - the one body the review API takes: {"category":"CODE"|null}. */
#include <jansson.h>
#include <string.h>

#include "vigil/review.h"

vg_status vg_review_parse_category(const char *body, size_t len, char *code, size_t cap,
                                   int *clear, vg_error *err)
{
    json_error_t je;
    json_t *root, *v;
    vg_status st = VG_OK;
    size_t n;

    *clear = 0;
    if (cap)
        code[0] = '\0';
    if (len > VG_REVIEW_BODY_MAX)
        return vg_errorf(err, VG_ERR_LIMIT_SIZE, "body of %zu bytes is over %d", len,
                         VG_REVIEW_BODY_MAX);
    /* jansson bounds its own nesting depth (2048) */
    if (!(root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je)))
        return vg_errorf(err, VG_ERR_SYNTAX, "malformed JSON at line %d column %d: %s", je.line,
                         je.column, je.text);
    v = json_object_get(root, "category");
    if (!json_is_object(root) || json_object_size(root) != 1 || !v)
        st = vg_errorf(err, VG_ERR_SYNTAX, "the body must be {\"category\": CODE or null}");
    else if (json_is_null(v))
        *clear = 1;
    else if (!json_is_string(v) || (n = json_string_length(v)) == 0 || n >= cap ||
             strlen(json_string_value(v)) != n)
        st = vg_errorf(err, VG_ERR_SYNTAX, "category must be a code of at most %zu bytes, or null",
                       cap ? cap - 1 : 0);
    else
        memcpy(code, json_string_value(v), n + 1);
    json_decref(root);
    return st;
}
