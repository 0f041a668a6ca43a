/* scan.h - the triage pipeline: evidence -> items -> hashes -> matches -> case.
 *
 * vg_scan_run walks one evidence path (lib/evidence), hashes every item on a
 * pool of worker threads (vg_hash_buffer: digests, type, PDQ), asks the
 * caller's matcher about it, and records it in the case (lib/store). Memory is
 * bounded whatever the evidence size: items wait in a queue bounded in count
 * and bytes; an item over the in-memory limit is digested in a streaming pass
 * and not decoded.
 *
 * Resume: items are keyed by their ordinal in the deterministic walk. Running
 * vg_scan_run again on evidence the case already holds skips every item
 * recorded and records the rest, so a scan killed at any moment (kill -9)
 * ends, once resumed, with exactly the items of an uninterrupted run.
 */
#ifndef VIGIL_SCAN_H
#define VIGIL_SCAN_H

#include <stdint.h>

#include "vigil/evidence.h"
#include "vigil/hashfile.h"
#include "vigil/status.h"
#include "vigil/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vg_scan_progress {
    uint64_t items;        /* recorded in this run */
    uint64_t skipped;      /* already in the case (resume) */
    uint64_t bytes;        /* item bytes hashed in this run */
    uint64_t errors;
    double seconds;        /* since the run started */
} vg_scan_progress;

/* Matches one item's hashes. Fills *out with n matches (malloc'd array and
 * strings, freed by the pipeline with free_matches). Called from worker
 * threads, concurrently: it must be thread-safe. Return nonzero on failure. */
typedef int (*vg_scan_match_fn)(void *ctx, const vg_file_hashes *h, vg_match_rec **out,
                                size_t *n);
typedef void (*vg_scan_free_fn)(void *ctx, vg_match_rec *m, size_t n);

typedef struct vg_scan_opts {
    int threads;                /* workers; 0 = one per core */
    vg_limits limits;           /* per item: pixels, bytes in memory, seconds */
    vg_evidence_opts evidence;  /* archives, disk images, carving, bomb limits */
    int pdq_fast;               /* fast PDQ mode */
    int steg;                   /* steganalysis of every picture; default 1 */
    int thumbnails;             /* store a preview of every picture; default 1 */
    size_t queue_bytes;         /* bytes of items waiting for a worker; default 256 MiB */
    vg_scan_match_fn match;     /* NULL: no matching */
    vg_scan_free_fn free_matches;
    void *match_ctx;
    void (*progress)(const vg_scan_progress *p, void *ctx); /* about twice a second */
    void *progress_ctx;
    const char *options_json;   /* recorded with the evidence, for a resume */
} vg_scan_opts;

/* Defaults: threads 0, vg_limits_default, vg_evidence_opts_default, exact PDQ. */
void vg_scan_opts_default(vg_scan_opts *o);

/* Scans (or resumes) path into store. p (may be NULL) receives the final
 * counts. Returns VG_OK when the walk finished, even if items had errors
 * (they are recorded); an error when the evidence cannot be examined at all or
 * the case cannot be written. */
vg_status vg_scan_run(vg_store *store, const char *path, const vg_scan_opts *o,
                      vg_scan_progress *p, vg_error *err);

/* Groups the case's near-duplicates: items whose PDQ hashes (quality at
 * least min_quality) lie within radius of each other, transitively. Each
 * cluster of two or more is represented by its first item in walk order;
 * the result replaces the case's previous clusters. *clusters (may be NULL)
 * gets their number. */
vg_status vg_scan_cluster(vg_store *store, int radius, int min_quality, uint64_t *clusters,
                          vg_error *err);

/* Whether name's extension claims a type other than the content's ("a.jpg"
 * holding a PNG; "a.txt" holding a JPEG). Names without a known extension
 * only mismatch when the content is an image. */
int vg_ext_mismatch(const char *name, vg_image_type content);

#ifdef __cplusplus
}
#endif
#endif
