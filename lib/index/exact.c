/* exact.c - MD5 / SHA-1 / SHA-256 -> ids: open addressing, records inline, control bytes.
 *
 * One table per digest kind; a slot holds the whole digest and the id, and a
 * separate array holds one control byte per slot (see exact_int.h). A lookup
 * walks the control bytes of its linear-probe run (a run of ~4 fits in one
 * cache line, against ~3 lines of 40-byte SHA-256 slots) and reads only the
 * slots whose byte matches (1 in 254 of the others). Several ids for one
 * digest are several slots; a lookup walks the run to its first empty slot
 * and reports them all. The home slot comes from the digest mixed with a
 * per-index seed, so a hash set built to collide in the low bits cannot form
 * long runs without also knowing the seed. Removal marks slots deleted; the
 * next growth drops them.
 */
#include <stdlib.h>
#include <sys/mman.h>

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
    x->expected = expected;
    for (int k = 0; k < VG_DIGEST_KINDS; k++)
        vgi_exact_table_init(&x->t[k], (vg_digest_kind)k);
    return x;
}

void vg_exact_index_free(vg_exact_index *x)
{
    if (!x)
        return;
    for (int k = 0; k < VG_DIGEST_KINDS; k++)
        vgi_exact_table_free(&x->t[k]);
    if (x->map)
        munmap(x->map, x->maplen);
    pthread_rwlock_destroy(&x->lock);
    free(x);
}

static int slot_is(const vgi_exact_table *t, size_t i, const uint8_t *digest)
{
    return memcmp(t->slots + i * t->stride + 8, digest, t->len) == 0;
}

/* Adds unless the pair is there; reuses the first deleted slot of the run. */
static vg_status add_locked(vg_exact_index *x, vgi_exact_table *t, const uint8_t *digest,
                            uint64_t id, vg_error *err)
{
    /* A table is presized to the expected count when its kind first shows up
     * (sets are mostly of one kind, so the others stay empty). */
    size_t need = t->cap || t->count + 1 > x->expected ? t->count + 1 : x->expected;
    vg_status st = vgi_exact_grow(x, t, need, err);
    if (st != VG_OK)
        return st;
    uint64_t h = vgi_exact_hash(x, vgi_exact_fp(digest));
    uint8_t want = vgi_exact_ctrl(h), c;
    size_t mask = t->cap - 1, at = SIZE_MAX, i = vgi_exact_home(t, h);
    /* The new slot is mostly at or just after home: fetch it while the
     * control bytes come, rather than after. */
    __builtin_prefetch(t->slots + i * t->stride, 1);
    for (; (c = t->ctrl[i]) != VGI_CTRL_EMPTY; i = (i + 1) & mask) {
        if (c == VGI_CTRL_DELETED) {
            if (at == SIZE_MAX)
                at = i;
        } else if (c == want && vgi_exact_tag(t, i) == id + 1 && slot_is(t, i, digest)) {
            return VG_OK;
        }
    }
    if (at == SIZE_MAX)
        at = i;
    else
        t->deleted--;
    uint8_t *s = t->slots + at * t->stride;
    memset(s, 0, t->stride);
    uint64_t tag = id + 1;
    memcpy(s, &tag, 8);
    memcpy(s + 8, digest, t->len);
    t->ctrl[at] = want;
    t->count++;
    return VG_OK;
}

vg_status vg_exact_index_add(vg_exact_index *x, vg_digest_kind kind, const uint8_t *digest,
                             uint64_t id, vg_error *err)
{
    if ((unsigned)kind >= VG_DIGEST_KINDS || !digest)
        return vg_errorf(err, VG_ERR_ARG, "unknown digest kind %d", (int)kind);
    if (id > VG_EXACT_MAX_ID)
        return vg_errorf(err, VG_ERR_ARG, "id %llu is reserved", (unsigned long long)id);
    pthread_rwlock_wrlock(&x->lock);
    vg_status st = add_locked(x, &x->t[kind], digest, id, err);
    pthread_rwlock_unlock(&x->lock);
    return st;
}

static vg_status remove_from(vgi_exact_table *t, uint64_t id, size_t *n, vg_error *err)
{
    uint64_t dead = VGI_TAG_DELETED;
    for (size_t i = 0; i < t->cap; i++) {
        if (vgi_exact_tag(t, i) != id + 1)
            continue;
        vg_status st = vgi_exact_own(t, err);
        if (st != VG_OK)
            return st;
        memcpy(t->slots + i * t->stride, &dead, 8);
        t->ctrl[i] = VGI_CTRL_DELETED;
        t->deleted++;
        t->count--;
        (*n)++;
    }
    return VG_OK;
}

