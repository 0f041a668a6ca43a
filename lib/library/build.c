/* build.c - a set's exact and PDQ indexes built from its entries. */
#include <stdlib.h>
#include <string.h>

#include "matcher_int.h"

typedef struct pdq_batch {
    vg_pdq *hs;
    uint64_t *ids;
    size_t n, cap;
} pdq_batch;

static vg_status batch_push(pdq_batch *b, const void *hash, uint64_t id, vg_error *err)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 1024;
        vg_pdq *hs = realloc(b->hs, cap * sizeof *hs);
        if (hs)
            b->hs = hs;
        uint64_t *ids = hs ? realloc(b->ids, cap * sizeof *ids) : NULL;
        if (!ids)
            return vg_errorf(err, VG_ERR_NOMEM, "out of memory building a PDQ index");
        b->ids = ids;
        b->cap = cap;
    }
    memcpy(b->hs[b->n].b, hash, 32);
    b->ids[b->n++] = id;
    return VG_OK;
}

/* Adds the row's digests (columns 1..3: md5, sha1, sha256) to x. */
static vg_status add_digests(vg_exact_index *x, sqlite3_stmt *st, uint64_t id, vg_error *err)
{
    for (int k = 0; k < VG_DIGEST_KINDS; k++) {
        size_t len = vg_digest_kind_len((vg_digest_kind)k);
        if (sqlite3_column_type(st, 1 + k) != SQLITE_BLOB ||
            (size_t)sqlite3_column_bytes(st, 1 + k) != len)
            continue;
        vg_status s = vg_exact_index_add(x, (vg_digest_kind)k, sqlite3_column_blob(st, 1 + k),
                                         id, err);
        if (s != VG_OK)
            return s;
    }
    return VG_OK;
}

static vg_status scan_entries(vg_matcher *m, mset *s, pdq_batch *b, vg_error *err)
{
    sqlite3_stmt *st;
    int rc;
    vg_status r = vgi_lib_prepare(m->lib, "SELECT id,md5,sha1,sha256,pdq FROM entries"
                                      " WHERE set_id=? ORDER BY id", &st, err);

    if (r != VG_OK)
        return r;
    sqlite3_bind_int64(st, 1, s->info.id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        uint64_t id = (uint64_t)sqlite3_column_int64(st, 0);
        if (s->exact && (r = add_digests(s->exact, st, id, err)) != VG_OK)
            break;
        if (sqlite3_column_type(st, 4) == SQLITE_BLOB && sqlite3_column_bytes(st, 4) == 32 &&
            (r = batch_push(b, sqlite3_column_blob(st, 4), id, err)) != VG_OK)
            break;
    }
    if (r == VG_OK && rc != SQLITE_DONE)
        r = vgi_lib_db_error(m->lib, err, "read entries");
    sqlite3_finalize(st);
    return r;
}

/* Digests the set really holds: the presize hint for the exact index. The
 * counters in the sets row are not trusted for an allocation size. */
static vg_status count_digests(vg_matcher *m, const mset *s, uint64_t *n, vg_error *err)
{
    sqlite3_stmt *st;
    vg_status r = vgi_lib_prepare(m->lib, "SELECT count(md5)+count(sha1)+count(sha256)"
                                      " FROM entries WHERE set_id=?", &st, err);

    if (r != VG_OK)
        return r;
    sqlite3_bind_int64(st, 1, s->info.id);
    if (sqlite3_step(st) == SQLITE_ROW)
        *n = (uint64_t)sqlite3_column_int64(st, 0);
    else
        r = vgi_lib_db_error(m->lib, err, "count entries");
    sqlite3_finalize(st);
    return r;
}

vg_status vgi_lib_matcher_build(vg_matcher *m, mset *s, vg_error *err)
{
    pdq_batch b = {0};
    uint64_t digests = 0;
    vg_status r = count_digests(m, s, &digests, err);

    if (r != VG_OK)
        return r;
    if (digests && !(s->exact = vg_exact_index_new((size_t)digests, err)))
        return VG_ERR_NOMEM;
    r = scan_entries(m, s, &b, err);
    if (r == VG_OK && b.n) {
        if (!(s->pdq = vg_pdq_index_new(err)))
            r = VG_ERR_NOMEM;
        else
            r = vg_pdq_index_add_many(s->pdq, b.hs, b.ids, b.n, err);
        if (r == VG_OK)
            r = vg_pdq_index_compact(s->pdq, err);
    }
    free(b.hs);
    free(b.ids);
    if (r != VG_OK) {
        vg_exact_index_free(s->exact);
        vg_pdq_index_free(s->pdq);
        s->exact = NULL;
        s->pdq = NULL;
    }
    return r;
}
