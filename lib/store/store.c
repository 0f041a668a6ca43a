/* store.c - opening a case, its schema and migrations, transactions.
 *
 * Schema history (VG_STORE_SCHEMA_VERSION): 1 = meta, evidence, items,
 * matches, audit; 2 = + thumbs (previews made during the scan) and reviews
 * (the examiner's categories). A migration adds to this list and to
 * migrate(); a case from a newer vigil is refused rather than half
 * understood. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store_int.h"

static const char schema_v1[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE evidence("
    " id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, options TEXT NOT NULL,"
    " state TEXT NOT NULL DEFAULT 'scanning', added TEXT NOT NULL);"
    "CREATE TABLE items("
    " id INTEGER PRIMARY KEY, evidence_id INTEGER NOT NULL REFERENCES evidence(id),"
    " seq INTEGER NOT NULL, sub INTEGER NOT NULL DEFAULT 0, parent_seq INTEGER NOT NULL, path TEXT NOT NULL, name TEXT,"
    " source TEXT, item_type TEXT, flags TEXT, depth INTEGER, size INTEGER,"
    " offset INTEGER, meta_addr INTEGER, mtime INTEGER, atime INTEGER, ctime INTEGER,"
    " crtime INTEGER, md5 TEXT, sha1 TEXT, sha256 TEXT, file_type TEXT,"
    " ext_mismatch INTEGER, width INTEGER, height INTEGER, pdq TEXT, pdq_quality INTEGER,"
    " status TEXT NOT NULL, error TEXT, n_matches INTEGER NOT NULL DEFAULT 0,"
    " cluster INTEGER, cluster_rep INTEGER, exif_make TEXT, exif_model TEXT, exif_datetime TEXT,"
    " gps_lat REAL, gps_lon REAL, thumb_distance INTEGER,"
    " steg_verdict TEXT, steg_reason TEXT, steg_scores TEXT,"
    " UNIQUE(evidence_id, seq, sub));"
    "CREATE INDEX items_sha1 ON items(sha1);"
    "CREATE TABLE matches("
    " item_id INTEGER NOT NULL REFERENCES items(id), set_name TEXT NOT NULL,"
    " kind TEXT NOT NULL, distance INTEGER NOT NULL, category TEXT, category_label TEXT,"
    " labels TEXT);"
    "CREATE INDEX matches_item ON matches(item_id);"
    "CREATE TABLE audit("
    " id INTEGER PRIMARY KEY, time TEXT NOT NULL, version TEXT NOT NULL,"
    " action TEXT NOT NULL, detail TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL);";

/* Added in 2. A version-1 case gains the tables when next opened: its items
 * simply have no previews and no reviews yet. */
static const char schema_v2[] =
    "CREATE TABLE thumbs(item_id INTEGER PRIMARY KEY REFERENCES items(id),"
    " jpeg BLOB NOT NULL);"
    "CREATE TABLE reviews(item_id INTEGER PRIMARY KEY REFERENCES items(id),"
    " category TEXT NOT NULL, scheme TEXT NOT NULL, examiner TEXT NOT NULL,"
    " time TEXT NOT NULL);"
    "UPDATE meta SET value='2' WHERE key='schema_version';";

vg_status vgi_store_db_err(vg_store *s, vg_error *err, const char *doing)
{
    return vg_errorf(err, VG_ERR_DB, "%s: %s: %s", s->path, doing, sqlite3_errmsg(s->db));
}

vg_status vgi_store_exec(vg_store *s, const char *sql, vg_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        vg_errorf(err, VG_ERR_DB, "%s: %s", s->path, msg ? msg : "SQL failed");
        sqlite3_free(msg);
        return VG_ERR_DB;
    }
    return VG_OK;
}