vg_status vg_exact_index_remove(vg_exact_index *x, uint64_t id, size_t *removed, vg_error *err)
{
    size_t n = 0;
    vg_status st = VG_OK;
    pthread_rwlock_wrlock(&x->lock);
    for (int k = 0; k < VG_DIGEST_KINDS && id <= VG_EXACT_MAX_ID && st == VG_OK; k++)
        st = remove_from(&x->t[k], id, &n, err);
    pthread_rwlock_unlock(&x->lock);
    if (removed)
        *removed = n;
    return st;
}

/* Bytes 8.. of two digests equal? Word compares: a libc memcmp call costs
 * more than the rest of a cached lookup. */
static inline int rest_equal(const uint8_t *a, const uint8_t *b, size_t len)
{
    uint64_t x, y, diff = 0;
    for (size_t o = 8; o + 8 <= len; o += 8) {
        memcpy(&x, a + o, 8);
        memcpy(&y, b + o, 8);
        diff |= x ^ y;
    }
    if (len & 7) {
        uint32_t u, v;
        memcpy(&u, a + len - 4, 4);
        memcpy(&v, b + len - 4, 4);
        diff |= u ^ v;
    }
    return diff == 0;
}

static size_t find_locked(const vg_exact_index *x, const vgi_exact_table *t,
                          const uint8_t *digest, uint64_t *ids, size_t max)
{
    if (t->cap == 0)
        return 0;
    uint64_t h = vgi_exact_hash(x, vgi_exact_fp(digest));
    uint8_t want = vgi_exact_ctrl(h), c;
    size_t mask = t->cap - 1, n = 0;
    for (size_t i = vgi_exact_home(t, h); (c = t->ctrl[i]) != VGI_CTRL_EMPTY;
         i = (i + 1) & mask) {
        const uint8_t *s = t->slots + i * t->stride;
        if (c != want || vgi_exact_fp(s + 8) != vgi_exact_fp(digest) ||
            !rest_equal(s + 8, digest, t->len))
            continue;
        if (n < max)
            ids[n] = vgi_exact_tag(t, i) - 1;
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

#define AHEAD 16 /* digests between the two prefetch stages, and after them */

/* The slot of the first control byte in the run of digest d that matches,
 * prefetched (a hit's second cache line); the control bytes are cached by now. */
static inline void prefetch_slot(const vg_exact_index *x, const vgi_exact_table *t,
                                 const uint8_t *d)
{
    uint64_t h = vgi_exact_hash(x, vgi_exact_fp(d));
    uint8_t want = vgi_exact_ctrl(h), c;
    size_t mask = t->cap - 1;
    for (size_t i = vgi_exact_home(t, h); (c = t->ctrl[i]) != VGI_CTRL_EMPTY;
         i = (i + 1) & mask)
        if (c == want) {
            const uint8_t *s = t->slots + i * t->stride;
            __builtin_prefetch(s);
            __builtin_prefetch(s + t->stride - 1);
            return;
        }
}

/* A three-stage software pipeline: digest i + 2 AHEAD has its control bytes
 * prefetched, digest i + AHEAD its matching slot, digest i is looked up with
 * both in cache. So a miss costs one overlapped cache miss, a hit two. */
void vg_exact_index_find_batch(const vg_exact_index *x, vg_digest_kind kind,
                               const uint8_t *digests, size_t n, uint32_t *counts,
                               uint64_t *first_ids)
{
    size_t len = vg_digest_kind_len(kind);
    if (len == 0)
        return;
    vg_exact_index *w = (vg_exact_index *)x;
    const vgi_exact_table *t = &x->t[kind];
    pthread_rwlock_rdlock(&w->lock);
    for (size_t i = 0; i < n + 2 * AHEAD; i++) {
        if (t->cap && i < n) {
            uint64_t h = vgi_exact_hash(x, vgi_exact_fp(digests + i * len));
            __builtin_prefetch(t->ctrl + vgi_exact_home(t, h));
        }
        if (t->cap && i >= AHEAD && i - AHEAD < n)
            prefetch_slot(x, t, digests + (i - AHEAD) * len);
        if (i >= 2 * AHEAD) {
            size_t j = i - 2 * AHEAD;
            uint64_t id = 0;
            size_t c = find_locked(x, t, digests + j * len, &id, 1);
            counts[j] = c > UINT32_MAX ? UINT32_MAX : (uint32_t)c;
            if (first_ids)
                first_ids[j] = id;
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
        b += x->t[k].cap * (x->t[k].stride + 1);
    pthread_rwlock_unlock(&w->lock);
    return b;
}
