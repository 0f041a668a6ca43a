/* store.h - the case database: one SQLite file per case.
 *
 * A case holds the evidence it was scanned from, one record per item found
 * (provenance, digests, type, PDQ, matches, errors) and an audit log whose
 * entries are hash-chained: each entry's SHA-256 covers the previous entry's
 * hash, so removing or editing a line breaks the chain (vg_store_audit_verify).
 *
 * Durability: WAL journal; items are written in transactions (vg_store_begin /
 * vg_store_commit). A process killed at any moment leaves the case with
 * exactly the transactions it committed; each item is keyed by (evidence,
 * seq), seq being its ordinal in the deterministic evidence walk, so a resumed
 * scan skips what is there and adds what is not: nothing lost, nothing twice
 * (the key is UNIQUE, so a bug that repeats an item fails loudly).
 *
 * One vg_store handle is used by one thread at a time.
 */
#ifndef VIGIL_STORE_H
#define VIGIL_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/digest.h"
#include "vigil/pdq.h"
#include "vigil/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VG_STORE_SCHEMA_VERSION 2

typedef struct vg_store vg_store;

/* Opens (create: creates, and migrates an older schema) the case at path.
 * VG_ERR_OPEN when it cannot be opened, VG_ERR_NOTFOUND when it does not exist
 * and create is 0, VG_ERR_FORMAT when it is not a vigil case or is from a
 * newer vigil. */
vg_status vg_store_open(const char *path, int create, vg_store **out, vg_error *err);
void vg_store_close(vg_store *s);

vg_status vg_store_begin(vg_store *s, vg_error *err);
vg_status vg_store_commit(vg_store *s, vg_error *err);
vg_status vg_store_rollback(vg_store *s, vg_error *err);

/* ---- audit log ---------------------------------------------------------- */

/* Appends an audit entry: UTC time, vigil version, action ("scan", "resume",
 * "categorise"...), and detail (JSON text: command line, evidence identity). */
vg_status vg_store_audit(vg_store *s, const char *action, const char *detail, vg_error *err);

/* Recomputes the chain. VG_OK with *entries set, or VG_ERR_CORRUPT naming the
 * first entry whose hash does not follow. */
vg_status vg_store_audit_verify(vg_store *s, uint64_t *entries, vg_error *err);

/* One audit entry as stored; strings valid during the callback only. */
typedef struct vg_audit_rec {
    int64_t id;
    const char *time, *version, *action, *detail, *hash;
} vg_audit_rec;

/* Calls fn for every audit entry in order (oldest first); fn returns nonzero
 * to stop. Lists what is stored: vg_store_audit_verify says whether it holds. */
vg_status vg_store_audit_foreach(vg_store *s, int (*fn)(const vg_audit_rec *e, void *ctx),
                                 void *ctx, vg_error *err);

/* ---- evidence ----------------------------------------------------------- */

typedef struct vg_evidence_rec {
    int64_t id;
    char path[4096];     /* as given on the command line */
    char options[1024];  /* the scan options, JSON, so a resume repeats them */
    char state[16];      /* "scanning" or "done" */
    uint64_t items;      /* items recorded so far */
} vg_evidence_rec;

/* Adds evidence (or finds it by path: *created says which) and fills *rec. */
vg_status vg_store_evidence_add(vg_store *s, const char *path, const char *options,
                                vg_evidence_rec *rec, int *created, vg_error *err);

/* The case's evidence in the order added: *recs is malloc'd, caller frees. */
vg_status vg_store_evidence_list(vg_store *s, vg_evidence_rec **recs, size_t *n,
                                 vg_error *err);

vg_status vg_store_evidence_set_state(vg_store *s, int64_t id, const char *state,
                                      vg_error *err);

/* ---- items --------------------------------------------------------------- */

typedef struct vg_match_rec {
    const char *set;       /* hash set name */
    const char *kind;      /* "md5", "sha1", "sha256", "pdq" */
    int distance;          /* 0 for exact kinds */
    const char *category;  /* scheme code, "none" when uncategorised */
    const char *category_label;
    const char *labels;    /* labels joined by ", ", or NULL */
} vg_match_rec;

