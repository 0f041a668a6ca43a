/* entry.c - storing one entry: binding a vg_hs_entry to the entries table,
 * and the per-set counters kept beside it. */
#include <stdlib.h>
#include <string.h>

#include "library_int.h"

void vgi_lib_counts_add(vgi_counts *c, unsigned has, int64_t sign)
{
    c->entries += sign;
    if (has & VG_HS_HAS_MD5)
        c->md5 += sign;
    if (has & VG_HS_HAS_SHA1)
        c->sha1 += sign;
    if (has & VG_HS_HAS_SHA256)
        c->sha256 += sign;
    if (has & VG_HS_HAS_PDQ)
        c->pdq += sign;
    if (has & VG_HS_HAS_PHOTODNA)
        c->photodna += sign;
}

vg_status vgi_lib_set_touch(vg_library *lib, int64_t set_id, const vgi_counts *c, vg_error *err)
{
    sqlite3_stmt *st;
    int64_t version;
    char now[32];
    vg_status s;

    if ((s = vgi_lib_next_version(lib, &version, err)) != VG_OK)
        return s;
    if ((s = vgi_lib_prepare(lib,
                         "UPDATE sets SET version=?, updated=?, n_entries=n_entries+?,"
                         " n_md5=n_md5+?, n_sha1=n_sha1+?, n_sha256=n_sha256+?, n_pdq=n_pdq+?,"
                         " n_photodna=n_photodna+? WHERE id=?",
                         &st, err)) != VG_OK)
        return s;
    vgi_lib_utc_now(now);
    sqlite3_bind_int64(st, 1, version);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, c->entries);
    sqlite3_bind_int64(st, 4, c->md5);
    sqlite3_bind_int64(st, 5, c->sha1);
    sqlite3_bind_int64(st, 6, c->sha256);
    sqlite3_bind_int64(st, 7, c->pdq);
    sqlite3_bind_int64(st, 8, c->photodna);
    sqlite3_bind_int64(st, 9, set_id);
    s = sqlite3_step(st) == SQLITE_DONE ? VG_OK : vgi_lib_db_error(lib, err, "update set");
    sqlite3_finalize(st);
    return s;
}

/* Joins the labels with VGI_LABEL_SEP into *buf; NULL when there are none. */
static const char *join_labels(const vg_hs_entry *e, char **buf, size_t *cap)
{
    size_t need = 1;

    if (!e->n_labels)
        return NULL;
    for (size_t i = 0; i < e->n_labels; i++)
        need += strlen(e->labels[i]) + 1;
    if (need > *cap) {
        char *nb = realloc(*buf, need);
        if (!nb)
            return NULL;
        *buf = nb;
        *cap = need;
    }
    char *p = *buf;
    for (size_t i = 0; i < e->n_labels; i++) {
        size_t n = strlen(e->labels[i]);
        if (i)
            *p++ = VGI_LABEL_SEP;
        memcpy(p, e->labels[i], n);
        for (size_t k = 0; k < n; k++)
            if (p[k] == VGI_LABEL_SEP)
                p[k] = ' ';
        p += n;
    }
    *p = '\0';
    return *buf;
}

static void bind_blob_if(sqlite3_stmt *st, int col, unsigned has, unsigned bit, const void *b,
                         int n)
{
    if (has & bit)
        sqlite3_bind_blob(st, col, b, n, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, col);
}

static void bind_text_or_null(sqlite3_stmt *st, int col, const char *s)
{
    if (s)
        sqlite3_bind_text(st, col, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, col);
}

vg_status vgi_lib_insert_entry(vg_library *lib, sqlite3_stmt *st, int64_t set_id,
                           const vg_hs_entry *e, char **buf, size_t *cap, vg_error *err)
{
    const char *labels = join_labels(e, buf, cap);

    if (e->n_labels && !labels)
        return vg_errorf(err, VG_ERR_NOMEM, "out of memory");
    sqlite3_bind_int64(st, 1, set_id);
    bind_blob_if(st, 2, e->has, VG_HS_HAS_MD5, e->md5, 16);
    bind_blob_if(st, 3, e->has, VG_HS_HAS_SHA1, e->sha1, 20);
    bind_blob_if(st, 4, e->has, VG_HS_HAS_SHA256, e->sha256, 32);
    bind_blob_if(st, 5, e->has, VG_HS_HAS_PDQ, e->pdq.b, 32);
    if ((e->has & VG_HS_HAS_PDQ) && e->pdq_quality >= 0)
        sqlite3_bind_int(st, 6, e->pdq_quality);
    else
        sqlite3_bind_null(st, 6);
    if (e->has & VG_HS_HAS_SIZE)
        sqlite3_bind_int64(st, 7, (sqlite3_int64)e->size);
    else
        sqlite3_bind_null(st, 7);
    bind_text_or_null(st, 8, e->name);
    sqlite3_bind_text(st, 9, e->category ? e->category : "none", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, e->category_label ? e->category_label : "", -1, SQLITE_STATIC);
    bind_text_or_null(st, 11, labels);
    bind_text_or_null(st, 12, (e->has & VG_HS_HAS_PHOTODNA) ? e->photodna : NULL);
    bind_text_or_null(st, 13, e->updated);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return vgi_lib_db_error(lib, err, "insert entry");
    return VG_OK;
}

