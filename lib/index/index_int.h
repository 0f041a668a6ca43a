/* index_int.h - lib/index internals shared between its files. */
#ifndef VIGIL_INDEX_INT_H
#define VIGIL_INDEX_INT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vigil/index.h"

#define VGI_SLOTS 16       /* 16-bit substrings of a 256-bit code */
#define VGI_BUCKETS 65536  /* values of one substring */
#define VGI_MAX_HASHES 0xFFFFFFFEu

/* For loops over whole files (checksum, offset checks): coverage tracing of
 * their comparisons would slow the fuzzer 5x and tells it nothing. */
#if defined(__clang__) && __clang_major__ >= 13
#define VGI_NO_COVERAGE __attribute__((no_sanitize("coverage")))
#else
#define VGI_NO_COVERAGE
#endif

/* A code as four native 64-bit words, loaded from the 32 bytes of a vg_pdq. */
static inline void vgi_load(const void *src, uint64_t w[4])
{
    memcpy(w, src, 32);
}

/* Substring k (0..15) of a code. */
static inline unsigned vgi_slot(const uint64_t w[4], int k)
{
    return (unsigned)(w[k >> 2] >> ((k & 3) * 16)) & 0xFFFFu;
}

/* Scan kernels: distance of every code (32 bytes each, any alignment) to q. */
typedef void (*vgi_hit_fn)(size_t i, int distance, void *ctx);
vg_simd vgi_simd_resolve(vg_simd s);
size_t vgi_scan(vg_simd s, const void *codes, size_t n, const uint64_t q[4], int radius,
                vgi_hit_fn fn, void *ctx);

/* The main segment: codes and ids in insertion order, and for each of the 16
 * slots a CSR posting list per substring value. A posting (a position < n)
 * is stored as its low 16 bits in lo[] and its high bits Elias-Fano style in
 * a bit vector hib: bucket v of a slot owns the bit range starting at
 * off[v] + v*(H+1) (H = (n-1) >> 16), and its i-th posting sets bit
 * start + i + (pos >> 16). That costs 2.25 bytes per posting instead of 4. */
typedef struct vgi_mih {
    size_t n;
    size_t hiwords;           /* 64-bit words of hib per slot */
    const uint64_t *codes;    /* n * 4 */
    const uint64_t *ids;      /* n */
    const uint32_t *off;      /* VGI_SLOTS * (VGI_BUCKETS + 1) */
    const uint16_t *lo;       /* VGI_SLOTS * n */
    const uint64_t *hib;      /* VGI_SLOTS * hiwords */
    void *heap[5];            /* the arrays above when built here (else NULL) */
    uint8_t *dead;            /* tombstones, n bits, NULL until a removal */
    size_t ndead;
} vgi_mih;

size_t vgi_mih_hiwords(size_t n);
/* 2 MiB-aligned, huge-page-advised allocation (free with free()); zeroed on request. */
void *vgi_big_alloc(size_t bytes, int zero);
/* Takes ownership of codes and ids (malloc'd), also on error. */
vg_status vgi_mih_build(vgi_mih *m, uint64_t *codes, uint64_t *ids, size_t n,
                        vg_error *err);
void vgi_mih_free(vgi_mih *m);
size_t vgi_mih_memory(const vgi_mih *m);

/* Where matches go during a query. */
typedef struct vgi_sink {
    vg_pdq_results *r;
    uint16_t variant;
    int nomem;
} vgi_sink;

void vgi_sink_emit(vgi_sink *s, uint64_t id, int distance);

/* Candidates MIH would verify for this query (to choose MIH or scan). */
size_t vgi_mih_candidates(const vgi_mih *m, const uint64_t q[4], int radius);
void vgi_mih_query(const vgi_mih *m, const uint64_t q[4], int radius, vgi_sink *s);
void vgi_mih_scan(const vgi_mih *m, const uint64_t q[4], int radius, vgi_sink *s);

static inline int vgi_dead(const vgi_mih *m, size_t i)
{
    return m->dead && (m->dead[i >> 3] >> (i & 7) & 1);
}

/* 64-bit checksum over a sequence of ranges whose lengths are multiples of 8
 * (not cryptographic: it detects damage). */
typedef struct vgi_sum {
    uint64_t h[4];
    uint64_t words;
} vgi_sum;
void vgi_sum_init(vgi_sum *s);
void vgi_sum_update(vgi_sum *s, const void *p, size_t len);
uint64_t vgi_sum_final(const vgi_sum *s);
/* The checksum of len bytes at p, in one call (what a loader verifies). */
uint64_t vgi_sum_of(const void *p, size_t len);

/* Maps path read-only; *map is NULL for an empty file. munmap(*map, *len). */
vg_status vgi_map_file(const char *path, void **map, size_t *len, vg_error *err);

/* Write a file through path.tmp and rename. parts: count pairs of (ptr,len). */
vg_status vgi_write_file(const char *path, const void *const *ptrs, const size_t *lens,
                         size_t count, vg_error *err);

/* Compaction builds the new main segment without holding the read-write
 * lock (queries and updates go on); compact_mu admits one at a time. While
 * it runs, delta[0..snap_dn) is what it took, later adds go after it, and
 * every removal is logged to be applied to the new main when it is swapped in. */
struct vg_pdq_index {
    pthread_rwlock_t lock;
    pthread_mutex_t compact_mu;
    vgi_mih main;
    uint64_t *dcodes; /* delta segment */
    uint64_t *dids;
    size_t dn, dcap;
    size_t delta_limit;
    int compacting;   /* under lock: a compaction has taken its snapshot */
    size_t snap_dn;
    uint64_t *removed; /* ids removed while compacting */
    size_t nremoved, removed_cap;
    void *map; /* mapped file, when loaded */
    size_t maplen;
};

/* Compaction; the caller holds compact_mu and not the rwlock. */
vg_status vgi_pdq_compact_unlocked(vg_pdq_index *p, vg_error *err);

#endif
