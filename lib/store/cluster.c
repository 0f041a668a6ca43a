/* cluster.c - reading PDQ hashes for near-duplicate clustering and writing
 * the clusters back (the clustering itself is lib/scan/cluster.c). */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

vg_status vg_store_pdq_items(vg_store *s, int min_quality, int64_t **ids, vg_pdq **pdqs,
                             size_t *n, vg_error *err)
{
    sqlite3_stmt *st;
    size_t cap = 0;
    int rc;

    *ids = NULL;
    *pdqs = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, pdq FROM items WHERE pdq IS NOT NULL AND pdq_quality>=?"
                           " ORDER BY evidence_id, seq",
                           -1, &st, NULL) != SQLITE_OK)
        return vgi_store_db_err(s, err, "reading PDQ hashes");
    sqlite3_bind_int(st, 1, min_quality);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        vg_pdq h;
        const char *hex = (const char *)sqlite3_column_text(st, 1);
        if (!hex || vg_pdq_from_hex(hex, &h) != VG_OK)
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            int64_t *ni = realloc(*ids, cap * sizeof **ids);
            vg_pdq *np = ni ? realloc(*pdqs, cap * sizeof **pdqs) : NULL;
            if (ni)
                *ids = ni;
            if (!np) {
                sqlite3_finalize(st);
                return vg_errorf(err, VG_ERR_NOMEM, "no memory for PDQ hashes");
            }
            *pdqs = np;
        }
        (*ids)[*n] = sqlite3_column_int64(st, 0);
        (*pdqs)[(*n)++] = h;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? VG_OK : vgi_store_db_err(s, err, "reading PDQ hashes");
}

vg_status vg_store_set_clusters(vg_store *s, const int64_t *ids, const uint64_t *cluster,
                                const unsigned char *rep, size_t n, vg_error *err)
{
    sqlite3_stmt *st;
    vg_status rc;

    if ((rc = vgi_store_exec(s, "BEGIN IMMEDIATE; UPDATE items SET cluster=NULL, cluster_rep=NULL", err)) != VG_OK)
        return rc;
    if (sqlite3_prepare_v2(s->db, "UPDATE items SET cluster=?, cluster_rep=? WHERE id=?", -1, &st, NULL) !=
        SQLITE_OK) {
        vgi_store_exec(s, "ROLLBACK", NULL);
        return vgi_store_db_err(s, err, "writing clusters");
    }
    for (size_t i = 0; i < n && rc == VG_OK; i++) {
        if (!cluster[i])
            continue;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, (int64_t)cluster[i]);
        sqlite3_bind_int(st, 2, rep[i] != 0);
        sqlite3_bind_int64(st, 3, ids[i]);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = vgi_store_db_err(s, err, "writing clusters");
    }
    sqlite3_finalize(st);
    if (rc != VG_OK) {
        vgi_store_exec(s, "ROLLBACK", NULL);
        return rc;
    }
    return vgi_store_exec(s, "COMMIT", err);
}
