/* exact_int.h - the exact-digest index's tables, shared by exact.c, exact_grow.c, exact_file.c. */
#ifndef VIGIL_EXACT_INT_H
#define VIGIL_EXACT_INT_H

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "vigil/index.h"
#include "vigil/util.h"

#define VGI_EMPTY 0u
#define VGI_DELETED 0xFFFFFFFFu
#define VGI_EXACT_MAX 0x7FFFFFFFu

typedef struct vgi_exact_slot {
    uint64_t fp;   /* first 8 bytes of the digest */
    uint32_t rec1; /* record number + 1; VGI_EMPTY, VGI_DELETED */
    uint32_t pad;
} vgi_exact_slot;

typedef struct vgi_exact_table {
    size_t len;   /* digest bytes */
    size_t rec;   /* record bytes: digest + id */
    vgi_exact_slot *slots;
    size_t cap;   /* slots, a power of two, or 0 */
    size_t count; /* live entries */
    size_t deleted;
    uint8_t *arena;
    size_t nrec, arena_cap;
} vgi_exact_table;

struct vg_exact_index {
    pthread_rwlock_t lock;
    uint64_t seed;
    size_t expected;
    vgi_exact_table t[VG_DIGEST_KINDS];
};

static inline uint64_t vgi_exact_fp(const uint8_t *digest)
{
    uint64_t fp;
    memcpy(&fp, digest, 8);
    return fp;
}

static inline size_t vgi_exact_home(const vg_exact_index *x, const vgi_exact_table *t,
                                    uint64_t fp)
{
    uint64_t h = (fp ^ x->seed) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 32;
    return (size_t)(h * 0xD6E8FEB86659FD93ull >> 32) & (t->cap - 1);
}

/* Ensures room for `need` live entries at load <= 0.7 (rehashes when not). */
vg_status vgi_exact_grow(vg_exact_index *x, vgi_exact_table *t, size_t need, vg_error *err);
/* Room for at least `records` arena records. */
vg_status vgi_exact_arena_grow(vgi_exact_table *t, size_t records, vg_error *err);
void vgi_exact_place(const vg_exact_index *x, vgi_exact_table *t, uint64_t fp, uint32_t rec);
void vgi_exact_table_free(vgi_exact_table *t);

#endif
