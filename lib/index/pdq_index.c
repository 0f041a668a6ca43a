/* pdq_index.c - the PDQ index object: main MIH segment, delta segment, tombstones, compaction.
 *
 * Invariants:
 *  1. Every live hash is in exactly one of main (not tombstoned) or delta.
 *  2. Queries only read; add and remove hold the write lock. Compaction holds
 *     it only to snapshot and to swap the new main in (see index_int.h).
 *  3. Queries (pdq_query.c) see main, tombstones and delta under one read lock.
 */
#include <stdlib.h>
#include <sys/mman.h>

#include "index_int.h"

#define DEFAULT_DELTA_LIMIT 65536

vg_pdq_index *vg_pdq_index_new(vg_error *err)
{
    vg_pdq_index *p = calloc(1, sizeof *p);
    if (!p) {
        vg_errorf(err, VG_ERR_NOMEM, "out of memory creating a PDQ index");
        return NULL;
    }
    pthread_rwlock_init(&p->lock, NULL);
    pthread_mutex_init(&p->compact_mu, NULL);
    p->delta_limit = DEFAULT_DELTA_LIMIT;
    return p;
}

static void release_main(vg_pdq_index *p)
{
    vgi_mih_free(&p->main);
    if (p->map) {
        munmap(p->map, p->maplen);
        p->map = NULL;
    }
}

void vg_pdq_index_free(vg_pdq_index *p)
{
    if (!p)
        return;
    release_main(p);
    free(p->dcodes);
    free(p->dids);
    free(p->removed);
    pthread_rwlock_destroy(&p->lock);
    pthread_mutex_destroy(&p->compact_mu);
    free(p);
}

void vg_pdq_index_set_delta_limit(vg_pdq_index *p, size_t limit)
{
    pthread_rwlock_wrlock(&p->lock);
    p->delta_limit = limit;
    pthread_rwlock_unlock(&p->lock);
}

static size_t live(const vg_pdq_index *p)
{
    return p->main.n - p->main.ndead + p->dn;
}

size_t vg_pdq_index_count(const vg_pdq_index *p)
{
    vg_pdq_index *w = (vg_pdq_index *)p;
    pthread_rwlock_rdlock(&w->lock);
    size_t n = live(p);
    pthread_rwlock_unlock(&w->lock);
    return n;
}

size_t vg_pdq_index_memory(const vg_pdq_index *p)
{
    vg_pdq_index *w = (vg_pdq_index *)p;
    pthread_rwlock_rdlock(&w->lock);
    size_t b = sizeof *p + vgi_mih_memory(&p->main) + p->dcap * (32 + 8);
    pthread_rwlock_unlock(&w->lock);
    return b;
}

/* Main (live entries) followed by delta, into new arrays, then rebuilt. */
/* Live main entries and delta[0..snap_dn) into new arrays (read lock held). */
static vg_status snapshot(const vg_pdq_index *p, uint64_t **codes, uint64_t **ids, size_t *n,
                          vg_error *err)
{
    const vgi_mih *m = &p->main;
    size_t total = m->n - m->ndead + p->snap_dn, at = 0;
    *codes = vgi_big_alloc(total * 32, 0);
    *ids = malloc((total ? total : 1) * 8);
    if (!*codes || !*ids) {
        free(*codes);
        free(*ids);
        return vg_errorf(err, VG_ERR_NOMEM, "out of memory compacting %zu PDQ hashes", total);
    }
    for (size_t i = 0; i < m->n; i++) {
        if (vgi_dead(m, i))
            continue;
        memcpy(*codes + 4 * at, m->codes + 4 * i, 32);
        (*ids)[at++] = m->ids[i];
    }
    if (p->snap_dn > 0) {
        memcpy(*codes + 4 * at, p->dcodes, p->snap_dn * 32);
        memcpy(*ids + at, p->dids, p->snap_dn * 8);
    }
    *n = total;
    return VG_OK;
}

static vg_status tombstone(vgi_mih *m, uint64_t id, size_t *removed, vg_error *err);

/* Swaps the new main in (write lock held): the delta keeps what came after
 * the snapshot, and removals made meanwhile are applied to the new main. */
static vg_status swap_in(vg_pdq_index *p, vgi_mih *fresh, vg_error *err)
{
    release_main(p);
    p->main = *fresh;
    p->dn -= p->snap_dn;
    if (p->dn > 0) {
        memmove(p->dcodes, p->dcodes + 4 * p->snap_dn, p->dn * 32);
        memmove(p->dids, p->dids + p->snap_dn, p->dn * 8);
    } else {
        free(p->dcodes);
        free(p->dids);
        p->dcodes = NULL;
        p->dids = NULL;
        p->dcap = 0;
    }
    vg_status st = VG_OK;
    for (size_t i = 0; i < p->nremoved && st == VG_OK; i++) {
        size_t count = 0;
        st = tombstone(&p->main, p->removed[i], &count, err);
    }
    return st;
}

static void end_compaction(vg_pdq_index *p)
{
    p->compacting = 0;
    p->snap_dn = 0;
    free(p->removed);
    p->removed = NULL;
    p->nremoved = p->removed_cap = 0;
}