/* One item as recorded. Strings may be NULL. */
typedef struct vg_item_rec {
    int64_t evidence_id;
    uint64_t seq;          /* ordinal in the walk, from 1 */
    uint32_t sub;          /* 0 for a walked item; 1, 2... for what analysis
                            * found inside it (a steganographic payload),
                            * recorded in the same transaction as seq's item */
    uint64_t parent_seq;   /* container's seq, 0 at the top */
    const char *path;      /* printable provenance chain */
    const char *name;      /* path inside the parent */
    const char *source;    /* "file", "archive", "disk", "carved" */
    const char *item_type; /* "file", "dir", "symlink", "special" */
    const char *flags;     /* "deleted|carved", "" */
    unsigned depth;
    uint64_t size;
    int64_t offset;        /* -1 unknown */
    uint64_t meta_addr;
    int64_t mtime, atime, ctime, crtime; /* INT64_MIN unknown */
    int have_digests;
    vg_digests digests;
    const char *file_type; /* "jpeg"..., "unknown" */
    int ext_mismatch;      /* the name's extension says another type */
    uint32_t width, height;
    int have_pdq;
    vg_pdq pdq;
    int pdq_quality;
    const char *status;    /* vg_status_name of the first error, "ok" */
    const char *error;     /* its message, or NULL */
    const vg_match_rec *matches;
    size_t n_matches;
    const char *exif_make, *exif_model; /* EXIF, NULL when absent */
    const char *exif_datetime;           /* "YYYY:MM:DD HH:MM:SS" as stored */
    int has_gps;
    double gps_lat, gps_lon;             /* degrees, south and west negative */
    int thumb_distance;    /* PDQ distance from the EXIF thumbnail to the
                            * picture; -1 when there is no usable thumbnail.
                            * Over 31: the picture was edited or replaced and
                            * the thumbnail may show the original */
    const char *steg_verdict; /* "clean", "suspicious", "payload"; NULL unchecked */
    const char *steg_reason;  /* the finding or detector and score behind it */
    const char *steg_scores;  /* JSON object of detector scores, NULL none */
    uint64_t cluster;      /* reading back: number of its near-duplicate
                            * cluster (1, 2... in walk order), 0 when in none */
    int cluster_rep;       /* reading back: it represents its cluster */
    int64_t id;            /* reading back: the item's id in the case */
    const uint8_t *thumb;  /* writing: its preview, a small colour JPEG
                            * (vg_thumb_make), or NULL; stored with the item */
    size_t thumb_len;
    int has_thumb;         /* reading back: a preview is stored */
    const char *review_category; /* reading back: the examiner's category
                                  * code, NULL when not categorised */
    const char *review_scheme, *review_by, *review_time; /* its scheme, who,
                                  * when (UTC, ISO 8601) */
} vg_item_rec;

/* Records one item (and its matches). VG_ERR_EXISTS if (evidence, seq, sub)
 * is already there. Call between vg_store_begin and vg_store_commit. */
vg_status vg_store_item_put(vg_store *s, const vg_item_rec *r, vg_error *err);

/* The seqs of walked items (sub 0) already recorded for evidence id, sorted ascending (malloc'd,
 * caller frees): what a resumed scan skips. */
vg_status vg_store_item_seqs(vg_store *s, int64_t evidence_id, uint64_t **seqs, size_t *n,
                             vg_error *err);

/* ---- reading back -------------------------------------------------------- */

/* Calls fn once with the item whose id is id (matches and review included).
 * VG_ERR_NOTFOUND when there is none. */
vg_status vg_store_item_get(vg_store *s, int64_t id, int (*fn)(const vg_item_rec *r, void *ctx),
                            void *ctx, vg_error *err);

/* The stored preview of item id: *jpeg malloc'd (caller frees). VG_ERR_NOTFOUND
 * when the item has none. */
vg_status vg_store_thumb_get(vg_store *s, int64_t item_id, uint8_t **jpeg, size_t *len,
                             vg_error *err);

/* ---- review ---------------------------------------------------------------- */

/* Sets the examiner's category of the n items ids (category NULL clears it),
 * as a code of the scheme named scheme, and appends one audit entry
 * "categorise" naming examiner, scheme, category and every item's id and
 * SHA-1: all in one transaction, so a categorisation is recorded with its
 * audit entry or not at all. VG_ERR_NOTFOUND (nothing changed) when an id
 * names no item; VG_ERR_ARG when n is 0 or a string is missing. */
vg_status vg_store_review_set(vg_store *s, const int64_t *ids, size_t n, const char *category,
                              const char *scheme, const char *examiner, vg_error *err);

/* Case settings (e.g. "review_scheme"). get: *value malloc'd, NULL when the key
 * is absent. set: inserts or replaces. */
vg_status vg_store_meta_get(vg_store *s, const char *key, char **value, vg_error *err);
vg_status vg_store_meta_set(vg_store *s, const char *key, const char *value, vg_error *err);

/* ---- near-duplicate clusters --------------------------------------------- */

/* Every item with a PDQ hash of at least min_quality, in (evidence, seq)
 * order: ids[i], pdqs[i]. Arrays malloc'd, caller frees both. */
vg_status vg_store_pdq_items(vg_store *s, int min_quality, int64_t **ids, vg_pdq **pdqs,
                             size_t *n, vg_error *err);

/* Replaces every item's cluster: cluster[i] is the number of the cluster of
 * item ids[i] (0: in no cluster), rep[i] nonzero for its representative. One
 * transaction. */
vg_status vg_store_set_clusters(vg_store *s, const int64_t *ids, const uint64_t *cluster,
                                const unsigned char *rep, size_t n, vg_error *err);

typedef struct vg_case_summary {
    uint64_t items, files, images, known, new_images, matches;
    uint64_t deleted, carved, errors, duplicates; /* duplicates: items whose
                                                   * SHA-1 an earlier item has */
    uint64_t evidence;
    uint64_t clusters, clustered; /* near-duplicate clusters, items in them */
    uint64_t steg_payload, steg_suspicious; /* steganalysis verdicts */
} vg_case_summary;

vg_status vg_store_summary(vg_store *s, vg_case_summary *sum, vg_error *err);

/* Known items per set and category: calls fn once per (set, category, label,
 * count) row, ordered by set then category. */
vg_status vg_store_known_by_category(vg_store *s,
                                     void (*fn)(const char *set, const char *category,
                                                const char *label, uint64_t count, void *ctx),
                                     void *ctx, vg_error *err);

/* Every item, NEW images first (images matching no set), then known ones,
 * then everything else, each group in (evidence, seq) order. The record and
 * its strings are valid during the call only. fn returns nonzero to stop. */
vg_status vg_store_items_foreach(vg_store *s, int (*fn)(const vg_item_rec *r, void *ctx),
                                 void *ctx, vg_error *err);

#ifdef __cplusplus
}
#endif
#endif
