/* index.h - lookup of known hashes: exact digests and PDQ within a Hamming radius.
 *
 * Entries are identified by a uint64_t id chosen by the caller (the hash
 * library maps ids to set, category and labels); the index never interprets
 * them. One digest or PDQ hash may carry several ids, and one id may be added
 * with several hashes.
 *
 * Two structures:
 *
 *  - vg_exact_index: MD5 / SHA-1 / SHA-256 -> ids. Open addressing with the
 *    digest and id inline in each slot, so a lookup, hit or miss, touches one
 *    short run of slots. Lookups are exact (full digest compared).
 *
 *  - vg_pdq_index: every stored PDQ hash within Hamming distance r (0..256,
 *    default 31) of a query, EXACT (the same answer as a brute-force scan).
 *    Multi-index hashing (Norouzi, Punjani, Fleet) over one 16-bit and ten
 *    24-bit slots (16-bit bucket directories, 8-bit tags in the postings)
 *    for r <= VG_PDQ_MIH_MAX_RADIUS, a brute-force popcount scan (AVX-512
 *    VPOPCNTDQ / AVX2 / popcnt / plain, chosen at run time, VIGIL_SIMD=
 *    plain|popcnt|avx2|avx512 forces one) beyond that or when it is cheaper.
 *    New hashes go to a small delta segment scanned by brute force and merged
 *    into the main structure when it grows past a threshold; removal by id
 *    marks tombstones. docs/index.md has the design and its limits.
 *
 * Thread safety: both index types carry a read-write lock. Any number of
 * threads may query one index at the same time; add and remove take the lock
 * exclusively for a moment. A PDQ compaction (explicit, by save, or when an
 * add overflows the delta) builds the new main segment without the lock, so
 * queries, adds and removals go on meanwhile; it takes the lock only to copy
 * the live hashes and to swap the result in. One compaction runs at a time.
 * Results go to caller-owned buffers, so queries share no scratch memory.
 */
#ifndef VIGIL_INDEX_H
#define VIGIL_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/pdq.h"
#include "vigil/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- exact */

typedef enum vg_digest_kind {
    VG_DIGEST_MD5 = 0,    /* 16 bytes */
    VG_DIGEST_SHA1 = 1,   /* 20 bytes */
    VG_DIGEST_SHA256 = 2, /* 32 bytes */
    VG_DIGEST_KINDS       /* 3 */
} vg_digest_kind;

/* Bytes of a digest of kind k (16, 20, 32); 0 for an unknown kind. */
size_t vg_digest_kind_len(vg_digest_kind k);

typedef struct vg_exact_index vg_exact_index;

/* An empty index. expected (entries over all kinds, 0 if unknown) presizes the
 * tables so a bulk load does not rehash. NULL when out of memory. */
vg_exact_index *vg_exact_index_new(size_t expected, vg_error *err);

/* Frees x (NULL is fine). */
void vg_exact_index_free(vg_exact_index *x);

/* Ids above this are reserved (they mark empty and deleted slots). */
#define VG_EXACT_MAX_ID (UINT64_MAX - 2)

/* Adds (digest, id). Adding the same pair twice stores it once. VG_ERR_ARG for
 * an unknown kind or an id above VG_EXACT_MAX_ID; VG_ERR_NOMEM. */
vg_status vg_exact_index_add(vg_exact_index *x, vg_digest_kind kind, const uint8_t *digest,
                             uint64_t id, vg_error *err);

/* Removes every entry with this id (all kinds); *removed (may be NULL) gets how many. */
vg_status vg_exact_index_remove(vg_exact_index *x, uint64_t id, size_t *removed,
                                vg_error *err);

/* The ids carrying digest: writes up to max of them into ids (ids may be NULL
 * when max is 0) and returns how many there are in all (0: not known). */
size_t vg_exact_index_find(const vg_exact_index *x, vg_digest_kind kind, const uint8_t *digest,
                           uint64_t *ids, size_t max);

