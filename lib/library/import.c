/* import.c - a hash-set file into a new named set, in one transaction. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "library_int.h"

/* SHA-256 of the file at path as hex, read separately from the import: the
 * reader streams and does not hash, and the source's digest is what ties a
 * set to the exact file an agency handed over. */
static vg_status file_sha256(const char *path, char hex[65], vg_error *err)
{
    FILE *f = fopen(path, "rb");
    EVP_MD_CTX *ctx;
    unsigned char buf[1 << 16], md[32];
    unsigned int mdlen = 0;
    size_t n;
    vg_status s = VG_OK;

    if (!f)
        return vg_errorf(err, VG_ERR_OPEN, "%s: %s", path, strerror(errno));
    if (!(ctx = EVP_MD_CTX_new()) || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        fclose(f);
        EVP_MD_CTX_free(ctx);
        return vg_errorf(err, VG_ERR_INTERNAL, "SHA-256 unavailable");
    }
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        EVP_DigestUpdate(ctx, buf, n);
    if (ferror(f))
        s = vg_errorf(err, VG_ERR_IO, "%s: read error", path);
    else if (EVP_DigestFinal_ex(ctx, md, &mdlen) != 1 || mdlen != 32)
        s = vg_errorf(err, VG_ERR_INTERNAL, "SHA-256 failed");
    else
        for (int i = 0; i < 32; i++)
            snprintf(hex + 2 * i, 3, "%02x", md[i]);
    EVP_MD_CTX_free(ctx);
    fclose(f);
    return s;
}

/* Inserts the sets row with version 0 and zero counts: vgi_lib_set_touch then
 * gives it a fresh version, so that even a set removed and imported again
 * under the same name gets a version its cached indexes never had. */
static vg_status insert_set(vg_library *lib, const char *name, const char *source,
                            const char *sha, const char *scheme, int64_t *id, vg_error *err)
{
    sqlite3_stmt *st;
    char now[32];
    vg_status s;

    if ((s = vgi_lib_prepare(lib, "INSERT INTO sets(name,version,source,source_sha256,imported,"
                              "updated,scheme) VALUES(?,0,?,?,?,?,?)",
                         &st, err)) != VG_OK)
        return s;
    vgi_lib_utc_now(now);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, sha, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, scheme ? scheme : "custom", -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_CONSTRAINT_UNIQUE)
        return vg_errorf(err, VG_ERR_EXISTS, "a set named '%s' already exists in %s", name,
                         lib->path);
    if (rc != SQLITE_DONE)
        return vgi_lib_db_error(lib, err, "create set");
    *id = sqlite3_last_insert_rowid(lib->db);
    return VG_OK;
}

vg_status vg_library_create_set(vg_library *lib, const char *name, const char *scheme_name,
                                vg_error *err)
{
    int64_t id;
    vg_status s;

    if (!vg_set_name_valid(name))
        return vg_errorf(err, VG_ERR_ARG, "bad set name '%s': use 1-%d of A-Z a-z 0-9 . _ -",
                         name ? name : "", VG_SET_NAME_MAX);
    if ((s = vgi_lib_exec(lib, "BEGIN IMMEDIATE", err)) != VG_OK)
        return s;
    vgi_counts none = {0};
    if ((s = insert_set(lib, name, "", "", scheme_name, &id, err)) != VG_OK ||
        (s = vgi_lib_set_touch(lib, id, &none, err)) != VG_OK) {
        vgi_lib_rollback(lib);
        return s;
    }
    return vgi_lib_exec(lib, "COMMIT", err);
}

typedef struct import_ctx {
    vg_library *lib;
    sqlite3_stmt *ins;
    int64_t set_id;
    vgi_counts counts;
    char *buf;
    size_t cap;
    vg_status st;
    vg_error *err;
} import_ctx;

static int import_entry(void *vctx, const vg_hs_entry *e)
{
    import_ctx *c = vctx;

    c->st = vgi_lib_insert_entry(c->lib, c->ins, c->set_id, e, &c->buf, &c->cap, c->err);
    if (c->st != VG_OK)
        return (int)c->st;
    vgi_lib_counts_add(&c->counts, e->has, 1);
    return 0;
}

static vg_status finish_set(vg_library *lib, int64_t id, const vg_hs_stats *hs,
                            const vgi_counts *c, vg_error *err)
{
    sqlite3_stmt *st;
    vg_status s;

    if ((s = vgi_lib_prepare(lib, "UPDATE sets SET format=?, scheme=?, vics_version=?,"
                              " vics_context=? WHERE id=?",
                         &st, err)) != VG_OK)
        return s;
    sqlite3_bind_text(st, 1, vg_hs_format_name(hs->format), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, hs->scheme[0] ? hs->scheme : "custom", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, hs->vics_version, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, hs->vics_context, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, id);
    s = sqlite3_step(st) == SQLITE_DONE ? VG_OK : vgi_lib_db_error(lib, err, "update set");
    sqlite3_finalize(st);
    if (s != VG_OK)
        return s;
    return vgi_lib_set_touch(lib, id, c, err);
}

static vg_status import_tx(vg_library *lib, const char *name, const char *path,
                           vg_hs_format fmt, const vg_hs_scheme *scheme, vg_hs_stats *hs,
                           vg_error *err)
{
    char sha[65];
    import_ctx c = {.lib = lib, .err = err};
    vg_status s;

    if ((s = file_sha256(path, sha, err)) != VG_OK)
        return s;
    s = insert_set(lib, name, path, sha, scheme ? vg_hs_scheme_name(scheme) : NULL, &c.set_id,
                   err);
    if (s != VG_OK)
        return s;
    if ((s = vgi_lib_prepare(lib, VGI_INSERT_ENTRY_SQL, &c.ins, err)) != VG_OK)
        return s;
    s = vg_hashset_read(path, fmt, scheme, import_entry, &c, hs, err);
    sqlite3_finalize(c.ins);
    free(c.buf);
    if (s != VG_OK)
        return c.st != VG_OK ? c.st : s;
    return finish_set(lib, c.set_id, hs, &c.counts, err);
}

vg_status vg_library_import(vg_library *lib, const char *name, const char *path,
                            vg_hs_format fmt, const vg_hs_scheme *scheme, vg_set_info *info,
                            vg_hs_stats *stats, vg_error *err)
{
    vg_hs_stats local;
    vg_hs_stats *hs = stats ? stats : &local;
    vg_status s;

    memset(hs, 0, sizeof *hs);
    if (!vg_set_name_valid(name))
        return vg_errorf(err, VG_ERR_ARG, "bad set name '%s': use 1-%d of A-Z a-z 0-9 . _ -",
                         name ? name : "", VG_SET_NAME_MAX);
    /* A big cache keeps the entries_set index in memory during bulk inserts. */
    sqlite3_exec(lib->db, "PRAGMA cache_size=-65536", NULL, NULL, NULL);
    if ((s = vgi_lib_exec(lib, "BEGIN IMMEDIATE", err)) != VG_OK)
        return s;
    if ((s = import_tx(lib, name, path, fmt, scheme, hs, err)) != VG_OK) {
        vgi_lib_rollback(lib);
        return s;
    }
    if ((s = vgi_lib_exec(lib, "COMMIT", err)) != VG_OK) {
        vgi_lib_rollback(lib);
        return s;
    }
    /* Moves the imported pages into the database file now, so the WAL shrinks
     * back; a reader holding an old snapshot only makes this do less. */
    sqlite3_exec(lib->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    return info ? vg_library_set_info(lib, name, info, err) : VG_OK;
}
