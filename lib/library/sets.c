/* sets.c - listing, describing and removing sets, and walking their entries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "library_int.h"

#define SET_COLS                                                                          \
    "id,name,version,source,source_sha256,imported,updated,format,scheme,vics_version,"   \
    "vics_context,n_entries,n_md5,n_sha1,n_sha256,n_pdq,n_photodna"

static void col_text(sqlite3_stmt *st, int col, char *out, size_t len)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(out, len, "%s", t ? (const char *)t : "");
}

static void row_to_info(sqlite3_stmt *st, vg_set_info *i)
{
    memset(i, 0, sizeof *i);
    i->id = sqlite3_column_int64(st, 0);
    col_text(st, 1, i->name, sizeof i->name);
    i->version = sqlite3_column_int64(st, 2);
    col_text(st, 3, i->source, sizeof i->source);
    col_text(st, 4, i->source_sha256, sizeof i->source_sha256);
    col_text(st, 5, i->imported, sizeof i->imported);
    col_text(st, 6, i->updated, sizeof i->updated);
    col_text(st, 7, i->format, sizeof i->format);
    col_text(st, 8, i->scheme, sizeof i->scheme);
    col_text(st, 9, i->vics_version, sizeof i->vics_version);
    col_text(st, 10, i->vics_context, sizeof i->vics_context);
    i->entries = (uint64_t)sqlite3_column_int64(st, 11);
    i->n_md5 = (uint64_t)sqlite3_column_int64(st, 12);
    i->n_sha1 = (uint64_t)sqlite3_column_int64(st, 13);
    i->n_sha256 = (uint64_t)sqlite3_column_int64(st, 14);
    i->n_pdq = (uint64_t)sqlite3_column_int64(st, 15);
    i->n_photodna = (uint64_t)sqlite3_column_int64(st, 16);
}

vg_status vg_library_set_info(vg_library *lib, const char *name, vg_set_info *info,
                              vg_error *err)
{
    sqlite3_stmt *st;
    vg_status s = vgi_lib_prepare(lib, "SELECT " SET_COLS " FROM sets WHERE name=?", &st, err);

    if (s != VG_OK)
        return s;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        row_to_info(st, info);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return VG_OK;
    if (rc != SQLITE_DONE)
        return vgi_lib_db_error(lib, err, "read set");
    return vg_errorf(err, VG_ERR_NOTFOUND, "no set named '%s' in %s", name, lib->path);
}

vg_status vg_library_list(vg_library *lib, vg_set_info **out, size_t *n, vg_error *err)
{
    sqlite3_stmt *st;
    vg_set_info *v = NULL;
    size_t cap = 0;
    int rc;
    vg_status s = vgi_lib_prepare(lib, "SELECT " SET_COLS " FROM sets ORDER BY name", &st, err);

    *out = NULL;
    *n = 0;
    if (s != VG_OK)
        return s;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            vg_set_info *nv = realloc(v, (cap = cap ? 2 * cap : 8) * sizeof *v);
            if (!nv) {
                s = vg_errorf(err, VG_ERR_NOMEM, "out of memory");
                break;
            }
            v = nv;
        }
        row_to_info(st, &v[(*n)++]);
    }
    if (s == VG_OK && rc != SQLITE_DONE)
        s = vgi_lib_db_error(lib, err, "list sets");
    sqlite3_finalize(st);
    if (s != VG_OK) {
        free(v);
        *n = 0;
        return s;
    }
    *out = v;
    return VG_OK;
}

vg_status vg_library_remove(vg_library *lib, const char *name, vg_error *err)
{
    sqlite3_stmt *st;
    vg_status s = vgi_lib_prepare(lib, "DELETE FROM sets WHERE name=?", &st, err);

    if (s != VG_OK)
        return s;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return vgi_lib_db_error(lib, err, "remove set");
    if (sqlite3_changes(lib->db) == 0)
        return vg_errorf(err, VG_ERR_NOTFOUND, "no set named '%s' in %s", name, lib->path);
    return VG_OK;
}

/* ---- walking entries ----------------------------------------------------- */

typedef struct row_entry {
    vg_hs_entry e;
    char *labels_buf;
    const char **labels;
    size_t labels_cap;
} row_entry;

static void blob_into(sqlite3_stmt *st, int col, void *dst, size_t len, unsigned bit,
                      unsigned *has)
{
    if (sqlite3_column_type(st, col) == SQLITE_BLOB &&
        (size_t)sqlite3_column_bytes(st, col) == len) {
        memcpy(dst, sqlite3_column_blob(st, col), len);
        *has |= bit;
    }
}