void vgi_store_bind(sqlite3_stmt *st, int i, const char *t)
{
    if (t)
        sqlite3_bind_text(st, i, t, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static int schema_version(vg_store *s)
{
    sqlite3_stmt *st;
    int v = -1;

    if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key='schema_version'", -1, &st,
                           NULL) != SQLITE_OK) {
        /* no meta table: a new file (0), or some other database (-1) */
        if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL) !=
            SQLITE_OK)
            return -1;
        v = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 0 ? 0 : -1;
        sqlite3_finalize(st);
        return v;
    }
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static vg_status migrate(vg_store *s, int create, vg_error *err)
{
    int v = schema_version(s);
    vg_status st;

    if (v == VG_STORE_SCHEMA_VERSION)
        return VG_OK;
    if (v > VG_STORE_SCHEMA_VERSION)
        return vg_errorf(err, VG_ERR_FORMAT, "%s: case schema %d is newer than this vigil (%d)",
                         s->path, v, VG_STORE_SCHEMA_VERSION);
    if (v < 0 || (v == 0 && !create))
        return vg_errorf(err, VG_ERR_FORMAT, "%s: not a vigil case", s->path);
    if ((st = vgi_store_exec(s, "BEGIN IMMEDIATE", err)) != VG_OK)
        return st;
    /* another process may have migrated while this one waited for the lock */
    if ((v = schema_version(s)) == VG_STORE_SCHEMA_VERSION)
        return vgi_store_exec(s, "COMMIT", err);
    /* v == 0: a new, empty file */
    if (v == 0)
        st = vgi_store_exec(s, schema_v1, err);
    if (st == VG_OK && v == 0)
        st = vgi_store_exec(s, "INSERT INTO meta VALUES('schema_version','1'),"
                         "('created',strftime('%Y-%m-%dT%H:%M:%SZ','now'))", err);
    if (st == VG_OK)
        st = vgi_store_exec(s, schema_v2, err);
    if (st == VG_OK)
        return vgi_store_exec(s, "COMMIT", err);
    vgi_store_exec(s, "ROLLBACK", NULL);
    return st;
}

static vg_status prepare(vg_store *s, vg_error *err)
{
    static const char put_item[] =
        "INSERT INTO items(evidence_id,seq,sub,parent_seq,path,name,source,item_type,flags,"
        "depth,size,offset,meta_addr,mtime,atime,ctime,crtime,md5,sha1,sha256,file_type,"
        "ext_mismatch,width,height,pdq,pdq_quality,status,error,n_matches,exif_make,"
        "exif_model,exif_datetime,gps_lat,gps_lon,thumb_distance,steg_verdict,steg_reason,"
        "steg_scores)"
        " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
    static const char put_thumb[] = "INSERT INTO thumbs(item_id,jpeg) VALUES(?,?)";
    static const char put_match[] =
        "INSERT INTO matches(item_id,set_name,kind,distance,category,category_label,labels)"
        " VALUES(?,?,?,?,?,?,?)";
    if (sqlite3_prepare_v2(s->db, put_item, -1, &s->put_item, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, put_match, -1, &s->put_match, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, put_thumb, -1, &s->put_thumb, NULL) != SQLITE_OK)
        return vgi_store_db_err(s, err, "preparing statements");
    return VG_OK;
}

vg_status vg_store_open(const char *path, int create, vg_store **out, vg_error *err)
{
    vg_store *s;
    struct stat sb;
    vg_status st;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX;

    *out = NULL;
    if (!create && stat(path, &sb) != 0)
        return vg_errorf(err, VG_ERR_NOTFOUND, "%s: no such case", path);
    if (create)
        flags |= SQLITE_OPEN_CREATE;
    s = calloc(1, sizeof *s);
    if (!s)
        return vg_errorf(err, VG_ERR_NOMEM, "no memory to open %s", path);
    snprintf(s->path, sizeof s->path, "%s", path);
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        st = vg_errorf(err, VG_ERR_OPEN, "%s: cannot open case: %s", path,
                       s->db ? sqlite3_errmsg(s->db) : "out of memory");
        vg_store_close(s);
        return st;
    }
    sqlite3_busy_timeout(s->db, 10000);
    /* WAL + synchronous=NORMAL: a killed process loses no committed
     * transaction; only a power cut may lose the last ones, which a resume
     * then redoes. */
    st = vgi_store_exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                     "PRAGMA foreign_keys=ON;", err);
    if (st == VG_OK)
        st = migrate(s, create, err);
    if (st == VG_OK)
        st = prepare(s, err);
    if (st != VG_OK) {
        vg_store_close(s);
        return st;
    }
    *out = s;
    return VG_OK;
}

void vg_store_close(vg_store *s)
{
    if (!s)
        return;
    sqlite3_finalize(s->put_item);
    sqlite3_finalize(s->put_match);
    sqlite3_finalize(s->put_thumb);
    sqlite3_close(s->db);
    free(s);
}

vg_status vg_store_begin(vg_store *s, vg_error *err)
{
    return vgi_store_exec(s, "BEGIN IMMEDIATE", err);
}

vg_status vg_store_commit(vg_store *s, vg_error *err)
{
    return vgi_store_exec(s, "COMMIT", err);
}

vg_status vg_store_rollback(vg_store *s, vg_error *err)
{
    return vgi_store_exec(s, "ROLLBACK", err);
}
