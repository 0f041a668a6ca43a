/* library.h - the hash library: named hash sets in one SQLite file, and the
 * matcher that looks files up in them.
 *
 * A library is a SQLite database (WAL journal, foreign keys on, a schema
 * version in its meta table). Each named set records where it came from (the
 * source file's path and SHA-256, import time, format, category scheme, VICS
 * version and context) and its entries: hashes as BLOBs, PDQ quality, size,
 * file name, category code and label, free labels, PhotoDNA (opaque), date.
 *
 * Every change to a set bumps its version, taken from a library-wide counter
 * so that a removed and re-imported set never reuses an old version. The
 * matcher caches the indexes it builds for a set in LIBRARY.idx/ (beside the
 * library file, never beside evidence) under that version, and maps them on
 * the next run instead of rebuilding.
 *
 * A vg_library handle is not thread-safe: use one per thread (SQLite's WAL
 * lets several readers and one writer share the file); a matcher is.
 */
#ifndef VIGIL_LIBRARY_H
#define VIGIL_LIBRARY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vigil/hashfile.h"
#include "vigil/hashset.h"
#include "vigil/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VG_LIB_SCHEMA_VERSION 1
#define VG_SET_NAME_MAX 64 /* bytes of a set name: [A-Za-z0-9._-], not starting with '.' or '-' */

typedef struct vg_library vg_library;

/* The default library path: $XDG_DATA_HOME/vigil/library.db, else
 * $HOME/.local/share/vigil/library.db. VG_ERR_ARG when neither variable is
 * set (or buf is too small); the directory is not created here. */
vg_status vg_library_default_path(char *buf, size_t len, vg_error *err);

/* Opens the library at path. With create set, a missing file (and its
 * missing parent directories, mode 0700) is created with the current
 * schema; without it a missing file is VG_ERR_OPEN. VG_ERR_FORMAT for a
 * SQLite file that is not a vigil library or has another schema version;
 * VG_ERR_DB for other SQLite errors.
 * *out is NULL on error; close with vg_library_close. */
vg_status vg_library_open(const char *path, int create, vg_library **out, vg_error *err);

/* Closes lib (NULL is fine). Every matcher opened on it must be freed first. */
void vg_library_close(vg_library *lib);

/* The path lib was opened with. */
const char *vg_library_path(const vg_library *lib);

/* Whether name is a valid set name (1..VG_SET_NAME_MAX bytes of A-Z a-z 0-9 . _ -,
 * not starting with '.' or '-'): names become cache file names. */
int vg_set_name_valid(const char *name);

/* ---- sets ---------------------------------------------------------------- */

typedef struct vg_set_info {
    int64_t id;
    char name[VG_SET_NAME_MAX + 1];
    int64_t version;           /* bumped by every change of the set */
    char source[1024];         /* the imported file's path as given (truncated) */
    char source_sha256[65];    /* hex; "" for a set built by single adds */
    char imported[32];         /* UTC ISO 8601, "2026-11-25T15:50:58Z" */
    char updated[32];          /* last change, same form */
    char format[16];           /* vg_hs_format_name of the source, "" if none */
    char scheme[48];           /* category scheme name */
    char vics_version[8];
    char vics_context[16];
    uint64_t entries;
    uint64_t n_md5, n_sha1, n_sha256, n_pdq, n_photodna; /* entries carrying each */
} vg_set_info;

/* Imports the hash-set file path as a new set called name, in one
 * transaction: a file that fails part-way (bad record, limit, I/O error)
 * adds nothing. fmt may be VG_HS_FMT_AUTO; scheme may be NULL (the reader's
 * default). info and stats (both may be NULL) are filled on success; stats
 * also on failure. Errors: VG_ERR_ARG (bad name), VG_ERR_EXISTS (name taken),
 * any error of vg_hashset_read (its message names file and line), VG_ERR_DB. */
vg_status vg_library_import(vg_library *lib, const char *name, const char *path,
                            vg_hs_format fmt, const vg_hs_scheme *scheme, vg_set_info *info,
                            vg_hs_stats *stats, vg_error *err);

