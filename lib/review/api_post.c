/* api_post.c - POST /api/items/ID/category and /api/clusters/N/category:
 * the examiner's category, saved at once with its audit entry (one
 * transaction in vg_store_review_set). */
#include <stdlib.h>
#include <string.h>

#include "review_int.h"
#include "vigil/text.h"

static void answer(vgi_reply *out, int cluster, int64_t id, size_t n, const char *code)
{
    char *buf;
    size_t len;
    FILE *f = vgi_json_open(&buf, &len);

    if (!f) {
        vgi_rv_error(out, 500, "out of memory");
        return;
    }
    if (cluster) {
        fprintf(f, "{\"cluster\":%lld,\"items\":%zu}\n", (long long)id, n);
    } else {
        fprintf(f, "{\"id\":%lld,\"category\":", (long long)id);
        vgi_json_str_or_null(f, code);
        fputs("}\n", f);
    }
    vgi_rv_stream(out, 200, f, &buf, &len);
}

/* Under store_mu: applies code (NULL clears) to the item or cluster id. */
static vg_status apply(vg_review *r, int cluster, int64_t id, const char *code, size_t *n,
                       vg_error *err)
{
    int64_t *ids = NULL;
    vg_status st;

    *n = 1;
    if (!cluster)
        return vg_store_review_set(r->store, &id, 1, code, r->scheme.name, r->examiner, err);
    if ((st = vg_store_cluster_ids(r->store, (uint64_t)id, &ids, n, err)) != VG_OK)
        return st;
    if (*n == 0)
        st = vg_errorf(err, VG_ERR_NOTFOUND, "no cluster %lld", (long long)id);
    else
        st = vg_store_review_set(r->store, ids, *n, code, r->scheme.name, r->examiner, err);
    free(ids);
    return st;
}

void vgi_api_categorise(vg_review *r, int cluster, int64_t id, const char *body, size_t len,
                        vgi_reply *out)
{
    char code[32];
    int clear;
    size_t n = 0;
    vg_error err;
    vg_status st = vg_review_parse_category(body, len, code, sizeof code, &clear, &err);

    if (st != VG_OK) {
        vgi_rv_error(out, st == VG_ERR_LIMIT_SIZE ? 413 : 400, "%s", err.msg);
        return;
    }
    if (!clear && !vgi_scheme_find(&r->scheme, code)) {
        vgi_rv_error(out, 400, "unknown category \"%s\" in scheme %s", code, r->scheme.name);
        return;
    }
    pthread_mutex_lock(&r->store_mu);
    st = apply(r, cluster, id, clear ? NULL : code, &n, &err);
    pthread_mutex_unlock(&r->store_mu);
    if (st == VG_ERR_NOTFOUND)
        vgi_rv_error(out, 404, cluster ? "no cluster %lld" : "no item %lld", (long long)id);
    else if (st != VG_OK)
        vgi_rv_error(out, 500, "%s", err.msg);
    else
        answer(out, cluster, id, n, clear ? NULL : code);
}