vg_status vgi_lib_set_id(vg_library *lib, const char *name, int64_t *id, vg_error *err)
{
    sqlite3_stmt *st;
    vg_status s = vgi_lib_prepare(lib, "SELECT id FROM sets WHERE name=?", &st, err);

    if (s != VG_OK)
        return s;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return VG_OK;
    if (rc != SQLITE_DONE)
        return vgi_lib_db_error(lib, err, "find set");
    return vg_errorf(err, VG_ERR_NOTFOUND, "no set named '%s' in %s", name, lib->path);
}

static vg_status add_entry_tx(vg_library *lib, const char *name, const vg_hs_entry *e,
                              uint64_t *id, vg_error *err)
{
    int64_t set_id;
    sqlite3_stmt *st;
    char *buf = NULL;
    size_t cap = 0;
    vgi_counts c = {0};
    vg_status s;

    if ((s = vgi_lib_set_id(lib, name, &set_id, err)) != VG_OK)
        return s;
    if ((s = vgi_lib_prepare(lib, VGI_INSERT_ENTRY_SQL, &st, err)) != VG_OK)
        return s;
    s = vgi_lib_insert_entry(lib, st, set_id, e, &buf, &cap, err);
    sqlite3_finalize(st);
    free(buf);
    if (s != VG_OK)
        return s;
    if (id)
        *id = (uint64_t)sqlite3_last_insert_rowid(lib->db);
    vgi_lib_counts_add(&c, e->has, 1);
    return vgi_lib_set_touch(lib, set_id, &c, err);
}

vg_status vg_library_add_entry(vg_library *lib, const char *name, const vg_hs_entry *e,
                               uint64_t *id, vg_error *err)
{
    vg_status s;

    if (!(e->has & (VG_HS_HASHES | VG_HS_HAS_PHOTODNA)))
        return vg_errorf(err, VG_ERR_ARG, "entry carries no hash");
    if ((e->has & VG_HS_HAS_PHOTODNA) && !e->photodna)
        return vg_errorf(err, VG_ERR_ARG, "entry says PhotoDNA but carries none");
    if ((s = vgi_lib_exec(lib, "BEGIN IMMEDIATE", err)) != VG_OK)
        return s;
    if ((s = add_entry_tx(lib, name, e, id, err)) != VG_OK) {
        vgi_lib_rollback(lib);
        return s;
    }
    return vgi_lib_exec(lib, "COMMIT", err);
}

/* Which hashes the stored entry (id, set_id) carries; VG_ERR_NOTFOUND when
 * the set holds no such entry. */
static vg_status entry_has(vg_library *lib, int64_t set_id, uint64_t id, unsigned *has,
                           vg_error *err)
{
    sqlite3_stmt *st;
    vg_status s = vgi_lib_prepare(lib,
                              "SELECT md5 IS NOT NULL, sha1 IS NOT NULL, sha256 IS NOT NULL,"
                              " pdq IS NOT NULL, photodna IS NOT NULL"
                              " FROM entries WHERE id=? AND set_id=?",
                              &st, err);
    static const unsigned bits[] = {VG_HS_HAS_MD5, VG_HS_HAS_SHA1, VG_HS_HAS_SHA256,
                                    VG_HS_HAS_PDQ, VG_HS_HAS_PHOTODNA};

    if (s != VG_OK)
        return s;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)id);
    sqlite3_bind_int64(st, 2, set_id);
    int rc = sqlite3_step(st);
    *has = 0;
    if (rc == SQLITE_ROW)
        for (int i = 0; i < 5; i++)
            if (sqlite3_column_int(st, i))
                *has |= bits[i];
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW)
        return VG_OK;
    if (rc != SQLITE_DONE)
        return vgi_lib_db_error(lib, err, "find entry");
    return vg_errorf(err, VG_ERR_NOTFOUND, "no entry %llu in set", (unsigned long long)id);
}

static vg_status remove_entry_tx(vg_library *lib, const char *name, uint64_t id, vg_error *err)
{
    int64_t set_id;
    unsigned has;
    sqlite3_stmt *st;
    vgi_counts c = {0};
    vg_status s;

    if ((s = vgi_lib_set_id(lib, name, &set_id, err)) != VG_OK)
        return s;
    if ((s = entry_has(lib, set_id, id, &has, err)) != VG_OK) {
        vg_error_prefix(err, name);
        return s;
    }
    if ((s = vgi_lib_prepare(lib, "DELETE FROM entries WHERE id=?", &st, err)) != VG_OK)
        return s;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)id);
    s = sqlite3_step(st) == SQLITE_DONE ? VG_OK : vgi_lib_db_error(lib, err, "delete entry");
    sqlite3_finalize(st);
    if (s != VG_OK)
        return s;
    vgi_lib_counts_add(&c, has, -1);
    return vgi_lib_set_touch(lib, set_id, &c, err);
}

vg_status vg_library_remove_entry(vg_library *lib, const char *name, uint64_t id,
                                  vg_error *err)
{
    vg_status s;

    if ((s = vgi_lib_exec(lib, "BEGIN IMMEDIATE", err)) != VG_OK)
        return s;
    if ((s = remove_entry_tx(lib, name, id, err)) != VG_OK) {
        vgi_lib_rollback(lib);
        return s;
    }
    return vgi_lib_exec(lib, "COMMIT", err);
}
