/* index_int.h - lib/index internals shared between its files. */
#ifndef VIGIL_INDEX_INT_H
#define VIGIL_INDEX_INT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vigil/index.h"

/* A 256-bit code is cut into 11 disjoint slots: slot 0 is bits 0..15 (the
 * narrow slot), slots 1..10 are 24 bits each, from bit 16 + 24 (k - 1). */
#define VGI_SLOTS 11
#define VGI_WIDE 10        /* the 24-bit slots */
#define VGI_BUCKETS 65536  /* buckets per slot (a wide slot's upper 16 bits) */
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

/* The narrow slot (bits 0..15) of a code. */
static inline unsigned vgi_narrow(const uint64_t w[4])
{
    return (unsigned)w[0] & 0xFFFFu;
}

/* Wide slot k (1..10) of a code: 24 bits from bit 16 + 24 (k - 1). */
static inline unsigned vgi_wide(const uint64_t w[4], int k)
{
    unsigned b = 16u + 24u * (unsigned)(k - 1), i = b >> 6, s = b & 63;
    uint64_t v = w[i] >> s;
    if (s > 40)
        v |= w[i + 1] << (64 - s);
    return (unsigned)v & 0xFFFFFFu;
}

/* Scan kernels: distance of every code (32 bytes each, any alignment) to q. */
typedef void (*vgi_hit_fn)(size_t i, int distance, void *ctx);
vg_simd vgi_simd_resolve(vg_simd s);
size_t vgi_scan(vg_simd s, const void *codes, size_t n, const uint64_t q[4], int radius,
                vgi_hit_fn fn, void *ctx);

/* The main segment. Codes and ids are sorted by the narrow slot, so that
 * slot's bucket v is simply codes[off[v] .. off[v + 1]). Each wide slot has
 * a CSR posting list per bucket, the upper 16 bits of its 24-bit value; a
 * posting carries the lower 8 bits (tag[]) beside the code's position, so a
 * probe filters a bucket's entries by their 8 tag bits before fetching any
 * code. A position (< n) is stored as its low 16 bits in lo[] and its high
 * bits Elias-Fano style in a bit vector hib: bucket v owns the bit range
 * starting at off[v] + v*(H+1) (H = (n-1) >> 16), and its i-th posting sets
 * bit start + i + (pos >> 16). A posting costs 1 + 2 + 1/4 bytes. */
typedef struct vgi_mih {
    size_t n;
    size_t hiwords;           /* 64-bit words of hib per wide slot */
    const uint64_t *codes;    /* n * 4, sorted by the narrow slot */
    const uint64_t *ids;      /* n */
    const uint32_t *off;      /* VGI_SLOTS * (VGI_BUCKETS + 1); slot 0 first */
    const uint8_t *tag;       /* VGI_WIDE * n */
    const uint16_t *lo;       /* VGI_WIDE * n */
    const uint64_t *hib;      /* VGI_WIDE * hiwords */
    void *heap[6];            /* the arrays above when built here (else NULL) */
    uint8_t *dead;            /* tombstones, n bits, NULL until a removal */
    size_t ndead;
} vgi_mih;

size_t vgi_mih_hiwords(size_t n);
/* Bytes of the offsets, tag and lo arrays, each padded to 8 (file sections). */
static inline size_t vgi_pad8(size_t b)
{
    return (b + 7) & ~(size_t)7;
}
#define VGI_OFF_BYTES vgi_pad8(sizeof(uint32_t) * VGI_SLOTS * (VGI_BUCKETS + 1))
#define VGI_TAG_BYTES(n) vgi_pad8((size_t)VGI_WIDE * (n))
#define VGI_LO_BYTES(n) vgi_pad8(sizeof(uint16_t) * VGI_WIDE * (n))
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

/* Whether MIH is expected to beat the scan at this radius on m (cost model). */
int vgi_mih_worth(const vgi_mih *m, int radius);
/* MIH search. With give_up set, it stops and returns 0 once its work passes
 * what a scan of main would cost (crowded buckets): the caller then drops
 * what it emitted and scans. Returns 1 when it searched everything. */
int vgi_mih_query(const vgi_mih *m, const uint64_t q[4], int radius, int give_up, vgi_sink *s);
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
