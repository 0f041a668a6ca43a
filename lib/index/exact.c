/* exact.c - MD5 / SHA-1 / SHA-256 -> ids: open addressing with inline fingerprints.
 *
 * One table per digest kind. A table slot holds the digest's first 8 bytes
 * (the fingerprint) and the number of a record in an arena that keeps the full
 * digest and the id; 4 slots share a cache line, so a miss usually costs one
 * line and a hit one line plus its record. Several ids for one digest are
 * several (digest, id) records: linear probing walks them all until the first
 * empty slot. The slot is chosen from the fingerprint mixed with a per-index
 * seed, so a hash set built to collide in the low bits cannot form long runs
 * without also knowing the seed.
 *
 * Removal marks slots deleted (probing walks over them) and leaves the arena
 * record as garbage until the table is rebuilt by growth.
 */
#include <stdlib.h>

#include "exact_int.h"

size_t vg_digest_kind_len(vg_digest_kind k)
{
    static const size_t len[VG_DIGEST_KINDS] = {16, 20, 32};
    return (unsigned)k < VG_DIGEST_KINDS ? len[k] : 0;
}

vg_exact_index *vg_exact_index_new(size_t expected, vg_error *err)
{
    vg_exact_index *x = calloc(1, sizeof *x);
    if (!x) {
        vg_errorf(err, VG_ERR_NOMEM, "out of memory creating an exact index");
        return NULL;
    }
    pthread_rwlock_init(&x->lock, NULL);
    x->seed = 0x5bd1e9955bd1e995ull ^ (uint64_t)(uintptr_t)x ^ (uint64_t)(vg_now() * 1e9);
    for (int k = 0; k < VG_DIGEST_KINDS; k++) {
        x->t[k].len = vg_digest_kind_len((vg_digest_kind)k);
        x->t[k].rec = (x->t[k].len + 7) / 8 * 8 + 8; /* id 8-aligned at the end */
    }
    x->expected = expected;
    return x;
}

void vgi_exact_table_free(vgi_exact_table *t)
{
    free(t->slots);
    free(t->arena);
    t->slots = NULL;
    t->arena = NULL;
}

void vg_exact_index_free(vg_exact_index *x)
{
    if (!x)
        return;
    for (int k = 0; k < VG_DIGEST_KINDS; k++)
        vgi_exact_table_free(&x->t[k]);
    pthread_rwlock_destroy(&x->lock);
    free(x);
}

static int record_is(const vgi_exact_table *t, uint32_t rec, const uint8_t *digest)
{
    return memcmp(t->arena + (size_t)rec * t->rec, digest, t->len) == 0;
}

static uint64_t record_id(const vgi_exact_table *t, uint32_t rec)
{
    uint64_t id;
    memcpy(&id, t->arena + (size_t)rec * t->rec + t->rec - 8, 8);
    return id;
}

/* Inserts record rec into the slots (no duplicate check, capacity assured). */
void vgi_exact_place(const vg_exact_index *x, vgi_exact_table *t, uint64_t fp, uint32_t rec)
{
    size_t mask = t->cap - 1;
    for (size_t i = vgi_exact_home(x, t, fp);; i = (i + 1) & mask)
        if (t->slots[i].rec1 == VGI_EMPTY || t->slots[i].rec1 == VGI_DELETED) {
            if (t->slots[i].rec1 == VGI_DELETED)
                t->deleted--;
            t->slots[i].fp = fp;
            t->slots[i].rec1 = rec + 1;
            return;
        }
}

static int contains(const vg_exact_index *x, const vgi_exact_table *t, const uint8_t *digest,
                    uint64_t fp, uint64_t id)
{
    size_t mask = t->cap - 1;
    for (size_t i = vgi_exact_home(x, t, fp); t->slots[i].rec1 != VGI_EMPTY; i = (i + 1) & mask) {
        const vgi_exact_slot *s = &t->slots[i];
        if (s->rec1 != VGI_DELETED && s->fp == fp && record_is(t, s->rec1 - 1, digest) &&
            record_id(t, s->rec1 - 1) == id)
            return 1;
    }
    return 0;
}

