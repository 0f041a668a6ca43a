/* audit.c - the case's hash-chained audit log.
 *
 * hash(n) = SHA-256 of prev || '\n' || time || '\n' || version || '\n' ||
 * action || '\n' || detail, in hex, where prev is hash(n-1) (64 zeros for the
 * first entry). Anyone can recompute the chain with sqlite3 and sha256sum;
 * docs/case.md shows how. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_int.h"
#include "vigil/util.h"

static const char zero_hash[65] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static vg_status chain_hash(const char *prev, const char *time_s, const char *version,
                            const char *action, const char *detail, char out[65],
                            vg_error *err)
{
    size_t n = strlen(prev) + strlen(time_s) + strlen(version) + strlen(action) +
               strlen(detail) + 5;
    char *buf = malloc(n);
    vg_digests d;
    vg_status st;

    if (!buf)
        return vg_errorf(err, VG_ERR_NOMEM, "no memory for an audit entry");
    snprintf(buf, n, "%s\n%s\n%s\n%s\n%s", prev, time_s, version, action, detail);
    st = vg_digest_buffer(buf, strlen(buf), 0, &d, err);
    free(buf);
    if (st == VG_OK)
        vg_hex_encode(d.sha256, 32, out);
    return st;
}

static vg_status last_hash(vg_store *s, char out[65], vg_error *err)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(s->db, "SELECT hash FROM audit ORDER BY id DESC LIMIT 1", -1, &st,
                           NULL) != SQLITE_OK)
        return vgi_store_db_err(s, err, "reading the audit log");
    memcpy(out, zero_hash, 65);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, 65, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? VG_OK
                                                 : vgi_store_db_err(s, err, "reading the audit log");
}

vg_status vg_store_audit(vg_store *s, const char *action, const char *detail, vg_error *err)
{
    char prev[65], hash[65], when[32];
    time_t now = time(NULL);
    struct tm tm;
    sqlite3_stmt *st;
    vg_status rc;

    gmtime_r(&now, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if ((rc = last_hash(s, prev, err)) != VG_OK)
        return rc;
    if ((rc = chain_hash(prev, when, VG_VERSION, action, detail, hash, err)) != VG_OK)
        return rc;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO audit(time,version,action,detail,prev,hash)"
                           " VALUES(?,?,?,?,?,?)",
                           -1, &st, NULL) != SQLITE_OK)
        return vgi_store_db_err(s, err, "writing the audit log");
    vgi_store_bind(st, 1, when);
    vgi_store_bind(st, 2, VG_VERSION);
    vgi_store_bind(st, 3, action);
    vgi_store_bind(st, 4, detail);
    vgi_store_bind(st, 5, prev);
    vgi_store_bind(st, 6, hash);
    rc = sqlite3_step(st) == SQLITE_DONE ? VG_OK : vgi_store_db_err(s, err, "writing the audit log");
    sqlite3_finalize(st);
    return rc;
}

vg_status vg_store_audit_verify(vg_store *s, uint64_t *entries, vg_error *err)
{
    sqlite3_stmt *st;
    char prev[65], want[65];
    uint64_t n = 0;
    vg_status rc = VG_OK;
    int step;

    memcpy(prev, zero_hash, 65);
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id,time,version,action,detail,prev,hash FROM audit ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return vgi_store_db_err(s, err, "reading the audit log");
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *f[6];
        for (int i = 0; i < 6; i++) {
            f[i] = (const char *)sqlite3_column_text(st, i + 1);
            if (!f[i])
                f[i] = "";
        }
        rc = chain_hash(prev, f[0], f[1], f[2], f[3], want, err);
        if (rc != VG_OK)
            break;
        if (strcmp(f[4], prev) != 0 || strcmp(f[5], want) != 0) {
            rc = vg_errorf(err, VG_ERR_CORRUPT,
                           "%s: audit entry %lld does not follow from the one before it",
                           s->path, (long long)sqlite3_column_int64(st, 0));
            break;
        }
        memcpy(prev, want, 65);
        n++;
    }
    if (rc == VG_OK && step != SQLITE_DONE)
        rc = vgi_store_db_err(s, err, "reading the audit log");
    sqlite3_finalize(st);
    if (entries)
        *entries = n;
    return rc;
}

vg_status vg_store_audit_foreach(vg_store *s, int (*fn)(const vg_audit_rec *e, void *ctx),
                                 void *ctx, vg_error *err)
{
    sqlite3_stmt *st;
    int step;

    if (sqlite3_prepare_v2(s->db,
                           "SELECT id,time,version,action,detail,hash FROM audit ORDER BY id", -1,
                           &st, NULL) != SQLITE_OK)
        return vgi_store_db_err(s, err, "reading the audit log");
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *f[5];
        for (int i = 0; i < 5; i++) {
            f[i] = (const char *)sqlite3_column_text(st, i + 1);
            if (!f[i])
                f[i] = "";
        }
        vg_audit_rec e = {sqlite3_column_int64(st, 0), f[0], f[1], f[2], f[3], f[4]};
        if (fn(&e, ctx)) {
            step = SQLITE_DONE;
            break;
        }
    }
    vg_status rc = step == SQLITE_DONE ? VG_OK : vgi_store_db_err(s, err, "reading the audit log");
    sqlite3_finalize(st);
    return rc;
}