/* Creates an empty set (for sets filled by vg_library_add_entry). scheme_name
 * may be NULL ("custom"). VG_ERR_ARG, VG_ERR_EXISTS, VG_ERR_DB. */
vg_status vg_library_create_set(vg_library *lib, const char *name, const char *scheme_name,
                                vg_error *err);

/* Every set, sorted by name, in a malloc'd array (*out, free() it; NULL when
 * *n is 0). */
vg_status vg_library_list(vg_library *lib, vg_set_info **out, size_t *n, vg_error *err);

/* One set's record. VG_ERR_NOTFOUND ("no set named 'x'") when absent. */
vg_status vg_library_set_info(vg_library *lib, const char *name, vg_set_info *info,
                              vg_error *err);

/* Removes a set and all its entries. VG_ERR_NOTFOUND when absent. */
vg_status vg_library_remove(vg_library *lib, const char *name, vg_error *err);

/* ---- entries ------------------------------------------------------------- */

/* Called per entry; e is borrowed (valid during the call), id is its
 * library-wide id (the index ids). Return 0 to go on; a non-zero value stops
 * the walk and is returned as the status. */
typedef int (*vg_lib_entry_cb)(void *ctx, uint64_t id, const vg_hs_entry *e);

/* Walks the entries of set name in id order, skipping the first offset and
 * stopping after limit (0 = no limit). VG_ERR_NOTFOUND, VG_ERR_DB. */
vg_status vg_library_entries(vg_library *lib, const char *name, uint64_t offset, uint64_t limit,
                             vg_lib_entry_cb cb, void *ctx, vg_error *err);

/* Adds one entry to set name (it must carry a hash or PhotoDNA), bumping the
 * set's version; *id (may be NULL) receives its id. A NULL category is
 * "none". VG_ERR_NOTFOUND, VG_ERR_ARG, VG_ERR_DB. */
vg_status vg_library_add_entry(vg_library *lib, const char *name, const vg_hs_entry *e,
                               uint64_t *id, vg_error *err);

/* Removes entry id from set name, bumping its version. VG_ERR_NOTFOUND when
 * the set does not exist or holds no such entry. */
vg_status vg_library_remove_entry(vg_library *lib, const char *name, uint64_t id,
                                  vg_error *err);

/* Writes set name with a vg_hs_writer (opts->format: vics, plain, md5sum,
 * sha1sum, sha256sum, pdq) to path, or to f when path is NULL. For VICS a
 * NULL opts->scheme means the set's own scheme when it is built in.
 * written/skipped (may be NULL) count entries. VG_ERR_NOTFOUND, the writer's
 * errors (VG_ERR_UNSUPPORTED, VG_ERR_IO, VG_ERR_OPEN). A failed export to
 * path may leave a partial file. */
vg_status vg_library_export(vg_library *lib, const char *name, const vg_hs_write_opts *opts,
                            const char *path, FILE *f, uint64_t *written, uint64_t *skipped,
                            vg_error *err);

/* ---- matching ------------------------------------------------------------ */

/* Thread safety: any number of threads may call vg_matcher_match on one
 * matcher at once, each with its own vg_match_list (the indexes are shared
 * read-only; reads of the library's connection take turns under a mutex),
 * and vg_matcher_add_entry / remove_entry may run beside them. No other
 * thread may use the vg_library handle itself meanwhile. */
typedef struct vg_matcher vg_matcher;

enum {
    VG_MATCHER_NO_CACHE = 1 /* build indexes in memory; neither read nor write LIBRARY.idx */
};

/* What vg_matcher_open did, for callers and tests. */
typedef struct vg_matcher_stats {
    size_t sets;         /* sets opened */
    size_t cache_loaded; /* sets whose indexes were mapped from the cache */
    size_t built;        /* sets whose indexes were built from the database */
    size_t cache_written;/* of those, how many were saved to the cache */
    uint64_t entries;    /* entries over all sets */
} vg_matcher_stats;