static vg_status add_locked(vg_exact_index *x, vgi_exact_table *t, const uint8_t *digest,
                            uint64_t id, vg_error *err)
{
    uint64_t fp = vgi_exact_fp(digest);
    if (t->cap && contains(x, t, digest, fp, id))
        return VG_OK;
    if (t->nrec >= VGI_EXACT_MAX)
        return vg_errorf(err, VG_ERR_LIMIT, "exact index is limited to %u entries per kind",
                         VGI_EXACT_MAX);
    /* A table is presized to the expected count when its kind first shows up
     * (sets are mostly of one kind, so the others stay empty). */
    size_t need = t->count + 1 > x->expected || t->cap ? t->count + 1 : x->expected;
    vg_status st = vgi_exact_grow(x, t, need, err);
    if (st == VG_OK && t->nrec == t->arena_cap)
        st = vgi_exact_arena_grow(t, need > t->nrec * 2 ? need : t->nrec * 2, err);
    if (st != VG_OK)
        return st;
    uint8_t *r = t->arena + t->nrec * t->rec;
    memset(r, 0, t->rec);
    memcpy(r, digest, t->len);
    memcpy(r + t->rec - 8, &id, 8);
    vgi_exact_place(x, t, fp, (uint32_t)t->nrec);
    t->nrec++;
    t->count++;
    return VG_OK;
}

vg_status vg_exact_index_add(vg_exact_index *x, vg_digest_kind kind, const uint8_t *digest,
                             uint64_t id, vg_error *err)
{
    if ((unsigned)kind >= VG_DIGEST_KINDS || !digest)
        return vg_errorf(err, VG_ERR_ARG, "unknown digest kind %d", (int)kind);
    pthread_rwlock_wrlock(&x->lock);
    vg_status st = add_locked(x, &x->t[kind], digest, id, err);
    pthread_rwlock_unlock(&x->lock);
    return st;
}

static size_t remove_from(vgi_exact_table *t, uint64_t id)
{
    size_t n = 0;
    for (size_t i = 0; i < t->cap; i++) {
        vgi_exact_slot *s = &t->slots[i];
        if (s->rec1 == VGI_EMPTY || s->rec1 == VGI_DELETED || record_id(t, s->rec1 - 1) != id)
            continue;
        s->rec1 = VGI_DELETED;
        t->deleted++;
        t->count--;
        n++;
    }
    return n;
}

vg_status vg_exact_index_remove(vg_exact_index *x, uint64_t id, size_t *removed, vg_error *err)
{
    size_t n = 0;
    pthread_rwlock_wrlock(&x->lock);
    for (int k = 0; k < VG_DIGEST_KINDS; k++)
        n += remove_from(&x->t[k], id);
    pthread_rwlock_unlock(&x->lock);
    if (removed)
        *removed = n;
    return VG_OK;
}

static size_t find_locked(const vg_exact_index *x, const vgi_exact_table *t,
                          const uint8_t *digest, uint64_t *ids, size_t max)
{
    if (t->cap == 0)
        return 0;
    uint64_t fp = vgi_exact_fp(digest);
    size_t mask = t->cap - 1, n = 0;
    for (size_t i = vgi_exact_home(x, t, fp); t->slots[i].rec1 != VGI_EMPTY; i = (i + 1) & mask) {
        const vgi_exact_slot *s = &t->slots[i];
        if (s->fp != fp || s->rec1 == VGI_DELETED || !record_is(t, s->rec1 - 1, digest))
            continue;
        if (n < max)
            ids[n] = record_id(t, s->rec1 - 1);
        n++;
    }
    return n;
}

