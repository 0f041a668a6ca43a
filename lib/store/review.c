/* review.c - the examiner's categories, each change audited in the same
 * transaction, and the case's settings (meta). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_int.h"
#include "vigil/text.h"

/* The audit detail: who, which scheme and category, and every item by id and
 * SHA-1 (the id is the case's; the SHA-1 names the file anywhere). */
static void begin_detail(FILE *f, const char *category, const char *scheme,
                              const char *examiner)
{
    fputs("{\"examiner\":", f);
    vg_json_str(f, examiner);
    fputs(",\"scheme\":", f);
    vg_json_str(f, scheme);
    fputs(",\"category\":", f);
    if (category)
        vg_json_str(f, category);
    else
        fputs("null", f);
    fputs(",\"items\":[", f);
}

static vg_status apply_one(vg_store *s, sqlite3_stmt *get, sqlite3_stmt *put, int64_t id,
                           const char *category, FILE *detail, size_t i, vg_error *err)
{
    const char *sha1;

    sqlite3_reset(get);
    sqlite3_bind_int64(get, 1, id);
    if (sqlite3_step(get) != SQLITE_ROW)
        return vg_errorf(err, VG_ERR_NOTFOUND, "%s: no item %lld", s->path, (long long)id);
    sha1 = (const char *)sqlite3_column_text(get, 0);
    fprintf(detail, "%s{\"id\":%lld,\"sha1\":", i ? "," : "", (long long)id);
    if (sha1)
        vg_json_str(detail, sha1);
    else
        fputs("null", detail);
    fputc('}', detail);
    sqlite3_reset(put);
    sqlite3_bind_int64(put, 1, id);
    if (category)
        sqlite3_bind_text(put, 2, category, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(put) != SQLITE_DONE)
        return vgi_store_db_err(s, err, "recording a category");
    return VG_OK;
}

static vg_status apply_all(vg_store *s, const int64_t *ids, size_t n, const char *category,
                           const char *scheme, const char *examiner, const char *when,
                           FILE *detail, vg_error *err)
{
    sqlite3_stmt *get = NULL, *put = NULL;
    vg_status st = VG_OK;
    const char *put_sql = category
        ? "INSERT OR REPLACE INTO reviews(item_id,category,scheme,examiner,time)"
          " VALUES(?1,?2,?3,?4,?5)"
        : "DELETE FROM reviews WHERE item_id=?1";

    if (sqlite3_prepare_v2(s->db, "SELECT sha1 FROM items WHERE id=?", -1, &get, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(s->db, put_sql, -1, &put, NULL) != SQLITE_OK)
        st = vgi_store_db_err(s, err, "preparing a review");
    if (st == VG_OK && category) {
        sqlite3_bind_text(put, 3, scheme, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(put, 4, examiner, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(put, 5, when, -1, SQLITE_TRANSIENT);
    }
    for (size_t i = 0; st == VG_OK && i < n; i++)
        st = apply_one(s, get, put, ids[i], category, detail, i, err);
    sqlite3_finalize(get);
    sqlite3_finalize(put);
    return st;
}

vg_status vg_store_review_set(vg_store *s, const int64_t *ids, size_t n, const char *category,
                              const char *scheme, const char *examiner, vg_error *err)
{
    char when[32], *detail = NULL;
    size_t dlen = 0;
    time_t now = time(NULL);
    struct tm tm;
    FILE *f;
    vg_status st;

    if (!n || !ids || !scheme || !*scheme || !examiner || !*examiner)
        return vg_errorf(err, VG_ERR_ARG, "a categorisation needs items, a scheme and an examiner");
    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (!(f = open_memstream(&detail, &dlen)))
        return vg_errorf(err, VG_ERR_NOMEM, "no memory for an audit entry");
    begin_detail(f, category, scheme, examiner);
    if ((st = vg_store_begin(s, err)) != VG_OK) {
        fclose(f);
        free(detail);
        return st;
    }
    st = apply_all(s, ids, n, category, scheme, examiner, when, f, err);
    fputs("]}", f);
    if (fclose(f) != 0 && st == VG_OK)
        st = vg_errorf(err, VG_ERR_NOMEM, "no memory for an audit entry");
    if (st == VG_OK)
        st = vg_store_audit(s, "categorise", detail, err);
    free(detail);
    if (st == VG_OK)
        return vg_store_commit(s, err);
    vg_store_rollback(s, NULL);
    return st;
}

vg_status vg_store_meta_get(vg_store *s, const char *key, char **value, vg_error *err)
{
    sqlite3_stmt *st;
    int rc;

    *value = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key=?", -1, &st, NULL) !=
        SQLITE_OK)
        return vgi_store_db_err(s, err, "reading a setting");
    vgi_store_bind(st, 1, key);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_text(st, 0) &&
        !(*value = strdup((const char *)sqlite3_column_text(st, 0)))) {
        sqlite3_finalize(st);
        return vg_errorf(err, VG_ERR_NOMEM, "no memory for a setting");
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? VG_OK
                                                 : vgi_store_db_err(s, err, "reading a setting");
}

vg_status vg_store_meta_set(vg_store *s, const char *key, const char *value, vg_error *err)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO meta(key,value) VALUES(?,?)", -1, &st,
                           NULL) != SQLITE_OK)
        return vgi_store_db_err(s, err, "writing a setting");
    vgi_store_bind(st, 1, key);
    vgi_store_bind(st, 2, value);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? VG_OK : vgi_store_db_err(s, err, "writing a setting");
}