/* Opens a matcher over the sets named in sets[0..n_sets-1] (n_sets 0: every
 * set in the library). Indexes are mapped from LIBRARY.idx/ when a file for
 * the set's current version is there, else built from the database and saved
 * there (a cache directory that cannot be written is not an error: the index
 * is then only in memory). Entry ids are the library's entry ids. lib must
 * outlive the matcher. VG_ERR_NOTFOUND for an unknown set name. */
vg_status vg_matcher_open(vg_library *lib, const char *const *sets, size_t n_sets,
                          unsigned flags, vg_matcher **out, vg_error *err);

void vg_matcher_free(vg_matcher *m);

void vg_matcher_get_stats(const vg_matcher *m, vg_matcher_stats *st);

/* Adds e to set name in the library (vg_library_add_entry) and to the
 * matcher's indexes of that set, so that a long-running matcher (the HTTP
 * service) sees it at once without reopening. The set must be one the
 * matcher opened (VG_ERR_NOTFOUND otherwise). On an index error the entry
 * is in the library but not yet in the indexes: reopen the matcher. The
 * cached index files are stale from then on and are rebuilt on the next
 * vg_matcher_open. */
vg_status vg_matcher_add_entry(vg_matcher *m, const char *name, const vg_hs_entry *e,
                               uint64_t *id, vg_error *err);

/* Removes entry id from set name in the library and from the matcher's
 * indexes. VG_ERR_NOTFOUND as for vg_library_remove_entry. */
vg_status vg_matcher_remove_entry(vg_matcher *m, const char *name, uint64_t id,
                                  vg_error *err);

typedef enum vg_match_kind {
    VG_MATCH_MD5 = 0,
    VG_MATCH_SHA1,
    VG_MATCH_SHA256,
    VG_MATCH_PDQ
} vg_match_kind;

/* "md5", "sha1", "sha256", "pdq". */
const char *vg_match_kind_name(vg_match_kind k);

typedef struct vg_match_opts {
    int radius;      /* PDQ: match when distance <= radius (0..256), default 31 */
    int dihedral;    /* PDQ: also query the 7 other dihedral variants (h->pdq[1..7]) */
    int min_quality; /* PDQ: files below this quality are not PDQ-matched, default 50 */
} vg_match_opts;

/* radius VG_PDQ_DEFAULT_RADIUS, no dihedral, min_quality VG_PDQ_DEFAULT_MIN_QUALITY. */
void vg_match_opts_init(vg_match_opts *o);

/* One match. Strings belong to the vg_match_list. */
typedef struct vg_match {
    const char *set;
    vg_match_kind kind;
    int distance;          /* 0 for exact kinds */
    int variant;           /* PDQ: the vg_pdq_variant of the query that matched */
    uint64_t entry;        /* entry id */
    const char *category;  /* code, "none" when absent */
    const char *category_label;
    const char *const *labels;
    size_t n_labels;
    const char *name;      /* entry's file name, NULL when none */
} vg_match;

/* A result list owned by the caller: start from {0}, reuse across calls,
 * release with vg_match_list_free. */
typedef struct vg_match_list {
    vg_match *v;
    size_t n, cap;
    int pdq_skipped;       /* the file's PDQ quality was below min_quality */
    struct vg_ml_arena *arena; /* internal: the strings */
} vg_match_list;

void vg_match_list_free(vg_match_list *l);

/* Writes m as one JSON object: set, kind, distance, variant (PDQ), category,
 * category_label, labels, name (null when none), entry. */
void vg_match_json(FILE *f, const vg_match *m);

/* Looks h up (its md5, sha1, sha256; its PDQ when h->have_pdq, with the
 * dihedral variants h->pdq[1..7] when o->dihedral, which are then expected
 * to have been computed: vg_hash_opts.dihedral) in every set of m. out is reset first
 * and sorted by kind, then set name, then distance, then entry id. o may be
 * NULL for the defaults. VG_ERR_ARG (bad radius), VG_ERR_NOMEM, VG_ERR_DB. */
vg_status vg_matcher_match(vg_matcher *m, const vg_file_hashes *h, const vg_match_opts *o,
                           vg_match_list *out, vg_error *err);

#ifdef __cplusplus
}
#endif
#endif
