/* api_item.c - GET /api/items/ID: one item with everything the examiner may
 * need to judge it: provenance, hashes, times, EXIF, matches, cluster
 * members, steganalysis, the thumbnail-differs flag, the review. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "review_int.h"
#include "vigil/text.h"
#include "vigil/util.h"

#define MEMBERS_MAX 1000
#define THUMB_DIFFERS 31 /* PDQ distance over which the EXIF thumbnail shows another picture */

typedef struct detail_ctx {
    FILE *f;
    vg_review *r;
    int n;
    int found;
    uint64_t cluster;
} detail_ctx;

static void time_json(FILE *f, const char *key, int64_t t)
{
    char buf[32];
    time_t tt = (time_t)t;
    struct tm tm;

    fprintf(f, ",\"%s\":", key);
    if (t == INT64_MIN || !gmtime_r(&tt, &tm) || tm.tm_year > 8099 || tm.tm_year < -1899 ||
        !strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm))
        fputs("null", f);
    else
        fprintf(f, "\"%s\"", buf);
}

static void hex_json(FILE *f, const char *key, const uint8_t *b, size_t n, int have)
{
    char hex[65];

    fprintf(f, ",\"%s\":", key);
    if (!have) {
        fputs("null", f);
        return;
    }
    vg_hex_encode(b, n, hex);
    fprintf(f, "\"%s\"", hex);
}

/* steg_scores is JSON text from the scan: passed on only when it is an object. */
static void scores_json(FILE *f, const char *s)
{
    json_t *j = s ? json_loads(s, JSON_REJECT_DUPLICATES, NULL) : NULL;
    char *out = json_is_object(j) ? json_dumps(j, JSON_COMPACT) : NULL;

    fputs(",\"steg_scores\":", f);
    fputs(out ? out : "null", f);
    free(out);
    json_decref(j);
}

static void exif_json(FILE *f, const vg_item_rec *it)
{
    fputs(",\"exif\":", f);
    if (!it->exif_make && !it->exif_model && !it->exif_datetime && !it->has_gps) {
        fputs("null", f);
        return;
    }
    fputs("{\"make\":", f);
    vgi_json_str_or_null(f, it->exif_make);
    fputs(",\"model\":", f);
    vgi_json_str_or_null(f, it->exif_model);
    fputs(",\"datetime\":", f);
    vgi_json_str_or_null(f, it->exif_datetime);
    if (it->has_gps)
        fprintf(f, ",\"gps\":{\"lat\":%.7f,\"lon\":%.7f}}", it->gps_lat, it->gps_lon);
    else
        fputs(",\"gps\":null}", f);
}

static void evidence_json(FILE *f, vg_store *s, int64_t id)
{
    vg_evidence_rec *ev = NULL;
    size_t n = 0;
    const char *path = NULL;

    if (vg_store_evidence_list(s, &ev, &n, NULL) == VG_OK)
        for (size_t i = 0; i < n; i++)
            if (ev[i].id == id)
                path = ev[i].path;
    fputs(",\"evidence\":", f);
    vgi_json_str_or_null(f, path);
    free(ev);
}

static void review_json(FILE *f, const vg_item_rec *it)
{
    fputs(",\"review\":", f);
    if (!it->review_category) {
        fputs("null", f);
        return;
    }
    fputs("{\"category\":", f);
    vg_json_str(f, it->review_category);
    fputs(",\"scheme\":", f);
    vgi_json_str_or_null(f, it->review_scheme);
    fputs(",\"examiner\":", f);
    vgi_json_str_or_null(f, it->review_by);
    fputs(",\"time\":", f);
    vgi_json_str_or_null(f, it->review_time);
    fputc('}', f);
}

static void identity_json(FILE *f, const vg_item_rec *it)
{
    char pdq[65];

    fprintf(f, ",\"seq\":%llu,\"sub\":%u,\"source\":", (unsigned long long)it->seq, it->sub);
    vgi_json_str_or_null(f, it->source);
    if (it->offset >= 0)
        fprintf(f, ",\"offset\":%lld", (long long)it->offset);
    else
        fputs(",\"offset\":null", f);
    time_json(f, "mtime", it->mtime);
    time_json(f, "atime", it->atime);
    time_json(f, "ctime", it->ctime);
    time_json(f, "crtime", it->crtime);
    hex_json(f, "md5", it->digests.md5, 16, it->have_digests);
    hex_json(f, "sha1", it->digests.sha1, 20, it->have_digests);
    hex_json(f, "sha256", it->digests.sha256, 32, it->have_digests);
    if (it->have_pdq) {
        vg_pdq_to_hex(&it->pdq, pdq);
        fprintf(f, ",\"pdq\":\"%s\",\"pdq_quality\":%d", pdq, it->pdq_quality);
    } else {
        fputs(",\"pdq\":null,\"pdq_quality\":null", f);
    }
    fputs(",\"error\":", f);
    vgi_json_str_or_null(f, it->error);
}

