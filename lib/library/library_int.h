/* library_int.h - what the library's files share: the handle, SQL helpers. */
#ifndef VIGIL_LIBRARY_INT_H
#define VIGIL_LIBRARY_INT_H

#include <sqlite3.h>

#include "vigil/library.h"

struct vg_library {
    sqlite3 *db;
    char *path;
    char uuid[33]; /* random id of this library file, for the index cache */
};

/* Separator of labels in the entries.labels column. A label holding it has
 * it replaced by a space on the way in. */
#define VGI_LABEL_SEP '\x1f'

/* Sets err from the database's last error, prefixed with what was being done. */
vg_status vgi_lib_db_error(vg_library *lib, vg_error *err, const char *what);

/* Runs one or more statements without results. */
vg_status vgi_lib_exec(vg_library *lib, const char *sql, vg_error *err);

/* Prepares sql; on error fills err. */
vg_status vgi_lib_prepare(vg_library *lib, const char *sql, sqlite3_stmt **st, vg_error *err);

/* Id of set name (VG_ERR_NOTFOUND "no set named 'x'" when absent). */
vg_status vgi_lib_set_id(vg_library *lib, const char *name, int64_t *id, vg_error *err);

/* Takes the next value of the library-wide change counter: the new version
 * of a set being changed. Call inside a write transaction. */
vg_status vgi_lib_next_version(vg_library *lib, int64_t *version, vg_error *err);

/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ". */
void vgi_lib_utc_now(char out[32]);

/* Rolls back the open transaction (errors ignored: the original error wins). */
void vgi_lib_rollback(vg_library *lib);

/* Prepared insert of one entry (set_id, hashes, ...); bind and step it with
 * vgi_lib_insert_entry. */
#define VGI_INSERT_ENTRY_SQL                                                              \
    "INSERT INTO entries(set_id,md5,sha1,sha256,pdq,pdq_quality,size,name,category,"     \
    "category_label,labels,photodna,updated) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)"

/* Binds e to st (prepared from VGI_INSERT_ENTRY_SQL) and runs it. buf is
 * scratch space for the joined labels, grown as needed (free it after). */
vg_status vgi_lib_insert_entry(vg_library *lib, sqlite3_stmt *st, int64_t set_id,
                           const vg_hs_entry *e, char **buf, size_t *cap, vg_error *err);

/* Counts of one set kept in the sets row, updated per entry added/removed. */
typedef struct vgi_counts {
    int64_t entries, md5, sha1, sha256, pdq, photodna;
} vgi_counts;

void vgi_lib_counts_add(vgi_counts *c, unsigned has, int64_t sign);

/* Adds c to the set's counters, sets its version and updated time. */
vg_status vgi_lib_set_touch(vg_library *lib, int64_t set_id, const vgi_counts *c, vg_error *err);

#endif
