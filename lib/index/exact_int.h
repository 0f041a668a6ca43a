/* exact_int.h - the exact-digest index's tables, shared by exact.c, exact_grow.c, exact_file.c. */
#ifndef VIGIL_EXACT_INT_H
#define VIGIL_EXACT_INT_H

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "vigil/index.h"
#include "vigil/util.h"

/* A slot is a tag (id + 1; 0 empty, all ones deleted) then the digest,
 * padded to 8 bytes: 24 bytes for MD5, 32 for SHA-1, 40 for SHA-256.
 * Beside the slots, one control byte per slot: 0 empty, 1 deleted, else 2..255
 * from the digest's hash. A lookup walks the control bytes of its run (64 to a
 * cache line) and reads only the slots whose byte matches: one cache line for
 * a miss, two for a hit. The control bytes are derived from the slots (also
 * when a file is loaded), never saved. */
#define VGI_TAG_EMPTY 0u
#define VGI_TAG_DELETED UINT64_MAX
#define VGI_CTRL_EMPTY 0u
#define VGI_CTRL_DELETED 1u

typedef struct vgi_exact_table {
    size_t len;    /* digest bytes */
    size_t stride; /* slot bytes */
    uint8_t *slots; /* in a loaded file's read-only mapping while `mapped` */
    uint8_t *ctrl;  /* cap control bytes */
    int mapped;
    size_t cap;    /* slots, a power of two, or 0 */
    size_t count;  /* live entries */
    size_t deleted;
} vgi_exact_table;

struct vg_exact_index {
    pthread_rwlock_t lock;
    uint64_t seed;
    size_t expected;
    vgi_exact_table t[VG_DIGEST_KINDS];
    void *map; /* the file, when loaded by vg_exact_index_load */
    size_t maplen;
};

static inline uint64_t vgi_exact_fp(const uint8_t *digest)
{
    uint64_t fp;
    memcpy(&fp, digest, 8);
    return fp;
}

static inline uint64_t vgi_exact_tag(const vgi_exact_table *t, size_t i)
{
    uint64_t tag;
    memcpy(&tag, t->slots + i * t->stride, 8);
    return tag;
}

static inline uint64_t vgi_exact_hash(const vg_exact_index *x, uint64_t fp)
{
    uint64_t h = (fp ^ x->seed) * 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 29);
}

static inline size_t vgi_exact_home(const vgi_exact_table *t, uint64_t h)
{
    return (size_t)h & (t->cap - 1);
}

/* The control byte of a live slot: the hash's top byte, moved off 0 and 1. */
static inline uint8_t vgi_exact_ctrl(uint64_t h)
{
    unsigned c = (unsigned)(h >> 56);
    return (uint8_t)(c < 2 ? c + 2 : c);
}

/* Load (live + deleted slots) stays at or under 0.7 so probe runs stay short
 * and always end at an empty slot. */
static inline int vgi_exact_fits(size_t cap, size_t used)
{
    return used <= cap / 10 * 7;
}

/* Ensures room for `need` live entries (rehashes when not, dropping deleted slots). */
vg_status vgi_exact_grow(vg_exact_index *x, vgi_exact_table *t, size_t need, vg_error *err);
void vgi_exact_table_init(vgi_exact_table *t, vg_digest_kind k);
void vgi_exact_table_free(vgi_exact_table *t);
/* Control bytes from the slots (a loaded file), counting live and deleted
 * slots; 0, or -1 when out of memory. */
int vgi_exact_fill_ctrl(const vg_exact_index *x, vgi_exact_table *t, size_t *live,
                        size_t *deleted);
/* Before a change: a table still in a file mapping gets a heap copy. */
vg_status vgi_exact_own(vgi_exact_table *t, vg_error *err);

#endif
