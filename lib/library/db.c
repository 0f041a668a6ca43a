/* db.c - opening a library file: schema, pragmas, default location. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "library_int.h"

/* Version 1. Entries carry their set id; the id column is the entry id the
 * indexes use. There is no index on the hash columns: lookups go through
 * the matcher's indexes, and an index per column would slow imports down. */
static const char schema_v1[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE sets("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " name TEXT NOT NULL UNIQUE,"
    " version INTEGER NOT NULL,"
    " source TEXT NOT NULL DEFAULT '',"
    " source_sha256 TEXT NOT NULL DEFAULT '',"
    " imported TEXT NOT NULL,"
    " updated TEXT NOT NULL,"
    " format TEXT NOT NULL DEFAULT '',"
    " scheme TEXT NOT NULL DEFAULT '',"
    " vics_version TEXT NOT NULL DEFAULT '',"
    " vics_context TEXT NOT NULL DEFAULT '',"
    " n_entries INTEGER NOT NULL DEFAULT 0,"
    " n_md5 INTEGER NOT NULL DEFAULT 0,"
    " n_sha1 INTEGER NOT NULL DEFAULT 0,"
    " n_sha256 INTEGER NOT NULL DEFAULT 0,"
    " n_pdq INTEGER NOT NULL DEFAULT 0,"
    " n_photodna INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE entries("
    " id INTEGER PRIMARY KEY,"
    " set_id INTEGER NOT NULL REFERENCES sets(id) ON DELETE CASCADE,"
    " md5 BLOB, sha1 BLOB, sha256 BLOB, pdq BLOB,"
    " pdq_quality INTEGER,"
    " size INTEGER,"
    " name TEXT,"
    " category TEXT NOT NULL,"
    " category_label TEXT NOT NULL,"
    " labels TEXT,"
    " photodna TEXT,"
    " updated TEXT);"
    "CREATE INDEX entries_set ON entries(set_id, id);";

vg_status vgi_lib_db_error(vg_library *lib, vg_error *err, const char *what)
{
    return vg_errorf(err, VG_ERR_DB, "%s: %s: %s", lib->path, what, sqlite3_errmsg(lib->db));
}

vg_status vgi_lib_exec(vg_library *lib, const char *sql, vg_error *err)
{
    char *msg = NULL;

    if (sqlite3_exec(lib->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        vg_errorf(err, VG_ERR_DB, "%s: %s", lib->path, msg ? msg : "SQL error");
        sqlite3_free(msg);
        return VG_ERR_DB;
    }
    return VG_OK;
}

vg_status vgi_lib_prepare(vg_library *lib, const char *sql, sqlite3_stmt **st, vg_error *err)
{
    if (sqlite3_prepare_v2(lib->db, sql, -1, st, NULL) != SQLITE_OK)
        return vgi_lib_db_error(lib, err, "prepare");
    return VG_OK;
}

void vgi_lib_rollback(vg_library *lib)
{
    sqlite3_exec(lib->db, "ROLLBACK", NULL, NULL, NULL);
}

void vgi_lib_utc_now(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

vg_status vg_library_default_path(char *buf, size_t len, vg_error *err)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    int n;

    /* The XDG spec says a relative XDG_DATA_HOME is invalid and is ignored. */
    if (xdg && xdg[0] == '/')
        n = snprintf(buf, len, "%s/vigil/library.db", xdg);
    else if (home && *home)
        n = snprintf(buf, len, "%s/.local/share/vigil/library.db", home);
    else
        return vg_errorf(err, VG_ERR_ARG, "neither XDG_DATA_HOME nor HOME is set: "
                                          "name the library with --library PATH");
    if (n < 0 || (size_t)n >= len)
        return vg_errorf(err, VG_ERR_ARG, "library path too long");
    return VG_OK;
}

int vg_set_name_valid(const char *name)
{
    size_t n = 0;

    if (!name || !*name || name[0] == '.' || name[0] == '-')
        return 0;
    for (; name[n]; n++) {
        char c = name[n];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-';
        if (!ok || n >= VG_SET_NAME_MAX)
            return 0;
    }
    return 1;
}

/* A random 128-bit id in hex; falls back to time and pid when /dev/urandom
 * is not there (the id only has to differ between library files). */
static void make_uuid(char out[33])
{
    unsigned char b[16];
    FILE *f = fopen("/dev/urandom", "rb");
    size_t got = f ? fread(b, 1, sizeof b, f) : 0;

    if (f)
        fclose(f);
    if (got != sizeof b) {
        unsigned long long x = (unsigned long long)time(NULL) * 6364136223846793005ULL ^
                               (unsigned long long)getpid();
        for (size_t i = 0; i < sizeof b; i++, x = x * 6364136223846793005ULL + 1442695040888963407ULL)
            b[i] = (unsigned char)(x >> 56);
    }
    for (size_t i = 0; i < sizeof b; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static vg_status create_schema(vg_library *lib, vg_error *err)
{
    char sql[256];
    vg_status st;

    make_uuid(lib->uuid);
    if ((st = vgi_lib_exec(lib, "BEGIN IMMEDIATE", err)) != VG_OK)
        return st;
    if ((st = vgi_lib_exec(lib, schema_v1, err)) != VG_OK)
        goto fail;
    snprintf(sql, sizeof sql,
             "INSERT INTO meta VALUES('schema_version','%d'),('library_id','%s'),"
             "('change_counter','0'),('created_by','vigil " VG_VERSION "')",
             VG_LIB_SCHEMA_VERSION, lib->uuid);
    if ((st = vgi_lib_exec(lib, sql, err)) != VG_OK)
        goto fail;
    return vgi_lib_exec(lib, "COMMIT", err);
fail:
    vgi_lib_rollback(lib);
    return st;
}

/* Reads meta key into out (size len); "" when absent. */
static vg_status meta_get(vg_library *lib, const char *key, char *out, size_t len, vg_error *err)
{
    sqlite3_stmt *st;
    vg_status s = vgi_lib_prepare(lib, "SELECT value FROM meta WHERE key=?", &st, err);

    if (s != VG_OK)
        return s;
    out[0] = '\0';
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(out, len, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return vgi_lib_db_error(lib, err, "read meta");
    return VG_OK;
}

static vg_status check_schema(vg_library *lib, vg_error *err)
{
    char ver[32];
    sqlite3_stmt *st;
    int has_meta;

    if (vgi_lib_prepare(lib, "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'", &st,
                    err) != VG_OK)
        return vg_errorf(err, VG_ERR_FORMAT, "%s: not a vigil library (%s)", lib->path,
                         sqlite3_errmsg(lib->db));
    has_meta = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    if (!has_meta || meta_get(lib, "schema_version", ver, sizeof ver, err) != VG_OK || !*ver)
        return vg_errorf(err, VG_ERR_FORMAT, "%s: not a vigil library (no schema version)",
                         lib->path);
    if (atoi(ver) != VG_LIB_SCHEMA_VERSION)
        return vg_errorf(err, VG_ERR_FORMAT,
                         "%s: library schema version %s, this vigil reads version %d", lib->path,
                         ver, VG_LIB_SCHEMA_VERSION);
    return meta_get(lib, "library_id", lib->uuid, sizeof lib->uuid, err);
}

/* Whether the file has no tables yet (new, or created empty by someone). */
static int db_is_empty(vg_library *lib)
{
    sqlite3_stmt *st;
    int empty = 0;

    if (sqlite3_prepare_v2(lib->db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL) ==
        SQLITE_OK) {
        empty = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 0;
        sqlite3_finalize(st);
    }
    return empty;
}

/* mkdir -p of path's directory (mode 0700: a library says what an agency
 * looks for); failures show up when SQLite opens the file. */
static void make_parent_dir(const char *path)
{
    char *dir = strdup(path);
    char *slash = dir ? strrchr(dir, '/') : NULL;

    if (slash && slash != dir) {
        *slash = '\0';
        for (char *p = dir + 1; *p; p++) {
            if (*p == '/') {
                *p = '\0';
                mkdir(dir, 0700);
                *p = '/';
            }
        }
        mkdir(dir, 0700);
    }
    free(dir);
}

static vg_status open_db(vg_library *lib, int create, vg_error *err)
{
    struct stat sb;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

    if (stat(lib->path, &sb) != 0) {
        if (!create)
            return vg_errorf(err, VG_ERR_OPEN, "%s: no library there (%s); 'vigil sets import' "
                                               "creates one", lib->path, strerror(errno));
        make_parent_dir(lib->path);
        flags |= SQLITE_OPEN_CREATE;
    }
    if (sqlite3_open_v2(lib->path, &lib->db, flags, NULL) != SQLITE_OK)
        return vg_errorf(err, VG_ERR_OPEN, "%s: cannot open library: %s", lib->path,
                         lib->db ? sqlite3_errmsg(lib->db) : "out of memory");
    sqlite3_busy_timeout(lib->db, 10000);
    sqlite3_extended_result_codes(lib->db, 1);
    return VG_OK;
}

vg_status vg_library_open(const char *path, int create, vg_library **out, vg_error *err)
{
    vg_library *lib;
    vg_status st;

    *out = NULL;
    if (!path || !*path)
        return vg_errorf(err, VG_ERR_ARG, "empty library path");
    if (!(lib = calloc(1, sizeof *lib)) || !(lib->path = strdup(path))) {
        free(lib);
        return vg_errorf(err, VG_ERR_NOMEM, "out of memory");
    }
    if ((st = open_db(lib, create, err)) != VG_OK)
        goto fail;
    /* journal_mode fails with SQLITE_NOTADB on a file that is not SQLite. */
    if (vgi_lib_exec(lib, "PRAGMA journal_mode=WAL", err) != VG_OK) {
        st = vg_errorf(err, VG_ERR_FORMAT, "%s: not a vigil library (%s)", path,
                       sqlite3_errmsg(lib->db));
        goto fail;
    }
    /* A big import passes through the WAL: without a size limit the file
     * keeps its largest size after the checkpoint. */
    if ((st = vgi_lib_exec(lib, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"
                                " PRAGMA journal_size_limit=67108864", err)) != VG_OK)
        goto fail;
    if (create && db_is_empty(lib))
        st = create_schema(lib, err);
    else
        st = check_schema(lib, err);
    if (st != VG_OK)
        goto fail;
    *out = lib;
    return VG_OK;
fail:
    vg_library_close(lib);
    return st;
}

void vg_library_close(vg_library *lib)
{
    if (!lib)
        return;
    sqlite3_close_v2(lib->db);
    free(lib->path);
    free(lib);
}

const char *vg_library_path(const vg_library *lib)
{
    return lib->path;
}

vg_status vgi_lib_next_version(vg_library *lib, int64_t *version, vg_error *err)
{
    sqlite3_stmt *st;
    vg_status s;

    if ((s = vgi_lib_exec(lib, "UPDATE meta SET value=CAST(value AS INTEGER)+1 "
                           "WHERE key='change_counter'", err)) != VG_OK)
        return s;
    if ((s = vgi_lib_prepare(lib, "SELECT CAST(value AS INTEGER) FROM meta "
                              "WHERE key='change_counter'", &st, err)) != VG_OK)
        return s;
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return vgi_lib_db_error(lib, err, "change counter");
    }
    *version = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return VG_OK;
}
