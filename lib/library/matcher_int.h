/* matcher_int.h - the matcher's state, shared by its open, build and query files. */
#ifndef VIGIL_MATCHER_INT_H
#define VIGIL_MATCHER_INT_H

#include "library_int.h"
#include "vigil/index.h"

typedef struct mset {
    char name[VG_SET_NAME_MAX + 1];
    int64_t version;
    vg_set_info info;
    vg_exact_index *exact; /* NULL when the set has no MD5/SHA-1/SHA-256 */
    vg_pdq_index *pdq;     /* NULL when the set has no PDQ hash */
} mset;

struct vg_matcher {
    vg_library *lib;
    char *cache_dir;       /* LIBRARY.idx; NULL with VG_MATCHER_NO_CACHE */
    mset *sets;
    size_t n;
    vg_matcher_stats stats;
    sqlite3_stmt *entry_q; /* category, label, labels, name of an entry id */
    vg_pdq_results pr;     /* reused across queries */
    uint64_t *ids;         /* exact lookup results, reused */
    size_t ids_cap;
};

/* Builds s->exact and s->pdq from the database (inside the caller's read
 * transaction). */
vg_status vgi_lib_matcher_build(vg_matcher *m, mset *s, vg_error *err);

#endif