size_t vg_exact_index_find(const vg_exact_index *x, vg_digest_kind kind, const uint8_t *digest,
                           uint64_t *ids, size_t max)
{
    if ((unsigned)kind >= VG_DIGEST_KINDS || !digest)
        return 0;
    vg_exact_index *w = (vg_exact_index *)x;
    pthread_rwlock_rdlock(&w->lock);
    size_t n = find_locked(x, &x->t[kind], digest, ids, max);
    pthread_rwlock_unlock(&w->lock);
    return n;
}

#define GROUP 32

static void prefetch_homes(const vg_exact_index *x, const vgi_exact_table *t, const uint8_t *d,
                           size_t len, size_t n, size_t *home)
{
    for (size_t i = 0; i < n; i++) {
        home[i] = vgi_exact_home(x, t, vgi_exact_fp(d + i * len));
        __builtin_prefetch(&t->slots[home[i]]);
    }
}

/* Once a group's slots are in cache, the records their fingerprints point to. */
static void prefetch_records(const vgi_exact_table *t, const uint8_t *d, size_t len, size_t n,
                             const size_t *home)
{
    size_t mask = t->cap - 1;
    for (size_t i = 0; i < n; i++) {
        uint64_t fp = vgi_exact_fp(d + i * len);
        for (size_t j = home[i]; t->slots[j].rec1 != VGI_EMPTY; j = (j + 1) & mask)
            if (t->slots[j].fp == fp && t->slots[j].rec1 != VGI_DELETED) {
                __builtin_prefetch(t->arena + (size_t)(t->slots[j].rec1 - 1) * t->rec);
                break;
            }
    }
}

/* A software pipeline over groups: while group g is probed, the slots of group
 * g+1 are on their way, so the cache misses overlap instead of queueing. */
void vg_exact_index_find_batch(const vg_exact_index *x, vg_digest_kind kind,
                               const uint8_t *digests, size_t n, uint32_t *counts,
                               uint64_t *first_ids)
{
    size_t len = vg_digest_kind_len(kind), home[2][GROUP];
    if (len == 0)
        return;
    vg_exact_index *w = (vg_exact_index *)x;
    const vgi_exact_table *t = &x->t[kind];
    pthread_rwlock_rdlock(&w->lock);
    if (t->cap)
        prefetch_homes(x, t, digests, len, n < GROUP ? n : GROUP, home[0]);
    for (size_t g = 0, k = 0; g < n; g += GROUP, k ^= 1) {
        size_t e = g + GROUP < n ? g + GROUP : n, e2 = e + GROUP < n ? e + GROUP : n;
        if (t->cap) {
            prefetch_homes(x, t, digests + e * len, len, e2 - e, home[k ^ 1]);
            prefetch_records(t, digests + g * len, len, e - g, home[k]);
        }
        for (size_t i = g; i < e; i++) {
            uint64_t id = 0;
            size_t c = find_locked(x, t, digests + i * len, &id, 1);
            counts[i] = c > UINT32_MAX ? UINT32_MAX : (uint32_t)c;
            if (first_ids)
                first_ids[i] = id;
        }
    }
    pthread_rwlock_unlock(&w->lock);
}

size_t vg_exact_index_count(const vg_exact_index *x, vg_digest_kind kind)
{
    if ((unsigned)kind >= VG_DIGEST_KINDS)
        return 0;
    vg_exact_index *w = (vg_exact_index *)x;
    pthread_rwlock_rdlock(&w->lock);
    size_t n = x->t[kind].count;
    pthread_rwlock_unlock(&w->lock);
    return n;
}

size_t vg_exact_index_memory(const vg_exact_index *x)
{
    vg_exact_index *w = (vg_exact_index *)x;
    size_t b = sizeof *x;
    pthread_rwlock_rdlock(&w->lock);
    for (int k = 0; k < VG_DIGEST_KINDS; k++)
        b += x->t[k].cap * sizeof(vgi_exact_slot) + x->t[k].arena_cap * x->t[k].rec;
    pthread_rwlock_unlock(&w->lock);
    return b;
}
