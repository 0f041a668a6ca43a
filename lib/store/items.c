/* items.c - evidence and item records: writing them, and the resume key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "vigil/util.h"

static void row_to_evidence(sqlite3_stmt *st, vg_evidence_rec *r)
{
    const char *t;
    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(st, 0);
    t = (const char *)sqlite3_column_text(st, 1);
    snprintf(r->path, sizeof r->path, "%s", t ? t : "");
    t = (const char *)sqlite3_column_text(st, 2);
    snprintf(r->options, sizeof r->options, "%s", t ? t : "");
    t = (const char *)sqlite3_column_text(st, 3);
    snprintf(r->state, sizeof r->state, "%s", t ? t : "");
    r->items = (uint64_t)sqlite3_column_int64(st, 4);
}

#define EVIDENCE_COLS \
    "SELECT id,path,options,state,(SELECT count(*) FROM items WHERE evidence_id=e.id)" \
    " FROM evidence e"

vg_status vg_store_evidence_add(vg_store *s, const char *path, const char *options,
                                vg_evidence_rec *rec, int *created, vg_error *err)
{
    sqlite3_stmt *st;
    int rc;

    *created = 0;
    if (sqlite3_prepare_v2(s->db, EVIDENCE_COLS " WHERE path=?", -1, &st, NULL) != SQLITE_OK)
        return vgi_store_db_err(s, err, "reading evidence");
    vgi_store_bind(st, 1, path);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        row_to_evidence(st, rec);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return VG_OK;
    if (rc != SQLITE_DONE)
        return vgi_store_db_err(s, err, "reading evidence");
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO evidence(path,options,added)"
                           " VALUES(?,?,strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                           -1, &st, NULL) != SQLITE_OK)
        return vgi_store_db_err(s, err, "adding evidence");
    vgi_store_bind(st, 1, path);
    vgi_store_bind(st, 2, options);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return vgi_store_db_err(s, err, "adding evidence");
    memset(rec, 0, sizeof *rec);
    rec->id = sqlite3_last_insert_rowid(s->db);
    snprintf(rec->path, sizeof rec->path, "%s", path);
    snprintf(rec->options, sizeof rec->options, "%s", options);
    snprintf(rec->state, sizeof rec->state, "scanning");
    *created = 1;
    return VG_OK;
}

vg_status vg_store_evidence_list(vg_store *s, vg_evidence_rec **recs, size_t *n, vg_error *err)
{
    sqlite3_stmt *st;
    size_t cap = 0;
    int rc;

    *recs = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(s->db, EVIDENCE_COLS " ORDER BY id", -1, &st, NULL) != SQLITE_OK)
        return vgi_store_db_err(s, err, "reading evidence");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 4;
            vg_evidence_rec *nr = realloc(*recs, cap * sizeof **recs);
            if (!nr) {
                sqlite3_finalize(st);
                return vg_errorf(err, VG_ERR_NOMEM, "no memory for the evidence list");
            }
            *recs = nr;
        }
        row_to_evidence(st, &(*recs)[(*n)++]);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? VG_OK : vgi_store_db_err(s, err, "reading evidence");
}

vg_status vg_store_evidence_set_state(vg_store *s, int64_t id, const char *state,
                                      vg_error *err)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(s->db, "UPDATE evidence SET state=? WHERE id=?", -1, &st, NULL) !=
        SQLITE_OK)
        return vgi_store_db_err(s, err, "updating evidence");
    vgi_store_bind(st, 1, state);
    sqlite3_bind_int64(st, 2, id);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? VG_OK : vgi_store_db_err(s, err, "updating evidence");
}

static void bind_time(sqlite3_stmt *st, int i, int64_t t)
{
    if (t == INT64_MIN)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_int64(st, i, t);
}

static void bind_hex(sqlite3_stmt *st, int i, const uint8_t *b, size_t n, int have)
{
    char hex[65];
    if (!have) {
        sqlite3_bind_null(st, i);
        return;
    }
    vg_hex_encode(b, n, hex);
    sqlite3_bind_text(st, i, hex, -1, SQLITE_TRANSIENT);
}

static vg_status put_matches(vg_store *s, int64_t item_id, const vg_item_rec *r, vg_error *err)
{
    sqlite3_stmt *st = s->put_match;

    for (size_t i = 0; i < r->n_matches; i++) {
        const vg_match_rec *m = &r->matches[i];
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, item_id);
        vgi_store_bind(st, 2, m->set);
        vgi_store_bind(st, 3, m->kind);
        sqlite3_bind_int(st, 4, m->distance);
        vgi_store_bind(st, 5, m->category ? m->category : "none");
        vgi_store_bind(st, 6, m->category_label);
        vgi_store_bind(st, 7, m->labels);
        if (sqlite3_step(st) != SQLITE_DONE)
            return vgi_store_db_err(s, err, "recording a match");
    }
    return VG_OK;
}

vg_status vg_store_item_put(vg_store *s, const vg_item_rec *r, vg_error *err)
{
    sqlite3_stmt *st = s->put_item;
    char pdq[65];
    int i = 1, rc;

    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    sqlite3_bind_int64(st, i++, r->evidence_id);
    sqlite3_bind_int64(st, i++, (int64_t)r->seq);
    sqlite3_bind_int64(st, i++, (int64_t)r->sub);
    sqlite3_bind_int64(st, i++, (int64_t)r->parent_seq);
    vgi_store_bind(st, i++, r->path ? r->path : "");
    vgi_store_bind(st, i++, r->name);
    vgi_store_bind(st, i++, r->source);
    vgi_store_bind(st, i++, r->item_type);
    vgi_store_bind(st, i++, r->flags);
    sqlite3_bind_int(st, i++, (int)r->depth);
    sqlite3_bind_int64(st, i++, (int64_t)r->size);
    if (r->offset >= 0)
        sqlite3_bind_int64(st, i, r->offset);
    i++;
    sqlite3_bind_int64(st, i++, (int64_t)r->meta_addr);
    bind_time(st, i++, r->mtime);
    bind_time(st, i++, r->atime);
    bind_time(st, i++, r->ctime);
    bind_time(st, i++, r->crtime);
    bind_hex(st, i++, r->digests.md5, 16, r->have_digests);
    bind_hex(st, i++, r->digests.sha1, 20, r->have_digests);
    bind_hex(st, i++, r->digests.sha256, 32, r->have_digests);
    vgi_store_bind(st, i++, r->file_type);
    sqlite3_bind_int(st, i++, r->ext_mismatch);
    if (r->width)
        sqlite3_bind_int64(st, i, r->width);
    i++;
    if (r->height)
        sqlite3_bind_int64(st, i, r->height);
    i++;
    if (r->have_pdq) {
        vg_pdq_to_hex(&r->pdq, pdq);
        vgi_store_bind(st, i, pdq);
        sqlite3_bind_int(st, i + 1, r->pdq_quality);
    }
    i += 2;
    vgi_store_bind(st, i++, r->status ? r->status : "ok");
    vgi_store_bind(st, i++, r->error);
    sqlite3_bind_int64(st, i++, (int64_t)r->n_matches);
    vgi_store_bind(st, i++, r->exif_make);
    vgi_store_bind(st, i++, r->exif_model);
    vgi_store_bind(st, i++, r->exif_datetime);
    if (r->has_gps) {
        sqlite3_bind_double(st, i, r->gps_lat);
        sqlite3_bind_double(st, i + 1, r->gps_lon);
    }
    i += 2;
    if (r->thumb_distance >= 0)
        sqlite3_bind_int(st, i, r->thumb_distance);
    i++;
    vgi_store_bind(st, i++, r->steg_verdict);
    vgi_store_bind(st, i++, r->steg_reason);
    vgi_store_bind(st, i++, r->steg_scores);
    rc = sqlite3_step(st);
    if (rc == SQLITE_CONSTRAINT)
        return vg_errorf(err, VG_ERR_EXISTS, "%s: item %llu.%u of evidence %lld is already recorded",
                         s->path, (unsigned long long)r->seq, r->sub, (long long)r->evidence_id);
    if (rc != SQLITE_DONE)
        return vgi_store_db_err(s, err, "recording an item");
    int64_t id = sqlite3_last_insert_rowid(s->db);
    if (r->thumb && r->thumb_len) {
        st = s->put_thumb;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_blob64(st, 2, r->thumb, r->thumb_len, SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_bind_null(st, 2); /* the blob is the caller's */
        if (rc != SQLITE_DONE)
            return vgi_store_db_err(s, err, "recording a preview");
    }
    return put_matches(s, id, r, err);
}

vg_status vg_store_item_seqs(vg_store *s, int64_t evidence_id, uint64_t **seqs, size_t *n,
                             vg_error *err)
{
    sqlite3_stmt *st;
    size_t cap = 0;
    int rc;

    *seqs = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT seq FROM items WHERE evidence_id=? AND sub=0 ORDER BY seq", -1,
                           &st, NULL) != SQLITE_OK)
        return vgi_store_db_err(s, err, "reading items");
    sqlite3_bind_int64(st, 1, evidence_id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 1024;
            uint64_t *ns = realloc(*seqs, cap * sizeof **seqs);
            if (!ns) {
                sqlite3_finalize(st);
                return vg_errorf(err, VG_ERR_NOMEM, "no memory for the resume list");
            }
            *seqs = ns;
        }
        (*seqs)[(*n)++] = (uint64_t)sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? VG_OK : vgi_store_db_err(s, err, "reading items");
}
