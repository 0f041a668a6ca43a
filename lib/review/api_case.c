/* api_case.c - GET /api/case and GET /api/items: the case at a glance and
 * the listing pages. */
#include <stdlib.h>
#include <string.h>

#include "review_int.h"
#include "vigil/text.h"

typedef struct list_ctx {
    FILE *f;
    int n;
} list_ctx;

static void value_cb(const char *v, void *ctx)
{
    list_ctx *c = ctx;
    fputs(c->n++ ? "," : "", c->f);
    vg_json_str(c->f, v);
}

static void scheme_json(FILE *f, const vgi_scheme *s)
{
    fputs("\"scheme\":{\"name\":", f);
    vg_json_str(f, s->name);
    fputs(",\"categories\":[", f);
    for (size_t i = 0; i < s->n; i++) {
        fputs(i ? ",{\"code\":" : "{\"code\":", f);
        vg_json_str(f, s->cats[i].code);
        fputs(",\"label\":", f);
        vg_json_str(f, s->cats[i].label);
        fputs(",\"key\":", f);
        vgi_json_str_or_null(f, s->cats[i].key[0] ? s->cats[i].key : NULL);
        fputc('}', f);
    }
    fputs("]}", f);
}

static vg_status case_body(vg_review *r, FILE *f, vg_error *err)
{
    vg_review_counts c;
    list_ctx lc = {f, 0};
    vg_status st;

    if ((st = vg_store_review_counts(r->store, &c, err)) != VG_OK)
        return st;
    fputs("{\"case\":", f);
    vg_json_str(f, r->case_path);
    fputs(",\"examiner\":", f);
    vg_json_str(f, r->examiner);
    fprintf(f, ",\"reveal_default\":%s,", r->reveal_default ? "true" : "false");
    scheme_json(f, &r->scheme);
    fprintf(f, ",\"counts\":{\"new\":%llu,\"clusters\":%llu,\"known\":%llu,\"other\":%llu,"
               "\"errors\":%llu,\"categorised\":%llu,\"items\":%llu},\"sets\":[",
            (unsigned long long)c.new_items, (unsigned long long)c.clusters,
            (unsigned long long)c.known, (unsigned long long)c.other,
            (unsigned long long)c.errors, (unsigned long long)c.categorised,
            (unsigned long long)c.items);
    if ((st = vg_store_distinct(r->store, "sets", value_cb, &lc, err)) != VG_OK)
        return st;
    fputs("],\"types\":[", f);
    lc.n = 0;
    if ((st = vg_store_distinct(r->store, "types", value_cb, &lc, err)) != VG_OK)
        return st;
    fputs("]}\n", f);
    return VG_OK;
}

void vgi_api_case(vg_review *r, vgi_reply *out)
{
    char *buf;
    size_t len;
    vg_error err;
    FILE *f = vgi_json_open(&buf, &len);
    vg_status st;

    if (!f) {
        vgi_rv_error(out, 500, "out of memory");
        return;
    }
    pthread_mutex_lock(&r->store_mu);
    st = case_body(r, f, &err);
    pthread_mutex_unlock(&r->store_mu);
    if (st != VG_OK) {
        fclose(f);
        free(buf);
        vgi_rv_error(out, 500, "%s", err.msg);
        return;
    }
    vgi_rv_stream(out, 200, f, &buf, &len);
}

static int item_cb(const vg_list_item *it, void *ctx)
{
    list_ctx *c = ctx;
    fputs(c->n++ ? "," : "", c->f);
    vgi_item_json(c->f, it, 0);
    return 0;
}

void vgi_api_items(vg_review *r, const char *const *keys, const char *const *vals, size_t n,
                   vgi_reply *out)
{
    vg_item_filter flt;
    vg_error err;
    list_ctx lc = {NULL, 0};
    uint64_t total = 0;
    char *ibuf, *buf;
    size_t ilen, len;
    vg_status st;
    FILE *f;

    vg_item_filter_init(&flt);
    for (size_t i = 0; i < n; i++)
        if (vg_item_filter_set(&flt, keys[i], vals[i], &err) != VG_OK) {
            vgi_rv_error(out, 400, "%s", err.msg);
            return;
        }
    if (!(lc.f = vgi_json_open(&ibuf, &ilen))) {
        vgi_rv_error(out, 500, "out of memory");
        return;
    }
    pthread_mutex_lock(&r->store_mu);
    st = vg_store_query_items(r->store, &flt, &r->order, item_cb, &lc, &total, &err);
    pthread_mutex_unlock(&r->store_mu);
    if (fclose(lc.f) != 0 && st == VG_OK)
        st = vg_errorf(&err, VG_ERR_NOMEM, "out of memory");
    if (st != VG_OK || !(f = vgi_json_open(&buf, &len))) {
        free(ibuf);
        vgi_rv_error(out, 500, "%s", st != VG_OK ? err.msg : "out of memory");
        return;
    }
    fprintf(f, "{\"total\":%llu,\"offset\":%llu,\"items\":[", (unsigned long long)total,
            (unsigned long long)flt.offset);
    fwrite(ibuf, 1, ilen, f);
    free(ibuf);
    fputs("]}\n", f);
    vgi_rv_stream(out, 200, f, &buf, &len);
}
