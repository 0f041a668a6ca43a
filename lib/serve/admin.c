/* admin.c - GET /v1/sets and the live entry changes of admin tokens. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "serve_int.h"
#include "vigil/text.h"

static int selected(const vg_server *s, const char *name)
{
    if (!s->cfg.n_sets)
        return 1;
    for (size_t i = 0; i < s->cfg.n_sets; i++)
        if (strcmp(s->cfg.sets[i], name) == 0)
            return 1;
    return 0;
}

/* Whether set name exists and is one the server serves. */
static int served(vg_server *s, const char *name)
{
    vg_set_info si;
    vg_status st;

    pthread_mutex_lock(&s->meta_mu);
    st = vg_library_set_info(s->meta, name, &si, NULL);
    pthread_mutex_unlock(&s->meta_mu);
    return st == VG_OK && selected(s, name);
}

static void write_set(FILE *f, const vg_set_info *si)
{
    fputs("{\"name\":", f);
    vg_json_str(f, si->name);
    fprintf(f, ",\"version\":%" PRId64 ",\"entries\":%" PRIu64 ",\"md5\":%" PRIu64
               ",\"sha1\":%" PRIu64 ",\"sha256\":%" PRIu64 ",\"pdq\":%" PRIu64,
            si->version, si->entries, si->n_md5, si->n_sha1, si->n_sha256, si->n_pdq);
    fputs(",\"format\":", f);
    vg_json_str(f, si->format);
    fputs(",\"scheme\":", f);
    vg_json_str(f, si->scheme);
    fputs(",\"imported\":", f);
    vg_json_str(f, si->imported);
    fputs(",\"updated\":", f);
    vg_json_str(f, si->updated);
    fputc('}', f);
}

void vgi_handle_sets(vg_server *s, vgi_reply *r)
{
    vg_set_info *v = NULL;
    size_t n = 0, k = 0;
    vg_error err;
    vg_status st;
    char *buf = NULL;
    size_t blen = 0;
    FILE *f;

    pthread_mutex_lock(&s->meta_mu);
    st = vg_library_list(s->meta, &v, &n, &err);
    pthread_mutex_unlock(&s->meta_mu);
    if (st != VG_OK) {
        vgi_reply_error(r, 500, vg_status_name(st), "", err.msg);
        return;
    }
    if ((f = open_memstream(&buf, &blen))) {
        fputs("{\"sets\":[", f);
        for (size_t i = 0; i < n; i++)
            if (selected(s, v[i].name)) {
                if (k++)
                    fputc(',', f);
                write_set(f, &v[i]);
            }
        fputs("]}\n", f);
        r->items = k;
        vgi_reply_stream(r, 200, f, &buf, &blen);
    } else {
        vgi_reply_error(r, 500, "nomem", "", "out of memory");
    }
    free(v);
}

static unsigned status_of(vg_status st)
{
    switch (st) {
    case VG_ERR_NOTFOUND: return 404;
    case VG_ERR_ARG: return 400;
    default: return 500;
    }
}

/* Adds (or removes) every entry of q; stops at the first failure, reporting
 * how many went through so the client can retry the rest. */
static void apply(vg_server *s, int ep, const char *set, const vg_entries_req *q, FILE *f,
                  vgi_reply *r)
{
    size_t total = ep == VGI_EP_ADD ? q->n : q->n_ids, done = 0;
    vg_error err;
    vg_status st = VG_OK;

    fputs(ep == VGI_EP_ADD ? "{\"ids\":[" : "{\"removed\":[", f);
    for (; done < total && st == VG_OK; done++) {
        uint64_t id = 0;
        if (ep == VGI_EP_ADD)
            st = vg_matcher_add_entry(s->m, set, &q->entries[done], &id, &err);
        else
            st = vg_matcher_remove_entry(s->m, set, id = q->ids[done], &err);
        if (st == VG_OK)
            fprintf(f, "%s%" PRIu64, done ? "," : "", id);
    }
    if (st != VG_OK)
        done--;
    fputs("]", f);
    r->items = done;
    if (st == VG_OK) {
        fputs("}\n", f);
        return;
    }
    r->status = status_of(st);
    fprintf(f, ",\"error\":{\"status\":%u,\"code\":\"%s\",\"field\":\"%s[%zu]\",\"message\":",
            r->status, vg_status_name(st), ep == VGI_EP_ADD ? "entries" : "ids", done);
    vg_json_str(f, err.msg);
    fputs("}}\n", f);
}

void vgi_handle_entries(vg_server *s, int ep, const char *set, const char *body, size_t len,
                        vgi_reply *r)
{
    vg_entries_req q;
    vg_parse_error pe;
    vg_status st;
    char *buf = NULL;
    size_t blen = 0;
    FILE *f;

    if (!served(s, set)) {
        vgi_reply_error(r, 404, "notfound", "set", "no such set is served");
        return;
    }
    st = ep == VGI_EP_ADD ? vg_serve_parse_entries_add(body, len, &s->cfg.limits, &q, &pe)
                          : vg_serve_parse_entries_remove(body, len, &s->cfg.limits, &q, &pe);
    if (st != VG_OK) {
        vgi_reply_parse_error(r, &pe);
        return;
    }
    if (!(f = open_memstream(&buf, &blen))) {
        vg_entries_req_free(&q);
        vgi_reply_error(r, 500, "nomem", "", "out of memory");
        return;
    }
    r->status = 200;
    apply(s, ep, set, &q, f, r);
    vg_entries_req_free(&q);
    vgi_reply_stream(r, r->status, f, &buf, &blen);
}