static const char *text_or_null(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? NULL
                                                       : (const char *)sqlite3_column_text(st, col);
}

/* Splits the stored labels into r->labels (pointers into r->labels_buf). */
static int split_labels(row_entry *r, const char *joined)
{
    size_t n = 1, len;

    r->e.n_labels = 0;
    if (!joined || !*joined)
        return 0;
    len = strlen(joined);
    for (const char *p = joined; *p; p++)
        n += *p == VGI_LABEL_SEP;
    char *buf = realloc(r->labels_buf, len + 1);
    if (!buf)
        return -1;
    r->labels_buf = buf;
    if (n > r->labels_cap) {
        const char **nl = realloc(r->labels, n * sizeof *nl);
        if (!nl)
            return -1;
        r->labels = nl;
        r->labels_cap = n;
    }
    memcpy(buf, joined, len + 1);
    r->labels[r->e.n_labels++] = buf;
    for (char *p = buf; *p; p++) {
        if (*p == VGI_LABEL_SEP) {
            *p = '\0';
            r->labels[r->e.n_labels++] = p + 1;
        }
    }
    r->e.labels = r->labels;
    return 0;
}

#define ENTRY_COLS                                                                        \
    "id,md5,sha1,sha256,pdq,pdq_quality,size,name,category,category_label,labels,"        \
    "photodna,updated"

/* Fills r->e from a row of ENTRY_COLS; the pointers stay valid until the next step. */
static int row_to_entry(sqlite3_stmt *st, row_entry *r)
{
    vg_hs_entry *e = &r->e;
    unsigned has = 0;

    blob_into(st, 1, e->md5, 16, VG_HS_HAS_MD5, &has);
    blob_into(st, 2, e->sha1, 20, VG_HS_HAS_SHA1, &has);
    blob_into(st, 3, e->sha256, 32, VG_HS_HAS_SHA256, &has);
    blob_into(st, 4, e->pdq.b, 32, VG_HS_HAS_PDQ, &has);
    e->pdq_quality = sqlite3_column_type(st, 5) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 5);
    if (sqlite3_column_type(st, 6) != SQLITE_NULL) {
        e->size = (uint64_t)sqlite3_column_int64(st, 6);
        has |= VG_HS_HAS_SIZE;
    }
    e->name = text_or_null(st, 7);
    /* The schema says NOT NULL, but a library file is input like any other. */
    e->category = text_or_null(st, 8);
    e->category_label = text_or_null(st, 9);
    if (!e->category)
        e->category = "none";
    if (!e->category_label)
        e->category_label = "";
    e->photodna = text_or_null(st, 11);
    if (e->photodna)
        has |= VG_HS_HAS_PHOTODNA;
    e->updated = text_or_null(st, 12);
    e->has = has;
    e->record = 0;
    return split_labels(r, text_or_null(st, 10));
}

vg_status vg_library_entries(vg_library *lib, const char *name, uint64_t offset, uint64_t limit,
                             vg_lib_entry_cb cb, void *ctx, vg_error *err)
{
    int64_t set_id;
    sqlite3_stmt *st;
    row_entry r;
    int rc;
    vg_status s;

    if ((s = vgi_lib_set_id(lib, name, &set_id, err)) != VG_OK)
        return s;
    if ((s = vgi_lib_prepare(lib, "SELECT " ENTRY_COLS " FROM entries WHERE set_id=?"
                              " ORDER BY id LIMIT ? OFFSET ?",
                         &st, err)) != VG_OK)
        return s;
    sqlite3_bind_int64(st, 1, set_id);
    sqlite3_bind_int64(st, 2, limit ? (sqlite3_int64)limit : -1);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)offset);
    memset(&r, 0, sizeof r);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int stop;
        if (row_to_entry(st, &r) != 0) {
            s = vg_errorf(err, VG_ERR_NOMEM, "out of memory");
            break;
        }
        if ((stop = cb(ctx, (uint64_t)sqlite3_column_int64(st, 0), &r.e)) != 0) {
            s = (vg_status)stop;
            break;
        }
    }
    if (s == VG_OK && rc != SQLITE_DONE)
        s = vgi_lib_db_error(lib, err, "read entries");
    sqlite3_finalize(st);
    free(r.labels_buf);
    free(r.labels);
    return s;
}
