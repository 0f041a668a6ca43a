/* pdq_query.c - answering PDQ queries: MIH or scan over main, scan of the delta, one match per id.
 *
 * The read lock is held for the whole query, so it sees one consistent state
 * of main, tombstones and delta. Per id the smallest distance wins, then the
 * lowest query variant (tests/index/test_pdq_index.c compares with a scan).
 */
#include <stdlib.h>

#include "index_int.h"

void vg_pdq_query_opts_init(vg_pdq_query_opts *o)
{
    o->radius = VG_PDQ_DEFAULT_RADIUS;
    o->min_quality = VG_PDQ_DEFAULT_MIN_QUALITY;
    o->method = VG_PDQ_AUTO;
}

void vg_pdq_results_free(vg_pdq_results *r)
{
    if (!r)
        return;
    free(r->v);
    memset(r, 0, sizeof *r);
}

void vgi_sink_emit(vgi_sink *s, uint64_t id, int distance)
{
    vg_pdq_results *r = s->r;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        vg_pdq_match *v = realloc(r->v, cap * sizeof *v);
        if (!v) {
            s->nomem = 1;
            return;
        }
        r->v = v;
        r->cap = cap;
    }
    r->v[r->n++] = (vg_pdq_match){id, (uint16_t)distance, s->variant};
}

typedef struct delta_ctx {
    const vg_pdq_index *p;
    vgi_sink *s;
} delta_ctx;

static void delta_hit(size_t i, int d, void *ctx)
{
    delta_ctx *c = ctx;
    vgi_sink_emit(c->s, c->p->dids[i], d);
}

/* AUTO takes MIH when its cost model says it beats the scan, and gives up
 * on it for the scan when the query's real work passes the scan's cost
 * (crowded buckets: real PDQ sets have many near-blank images). What the
 * abandoned search emitted is dropped. */
static void search_one(const vg_pdq_index *p, const uint64_t q[4], const vg_pdq_query_opts *o,
                       vgi_sink *s)
{
    int scan = o->method == VG_PDQ_SCAN || o->radius > VG_PDQ_MIH_MAX_RADIUS ||
               (o->method == VG_PDQ_AUTO && !vgi_mih_worth(&p->main, o->radius));
    size_t mark = s->r->n;
    if (!scan && !vgi_mih_query(&p->main, q, o->radius, o->method == VG_PDQ_AUTO, s)) {
        s->r->n = mark;
        scan = 1;
    }
    if (scan)
        vgi_mih_scan(&p->main, q, o->radius, s);
    delta_ctx c = {p, s};
    vgi_scan(VG_SIMD_AUTO, p->dcodes, p->dn, q, o->radius, delta_hit, &c);
}

static int by_id_distance(const void *a, const void *b)
{
    const vg_pdq_match *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    if (x->distance != y->distance)
        return x->distance < y->distance ? -1 : 1;
    return (x->variant > y->variant) - (x->variant < y->variant);
}

/* One match per id: the smallest distance, then the lowest variant. */
static void merge_per_id(vg_pdq_results *r)
{
    size_t out = 0;
    if (r->n > 1)
        qsort(r->v, r->n, sizeof *r->v, by_id_distance);
    for (size_t i = 0; i < r->n; i++)
        if (out == 0 || r->v[out - 1].id != r->v[i].id)
            r->v[out++] = r->v[i];
    r->n = out;
}

static vg_status check_query(const vg_pdq *q, size_t nq, const vg_pdq_query_opts *o,
                             vg_pdq_results *r, vg_error *err)
{
    if (!q || !r || (nq != 1 && nq != VG_PDQ_VARIANTS))
        return vg_errorf(err, VG_ERR_ARG, "a PDQ query takes 1 or %d hashes, not %zu",
                         VG_PDQ_VARIANTS, nq);
    if (o->radius < 0 || o->radius > VG_PDQ_MAX_RADIUS)
        return vg_errorf(err, VG_ERR_ARG, "PDQ radius %d is outside 0..%d", o->radius,
                         VG_PDQ_MAX_RADIUS);
    if (o->method < VG_PDQ_AUTO || o->method > VG_PDQ_SCAN ||
        (o->method == VG_PDQ_MIH && o->radius > VG_PDQ_MIH_MAX_RADIUS))
        return vg_errorf(err, VG_ERR_ARG, "PDQ query method %d unusable at radius %d",
                         (int)o->method, o->radius);
    return VG_OK;
}

vg_status vg_pdq_index_query(const vg_pdq_index *p, const vg_pdq *q, size_t nq, int quality,
                             const vg_pdq_query_opts *o, vg_pdq_results *r, vg_error *err)
{
    vg_pdq_query_opts def;
    if (!o) {
        vg_pdq_query_opts_init(&def);
        o = &def;
    }
    vg_status st = check_query(q, nq, o, r, err);
    if (st != VG_OK)
        return st;
    r->n = 0;
    r->skipped = quality < o->min_quality;
    if (r->skipped)
        return VG_OK;
    vgi_sink s = {r, 0, 0};
    vg_pdq_index *w = (vg_pdq_index *)p;
    pthread_rwlock_rdlock(&w->lock);
    for (size_t v = 0; v < nq; v++) {
        uint64_t qw[4];
        vgi_load(q + v, qw);
        s.variant = (uint16_t)v;
        search_one(p, qw, o, &s);
    }
    pthread_rwlock_unlock(&w->lock);
    if (s.nomem)
        return vg_errorf(err, VG_ERR_NOMEM, "out of memory collecting PDQ matches");
    merge_per_id(r);
    return VG_OK;
}
