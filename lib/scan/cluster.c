/* cluster.c - near-duplicate clusters over a case: items whose PDQ hashes lie
 * within the radius of each other, joined transitively (union-find), each
 * cluster numbered and represented by its first item in walk order, so that
 * the same case always gives the same clusters. */
#include <stdlib.h>

#include "vigil/index.h"
#include "vigil/scan.h"

static size_t find(size_t *parent, size_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]]; /* path halving */
        i = parent[i];
    }
    return i;
}

static void unite(size_t *parent, size_t a, size_t b)
{
    a = find(parent, a);
    b = find(parent, b);
    /* the smaller index (earlier in walk order) stays the root */
    if (a < b)
        parent[b] = a;
    else if (b < a)
        parent[a] = b;
}

static vg_status link_neighbours(const vg_pdq *pdqs, size_t n, int radius, size_t *parent,
                                 vg_error *err)
{
    vg_pdq_index *ix = vg_pdq_index_new(err);
    uint64_t *pos = malloc((n ? n : 1) * sizeof *pos);
    vg_pdq_results res = {0};
    vg_pdq_query_opts qo;
    vg_status st = ix && pos ? VG_OK : VG_ERR_NOMEM;

    for (size_t i = 0; st == VG_OK && i < n; i++)
        pos[i] = i;
    if (st == VG_OK)
        st = vg_pdq_index_add_many(ix, pdqs, pos, n, err);
    if (st == VG_OK)
        st = vg_pdq_index_compact(ix, err);
    vg_pdq_query_opts_init(&qo);
    qo.radius = radius;
    qo.min_quality = 0; /* the caller already kept only usable hashes */
    for (size_t i = 0; st == VG_OK && i < n; i++) {
        st = vg_pdq_index_query(ix, &pdqs[i], 1, 100, &qo, &res, err);
        for (size_t k = 0; st == VG_OK && k < res.n; k++)
            unite(parent, i, (size_t)res.v[k].id);
    }
    vg_pdq_results_free(&res);
    vg_pdq_index_free(ix);
    free(pos);
    if (st == VG_ERR_NOMEM && err && !err->msg[0])
        vg_errorf(err, st, "no memory to cluster %zu hashes", n);
    return st;
}

vg_status vg_scan_cluster(vg_store *store, int radius, int min_quality, uint64_t *clusters,
                          vg_error *err)
{
    int64_t *ids = NULL;
    uint64_t *number = NULL, next = 0;
    unsigned char *rep = NULL;
    vg_pdq *pdqs = NULL;
    size_t n = 0, *parent = NULL, *size = NULL;
    vg_status st = vg_store_pdq_items(store, min_quality, &ids, &pdqs, &n, err);

    if (clusters)
        *clusters = 0;
    if (st == VG_OK) {
        parent = malloc((n ? n : 1) * sizeof *parent);
        size = calloc(n ? n : 1, sizeof *size);
        rep = calloc(n ? n : 1, sizeof *rep);
        number = calloc(n ? n : 1, sizeof *number);
        if (!parent || !size || !rep || !number)
            st = vg_errorf(err, VG_ERR_NOMEM, "no memory to cluster %zu hashes", n);
    }
    for (size_t i = 0; st == VG_OK && i < n; i++)
        parent[i] = i;
    if (st == VG_OK && n)
        st = link_neighbours(pdqs, n, radius, parent, err);
    if (st == VG_OK) {
        for (size_t i = 0; i < n; i++)
            size[find(parent, i)]++;
        /* A root is its cluster's smallest index, so it is numbered before
         * its members: numbers follow the walk order of first items, and the
         * same case always gets the same numbers. */
        for (size_t i = 0; i < n; i++) {
            size_t r = find(parent, i);
            if (size[r] < 2)
                continue;
            if (r == i) {
                rep[i] = 1;
                number[i] = ++next;
            }
            number[i] = number[r];
        }
        if (clusters)
            *clusters = next;
        st = vg_store_set_clusters(store, ids, number, rep, n, err);
    }
    free(ids);
    free(pdqs);
    free(parent);
    free(size);
    free(rep);
    free(number);
    return st;
}