static int rec_cb(const vg_item_rec *it, void *ctx)
{
    detail_ctx *c = ctx;
    FILE *f = c->f;

    c->found = 1;
    identity_json(f, it);
    evidence_json(f, c->r->store, it->evidence_id);
    fputs(",\"matches\":[", f);
    for (size_t i = 0; i < it->n_matches; i++) {
        fputs(i ? "," : "", f);
        vgi_match_json(f, &it->matches[i], 1);
    }
    fputc(']', f);
    exif_json(f, it);
    if (it->thumb_distance >= 0)
        fprintf(f, ",\"thumb_distance\":%d,\"thumb_differs\":%s", it->thumb_distance,
                it->thumb_distance > THUMB_DIFFERS ? "true" : "false");
    else
        fputs(",\"thumb_distance\":null,\"thumb_differs\":false", f);
    fputs(",\"steg_reason\":", f);
    vgi_json_str_or_null(f, it->steg_reason);
    scores_json(f, it->steg_scores);
    review_json(f, it);
    return 0;
}

static void chain_cb(const char *name, uint64_t seq, void *ctx)
{
    detail_ctx *c = ctx;
    fputs(c->n++ ? ",{\"name\":" : "{\"name\":", c->f);
    vg_json_str(c->f, name);
    fprintf(c->f, ",\"seq\":%llu}", (unsigned long long)seq);
}

static int member_cb(int64_t id, const char *path, void *ctx)
{
    detail_ctx *c = ctx;
    fprintf(c->f, "%s{\"id\":%lld,\"path\":", c->n++ ? "," : "", (long long)id);
    vg_json_str(c->f, path);
    fputc('}', c->f);
    return 0;
}

static int list_cb(const vg_list_item *it, void *ctx)
{
    detail_ctx *c = ctx;
    c->found = 1;
    c->cluster = it->cluster;
    vgi_item_json(c->f, it, 1);
    return 1;
}

/* Writes the detail of id into f; VG_ERR_NOTFOUND when it is no listed item. */
static vg_status detail(vg_review *r, int64_t id, FILE *f, vg_error *err)
{
    detail_ctx c = {f, r, 0, 0, 0};
    vg_item_filter flt;
    vg_status st;
    uint64_t total = 0;

    vg_item_filter_init(&flt);
    flt.id = id;
    if ((st = vg_store_query_items(r->store, &flt, &r->order, list_cb, &c, NULL, err)) != VG_OK)
        return st;
    if (!c.found)
        return vg_errorf(err, VG_ERR_NOTFOUND, "no item %lld", (long long)id);
    if ((st = vg_store_item_get(r->store, id, rec_cb, &c, err)) != VG_OK)
        return st;
    fputs(",\"chain\":[", f);
    c.n = 0;
    if ((st = vg_store_item_chain(r->store, id, chain_cb, &c, err)) != VG_OK)
        return st;
    fputs("],\"members\":[", f);
    c.n = 0;
    if (c.cluster &&
        (st = vg_store_cluster_members(r->store, c.cluster, MEMBERS_MAX, member_cb, &c, &total,
                                       err)) != VG_OK)
        return st;
    fprintf(f, "],\"members_total\":%llu}\n", (unsigned long long)total);
    return VG_OK;
}

void vgi_api_item(vg_review *r, int64_t id, vgi_reply *out)
{
    char *buf;
    size_t len;
    vg_error err;
    vg_status st;
    FILE *f = vgi_json_open(&buf, &len);

    if (!f) {
        vgi_rv_error(out, 500, "out of memory");
        return;
    }
    pthread_mutex_lock(&r->store_mu);
    st = detail(r, id, f, &err);
    pthread_mutex_unlock(&r->store_mu);
    if (st != VG_OK) {
        fclose(f);
        free(buf);
        vgi_rv_error(out, st == VG_ERR_NOTFOUND ? 404 : 500, "%s", err.msg);
        return;
    }
    vgi_rv_stream(out, 200, f, &buf, &len);
}
