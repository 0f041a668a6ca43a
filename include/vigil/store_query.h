/* store_query.h - listing a case's items for review: sections, filters,
 * paging, counts, cluster members, provenance chains.
 *
 * Sections (every listed item is a file; directories are never listed):
 *   new     an image (file_type not "unknown", width > 0, status "ok") that
 *           matched no set and is in no near-duplicate cluster
 *   cluster an image in a near-duplicate cluster
 *   known   an image that matched a set, in no cluster
 *   other   everything else: non-images and items with errors
 * The grid lists new, then cluster representatives, then known; "other"
 * only when asked for. Within a section: new and other by (evidence, seq),
 * clusters by number (representative first), known by the category of the
 * item's best match in the order of the review scheme, then (evidence, seq).
 *
 * Every string a filter takes is bounded; vg_item_filter_set refuses what
 * does not parse, so a browser's query string cannot reach SQL unchecked
 * (and all values are bound, never spliced).
 */
#ifndef VIGIL_STORE_QUERY_H
#define VIGIL_STORE_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/status.h"
#include "vigil/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vg_section {
    VG_SEC_NEW = 0,
    VG_SEC_CLUSTER = 1,
    VG_SEC_KNOWN = 2,
    VG_SEC_OTHER = 3,
    VG_SEC_GRID = 4, /* filter only: new, cluster, known (and other with errors or q) */
    VG_SEC_ALL = 5   /* filter only: every section, clusters by representative */
} vg_section;

/* "new", "cluster", "known", "other" (and "grid", "all"). */
const char *vg_section_name(int section);

#define VG_FILTER_TEXT_MAX 256 /* bytes of q, set and category values */
#define VG_FILTER_LIMIT_MAX 1000
#define VG_FILTER_LIMIT_DEFAULT 200
#define VG_FILTER_OFFSET_MAX 1000000000000ULL

enum { VG_FLAG_DELETED = 1, VG_FLAG_CARVED = 2 };

typedef struct vg_item_filter {
    int section;            /* vg_section; default VG_SEC_GRID */
    uint64_t cluster;       /* > 0: the members of this cluster (section ignored) */
    int64_t id;             /* > 0: only this item (section ignored; not settable
                             * through vg_item_filter_set) */
    char set[VG_FILTER_TEXT_MAX + 1];            /* "" any: a match in this set */
    char match_category[VG_FILTER_TEXT_MAX + 1]; /* "" any: a match of this category */
    char category[VG_FILTER_TEXT_MAX + 1];       /* "" any, "none", or the examiner's code */
    char steg[16];          /* "" any, "clean", "suspicious", "payload" */
    int flag;               /* 0 any, VG_FLAG_DELETED or VG_FLAG_CARVED */
    char type[33];          /* "" any, or a file_type */
    int errors;             /* 1: status is not "ok" */
    char q[VG_FILTER_TEXT_MAX + 1]; /* "" any: case-insensitive substring of the path */
    uint64_t offset;        /* 0..VG_FILTER_OFFSET_MAX */
    unsigned limit;         /* 1..VG_FILTER_LIMIT_MAX, default VG_FILTER_LIMIT_DEFAULT */
} vg_item_filter;

void vg_item_filter_init(vg_item_filter *f);

/* Applies one query parameter (key, value as decoded from the URL; value may
 * be NULL for "key" without "="). VG_ERR_ARG naming the key for an unknown
 * key, a value that does not parse (non-integers, negative or huge numbers,
 * an unknown section), or a value longer than its field; f keeps its old
 * value then. */
vg_status vg_item_filter_set(vg_item_filter *f, const char *key, const char *value,
                             vg_error *err);

/* One listed item; strings valid during the callback only, NULL when unknown. */
typedef struct vg_list_item {
    int64_t id, evidence_id;
    uint64_t seq;
    uint32_t sub;
    int section;            /* VG_SEC_NEW..VG_SEC_OTHER */
    const char *path, *name, *file_type, *status, *flags, *steg;
    uint32_t width, height;
    uint64_t size;
    uint64_t cluster, cluster_size; /* 0, 0 when in no cluster */
    int rep;                /* it represents its cluster */
    const char *category;   /* the examiner's code, NULL when not categorised */
    const vg_match_rec *match; /* its best match (by scheme order, exact before
                                * PDQ, then distance), NULL when none */
    int has_thumb;
} vg_list_item;

/* The order of categories for the known section: codes of the review scheme,
 * first first. Codes not in it sort after, "none" among them. */
typedef struct vg_scheme_order {
    const char *const *codes;
    size_t n; /* at most 64 are used */
} vg_scheme_order;

/* Lists the items f selects, from f->offset, at most f->limit, calling fn
 * for each (fn returns nonzero to stop); *total (optional) gets how many f
 * selects in all. order may be NULL. */
vg_status vg_store_query_items(vg_store *s, const vg_item_filter *f, const vg_scheme_order *order,
                               int (*fn)(const vg_list_item *it, void *ctx), void *ctx,
                               uint64_t *total, vg_error *err);

typedef struct vg_review_counts {
    uint64_t new_items, clusters, known, other, errors, categorised, items;
} vg_review_counts;

/* Section sizes: clusters counts clusters (not their members); errors counts
 * files whose status is not "ok"; categorised files with the examiner's
 * category; items every file. */
vg_status vg_store_review_counts(vg_store *s, vg_review_counts *c, vg_error *err);

/* Calls fn with every distinct value, sorted: what = "sets" (set names of
 * matches) or "types" (file types of files). VG_ERR_ARG for another what. */
vg_status vg_store_distinct(vg_store *s, const char *what, void (*fn)(const char *v, void *ctx),
                            void *ctx, vg_error *err);

/* The ids and paths of cluster's members, representative first, then
 * (evidence, seq); at most max of them (fn returns nonzero to stop). *total
 * (optional) gets the cluster's size. */
vg_status vg_store_cluster_members(vg_store *s, uint64_t cluster, size_t max,
                                   int (*fn)(int64_t id, const char *path, void *ctx), void *ctx,
                                   uint64_t *total, vg_error *err);

/* The ids of every member of cluster: *ids malloc'd (caller frees); *n is 0
 * when there is no such cluster. */
vg_status vg_store_cluster_ids(vg_store *s, uint64_t cluster, int64_t **ids, size_t *n,
                               vg_error *err);

/* The provenance of item id, outermost container first, the item itself last
 * (at most 64 links): fn(name, seq, ctx). VG_ERR_NOTFOUND when there is no
 * such item. */
vg_status vg_store_item_chain(vg_store *s, int64_t id,
                              void (*fn)(const char *name, uint64_t seq, void *ctx), void *ctx,
                              vg_error *err);

#ifdef __cplusplus
}
#endif
#endif