/* Batch lookup of n digests stored back to back (n * vg_digest_kind_len(kind)
 * bytes): counts[i] = number of ids carrying digest i, first_ids[i] (may be
 * NULL) = one of them (undefined when counts[i] is 0). Faster than n calls
 * of vg_exact_index_find because it overlaps the memory accesses. */
void vg_exact_index_find_batch(const vg_exact_index *x, vg_digest_kind kind,
                               const uint8_t *digests, size_t n, uint32_t *counts,
                               uint64_t *first_ids);

/* Number of (digest, id) entries of kind. */
size_t vg_exact_index_count(const vg_exact_index *x, vg_digest_kind kind);

/* Bytes of memory the index holds. */
size_t vg_exact_index_memory(const vg_exact_index *x);

/* Writes x to path (replaced atomically through a temporary file). */
vg_status vg_exact_index_save(vg_exact_index *x, const char *path, vg_error *err);

enum { VG_INDEX_LOAD_NOVERIFY = 1 }; /* skip the checksum (structure still checked) */

/* Reads an index written by vg_exact_index_save into memory. VG_ERR_OPEN,
 * VG_ERR_FORMAT (not an index file or another version), VG_ERR_TRUNCATED,
 * VG_ERR_CORRUPT (checksum or structure), VG_ERR_NOMEM. *out is NULL on error. */
vg_status vg_exact_index_load(const char *path, unsigned flags, vg_exact_index **out,
                              vg_error *err);

/* Same from a buffer, which is copied (the fuzz harness uses it). */
vg_status vg_exact_index_load_buffer(const void *buf, size_t len, unsigned flags,
                                     vg_exact_index **out, vg_error *err);

/* ---------------------------------------------------------------- PDQ */

#define VG_PDQ_DEFAULT_RADIUS 31
#define VG_PDQ_DEFAULT_MIN_QUALITY 50
/* Largest radius searched with multi-index hashing; larger radii scan. */
#define VG_PDQ_MIH_MAX_RADIUS 64
#define VG_PDQ_MAX_RADIUS 256

typedef struct vg_pdq_index vg_pdq_index;

/* How a query searches. AUTO picks MIH or the scan by estimated cost. */
typedef enum vg_pdq_method {
    VG_PDQ_AUTO = 0,
    VG_PDQ_MIH = 1,  /* multi-index hashing (radius <= VG_PDQ_MIH_MAX_RADIUS) */
    VG_PDQ_SCAN = 2  /* brute force over every hash */
} vg_pdq_method;

typedef struct vg_pdq_query_opts {
    int radius;      /* 0..VG_PDQ_MAX_RADIUS; match when distance <= radius */
    int min_quality; /* queries with quality below this return no match */
    vg_pdq_method method;
} vg_pdq_query_opts;

/* radius 31, min_quality 50, method AUTO. */
void vg_pdq_query_opts_init(vg_pdq_query_opts *o);

/* One match: per id the smallest distance over the query hashes, and the
 * index (0..nq-1, i.e. the vg_pdq_variant for a dihedral query) of the first
 * query hash that reached it. */
typedef struct vg_pdq_match {
    uint64_t id;
    uint16_t distance;
    uint16_t variant;
} vg_pdq_match;

/* A growable result list owned by the caller; reuse it across queries to
 * avoid allocations. Start from {0}; vg_pdq_results_free releases it. */
typedef struct vg_pdq_results {
    vg_pdq_match *v;
    size_t n, cap;
    int skipped; /* set when the query's quality was below min_quality */
} vg_pdq_results;

void vg_pdq_results_free(vg_pdq_results *r);

/* An empty index. NULL when out of memory. */
vg_pdq_index *vg_pdq_index_new(vg_error *err);

/* Frees p (NULL is fine); unmaps a loaded file. */
void vg_pdq_index_free(vg_pdq_index *p);

/* Adds one hash. It goes into the delta segment; when that holds more than
 * the delta limit this call compacts the index (O(total) time, during which
 * other threads keep querying and updating), unless a compaction is already
 * running elsewhere. */
vg_status vg_pdq_index_add(vg_pdq_index *p, const vg_pdq *h, uint64_t id, vg_error *err);

