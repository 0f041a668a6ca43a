/* nsrl3.c - NSRL RDSv3: the FILE table of its SQLite database, row by row. */
#include <sqlite3.h>
#include <string.h>

#include "hashset_int.h"

static vg_status hash_col(vgi_hs_ctx *c, sqlite3_stmt *q, int col, vg_hs_entry *e,
                          unsigned kind, uint64_t row)
{
    const char *v = (const char *)sqlite3_column_text(q, col);
    int n = sqlite3_column_bytes(q, col);
    if (!v || n == 0)
        return VG_OK;
    return vgi_hs_parse_kind(c, e, v, (size_t)n, kind, sqlite3_column_name(q, col), row);
}

static vg_status one_row(vgi_hs_ctx *c, sqlite3_stmt *q, uint64_t row)
{
    vg_hs_entry e;
    vg_status st;
    vgi_hs_entry_init(c, &e, row);
    if ((st = hash_col(c, q, 0, &e, VG_HS_HAS_SHA256, row)) != VG_OK ||
        (st = hash_col(c, q, 1, &e, VG_HS_HAS_SHA1, row)) != VG_OK ||
        (st = hash_col(c, q, 2, &e, VG_HS_HAS_MD5, row)) != VG_OK)
        return st;
    e.name = (const char *)sqlite3_column_text(q, 3);
    if (e.name && !*e.name)
        e.name = NULL;
    if (sqlite3_column_type(q, 4) == SQLITE_INTEGER && sqlite3_column_int64(q, 4) >= 0) {
        e.size = (uint64_t)sqlite3_column_int64(q, 4);
        e.has |= VG_HS_HAS_SIZE;
    }
    return vgi_hs_emit(c, &e);
}

vg_status vgi_hs_read_nsrl3(vgi_hs_ctx *c)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    vg_status st = VG_OK;
    uint64_t row = 0;
    int rc;
    if (!c->path)
        return vgi_hs_fail(c, VG_ERR_UNSUPPORTED, 0, "nsrl3 is read from a file");
    if (sqlite3_open_v2(c->path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        st = vgi_hs_fail(c, VG_ERR_DB, 0, "cannot open as SQLite: %s", sqlite3_errmsg(db));
        sqlite3_close(db);
        return st;
    }
    if (sqlite3_prepare_v2(db, "SELECT sha256, sha1, md5, file_name, file_size FROM FILE", -1,
                           &q, NULL) != SQLITE_OK) {
        st = vgi_hs_fail(c, VG_ERR_DB, 0, "no RDSv3 FILE table: %s", sqlite3_errmsg(db));
        sqlite3_close(db);
        return st;
    }
    while (st == VG_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        c->st->records++;
        st = one_row(c, q, ++row);
    }
    if (st == VG_OK && rc != SQLITE_DONE)
        st = vgi_hs_fail(c, VG_ERR_DB, row + 1, "reading FILE: %s", sqlite3_errmsg(db));
    sqlite3_finalize(q);
    sqlite3_close(db);
    return st;
}
