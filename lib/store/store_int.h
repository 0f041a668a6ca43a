/* store_int.h - what the files of lib/store share. */
#ifndef VIGIL_STORE_INT_H
#define VIGIL_STORE_INT_H

#include <sqlite3.h>

#include "vigil/store.h"

struct vg_store {
    sqlite3 *db;
    sqlite3_stmt *put_item, *put_match, *put_thumb;
    char path[4096];
};

/* VG_ERR_DB with the SQLite message, prefixed by what was being done. */
vg_status vgi_store_db_err(vg_store *s, vg_error *err, const char *doing);

/* Runs SQL that returns no rows. */
vg_status vgi_store_exec(vg_store *s, const char *sql, vg_error *err);

/* Binds text, or NULL when t is NULL. */
void vgi_store_bind(sqlite3_stmt *st, int i, const char *t);

/* Calls fn for each item the WHERE clause `where` selects (with matches and
 * review), in the order `order` gives; bind(st, ctx) binds its parameters. */
vg_status vgi_store_items_query(vg_store *s, const char *where, const char *order,
                                void (*bind)(sqlite3_stmt *st, const void *arg),
                                const void *arg, int (*fn)(const vg_item_rec *r, void *ctx),
                                void *ctx, vg_error *err);

#endif