/* Adds n hashes (ids[i] for hs[i]) and compacts once at the end if the delta
 * segment is over its limit: the way to bulk-load. VG_ERR_LIMIT past 2^32-2
 * hashes in all. */
vg_status vg_pdq_index_add_many(vg_pdq_index *p, const vg_pdq *hs, const uint64_t *ids,
                                size_t n, vg_error *err);

/* Removes every hash carrying id; *removed (may be NULL) gets how many. The
 * main segment only marks them (tombstones) until the next compaction. */
vg_status vg_pdq_index_remove(vg_pdq_index *p, uint64_t id, size_t *removed, vg_error *err);

/* Merges the delta segment into the main structure and drops tombstones.
 * Waits for a compaction running in another thread, then runs its own. */
vg_status vg_pdq_index_compact(vg_pdq_index *p, vg_error *err);

/* Delta size (hashes) past which an add compacts; default 65536. */
void vg_pdq_index_set_delta_limit(vg_pdq_index *p, size_t limit);

/* Live hashes (added, not removed). */
size_t vg_pdq_index_count(const vg_pdq_index *p);

/* Bytes of memory (heap or mapped file) the index holds. */
size_t vg_pdq_index_memory(const vg_pdq_index *p);

/* Every stored hash within o->radius of any of the nq query hashes (1 for a
 * plain query, VG_PDQ_VARIANTS for the 8 dihedral variants of one image),
 * appended to r (r->n is reset first) as one match per id, sorted by id.
 * quality is the query's PDQ quality: below o->min_quality nothing is
 * searched and r->skipped is set. o may be NULL for the defaults.
 * VG_ERR_ARG for a bad radius, nq or method; VG_ERR_NOMEM. */
vg_status vg_pdq_index_query(const vg_pdq_index *p, const vg_pdq *q, size_t nq, int quality,
                             const vg_pdq_query_opts *o, vg_pdq_results *r, vg_error *err);

/* Writes p (compacted first) to path, replacing it atomically. Queries go on
 * while it writes; adds wait. */
vg_status vg_pdq_index_save(vg_pdq_index *p, const char *path, vg_error *err);

/* Maps an index written by vg_pdq_index_save (read-only mapping; later adds
 * go to the delta and a compaction moves everything to the heap). Errors as
 * for vg_exact_index_load. *out is NULL on error. */
vg_status vg_pdq_index_load(const char *path, unsigned flags, vg_pdq_index **out,
                            vg_error *err);

/* Same from a buffer (the fuzz harness uses it); buf must stay valid and
 * unchanged while the index lives, and be 8-byte aligned. */
vg_status vg_pdq_index_load_buffer(const void *buf, size_t len, unsigned flags,
                                   vg_pdq_index **out, vg_error *err);

/* ---------------------------------------------------------------- scan */

/* Brute-force kernels, exposed for tests and benchmarks. */
typedef enum vg_simd {
    VG_SIMD_AUTO = 0, /* the best this CPU supports, or $VIGIL_SIMD */
    VG_SIMD_PLAIN,    /* portable C */
    VG_SIMD_POPCNT,   /* x86 popcnt instruction */
    VG_SIMD_AVX2,     /* AVX2 nibble-table popcount */
    VG_SIMD_AVX512    /* AVX-512 VPOPCNTDQ */
} vg_simd;

/* "auto", "plain", "popcnt", "avx2", "avx512". */
const char *vg_simd_name(vg_simd s);

/* Whether this CPU (and build) can run s. */
int vg_simd_available(vg_simd s);

/* The kernel AUTO resolves to (honours VIGIL_SIMD when available). */
vg_simd vg_simd_best(void);

/* Scans n hashes for those within radius of q; calls fn(i, distance, ctx)
 * for each, in order of i. Returns the number found. VG_SIMD_AUTO picks. An
 * unavailable kernel falls back to plain. */
size_t vg_pdq_scan(vg_simd s, const vg_pdq *hs, size_t n, const vg_pdq *q, int radius,
                   void (*fn)(size_t i, int distance, void *ctx), void *ctx);

#ifdef __cplusplus
}
#endif
#endif
