/* matcher_int.h - the matcher's state, shared by its open, build and query files. */
#ifndef VIGIL_MATCHER_INT_H
#define VIGIL_MATCHER_INT_H

#include <pthread.h>

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
    pthread_mutex_t mu;    /* serialises use of the library's connection */
    pthread_rwlock_t rw;   /* queries read; live adds/removes (which may
                            * create a set's first index) write */
};

/* The per-list part of a query: the strings of its matches, and scratch
 * buffers reused by the next query with the same list. Living in the
 * caller's vg_match_list, it makes concurrent queries share nothing but
 * the (read-locked) indexes and the (mutex-guarded) connection. */
struct vg_ml_arena {
    void **blocks;
    size_t n, cap;
    uint64_t *ids;
    size_t ids_cap;
    vg_pdq_results pr;
};

/* Builds s->exact and s->pdq from the database (inside the caller's read
 * transaction). */
vg_status vgi_lib_matcher_build(vg_matcher *m, mset *s, vg_error *err);

#endif