vg_status vgi_pdq_compact_unlocked(vg_pdq_index *p, vg_error *err)
{
    uint64_t *codes = NULL, *ids = NULL;
    size_t n = 0;
    pthread_rwlock_wrlock(&p->lock);
    p->compacting = 1;
    p->snap_dn = p->dn;
    pthread_rwlock_unlock(&p->lock);

    pthread_rwlock_rdlock(&p->lock);
    vg_status st = snapshot(p, &codes, &ids, &n, err);
    pthread_rwlock_unlock(&p->lock);
    vgi_mih fresh;
    if (st == VG_OK)
        st = vgi_mih_build(&fresh, codes, ids, n, err);

    pthread_rwlock_wrlock(&p->lock);
    if (st == VG_OK)
        st = swap_in(p, &fresh, err);
    end_compaction(p);
    pthread_rwlock_unlock(&p->lock);
    return st;
}

vg_status vg_pdq_index_compact(vg_pdq_index *p, vg_error *err)
{
    pthread_mutex_lock(&p->compact_mu);
    vg_status st = vgi_pdq_compact_unlocked(p, err);
    pthread_mutex_unlock(&p->compact_mu);
    return st;
}

static vg_status delta_reserve(vg_pdq_index *p, size_t more, vg_error *err)
{
    if (more > VGI_MAX_HASHES || p->main.n + p->dn > VGI_MAX_HASHES - more)
        return vg_errorf(err, VG_ERR_LIMIT, "PDQ index is limited to %u hashes",
                         VGI_MAX_HASHES);
    if (p->dn + more <= p->dcap)
        return VG_OK;
    size_t cap = p->dcap ? p->dcap : 1024;
    while (cap < p->dn + more)
        cap *= 2;
    uint64_t *c = realloc(p->dcodes, cap * 32);
    if (c)
        p->dcodes = c;
    uint64_t *i = c ? realloc(p->dids, cap * 8) : NULL;
    if (!i)
        return vg_errorf(err, VG_ERR_NOMEM, "out of memory adding PDQ hashes");
    p->dids = i;
    p->dcap = cap;
    return VG_OK;
}

vg_status vg_pdq_index_add_many(vg_pdq_index *p, const vg_pdq *hs, const uint64_t *ids,
                                size_t n, vg_error *err)
{
    if (n == 0)
        return VG_OK;
    pthread_rwlock_wrlock(&p->lock);
    vg_status st = delta_reserve(p, n, err);
    int full = 0;
    if (st == VG_OK) {
        memcpy(p->dcodes + 4 * p->dn, hs, n * 32);
        memcpy(p->dids + p->dn, ids, n * 8);
        p->dn += n;
        full = p->dn > p->delta_limit;
    }
    pthread_rwlock_unlock(&p->lock);
    /* This thread compacts; if another already does, it will take these too
     * next time, and the delta serves them meanwhile. */
    if (full && pthread_mutex_trylock(&p->compact_mu) == 0) {
        st = vgi_pdq_compact_unlocked(p, err);
        pthread_mutex_unlock(&p->compact_mu);
    }
    return st;
}

vg_status vg_pdq_index_add(vg_pdq_index *p, const vg_pdq *h, uint64_t id, vg_error *err)
{
    return vg_pdq_index_add_many(p, h, &id, 1, err);
}

static vg_status tombstone(vgi_mih *m, uint64_t id, size_t *removed, vg_error *err)
{
    for (size_t i = 0; i < m->n; i++) {
        if (m->ids[i] != id || vgi_dead(m, i))
            continue;
        if (!m->dead && !(m->dead = calloc((m->n + 7) / 8, 1)))
            return vg_errorf(err, VG_ERR_NOMEM, "out of memory marking a removal");
        m->dead[i >> 3] |= (uint8_t)(1u << (i & 7));
        m->ndead++;
        (*removed)++;
    }
    return VG_OK;
}

/* While a compaction runs, the removal must also reach the main it is building. */
static vg_status log_removal(vg_pdq_index *p, uint64_t id, vg_error *err)
{
    if (!p->compacting)
        return VG_OK;
    if (p->nremoved == p->removed_cap) {
        size_t cap = p->removed_cap ? p->removed_cap * 2 : 16;
        uint64_t *r = realloc(p->removed, cap * sizeof *r);
        if (!r)
            return vg_errorf(err, VG_ERR_NOMEM, "out of memory logging a removal");
        p->removed = r;
        p->removed_cap = cap;
    }
    p->removed[p->nremoved++] = id;
    return VG_OK;
}

/* Order-preserving, so that delta[0..snap_dn) stays what a compaction took. */
static size_t remove_from_delta(vg_pdq_index *p, uint64_t id)
{
    size_t out = 0, count = 0, snap = p->snap_dn;
    for (size_t i = 0; i < p->dn; i++) {
        if (p->dids[i] == id) {
            count++;
            snap -= i < p->snap_dn;
            continue;
        }
        if (out != i) {
            memcpy(p->dcodes + 4 * out, p->dcodes + 4 * i, 32);
            p->dids[out] = p->dids[i];
        }
        out++;
    }
    p->dn = out;
    p->snap_dn = snap;
    return count;
}

vg_status vg_pdq_index_remove(vg_pdq_index *p, uint64_t id, size_t *removed, vg_error *err)
{
    size_t count = 0;
    pthread_rwlock_wrlock(&p->lock);
    vg_status st = log_removal(p, id, err);
    if (st == VG_OK)
        st = tombstone(&p->main, id, &count, err);
    if (st == VG_OK)
        count += remove_from_delta(p, id);
    pthread_rwlock_unlock(&p->lock);
    if (removed)
        *removed = count;
    return st;
}
