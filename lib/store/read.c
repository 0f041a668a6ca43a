/* read.c - reading a case back: summary counts and items, new images first. */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "vigil/util.h"

/* An image is a decoded-type item; NEW when it matched no set. */
#define IS_IMAGE "(file_type IS NOT NULL AND file_type<>'unknown')"

static vg_status count(vg_store *s, const char *sql, uint64_t *out, vg_error *err)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return vgi_store_db_err(s, err, "counting");
    rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? VG_OK : vgi_store_db_err(s, err, "counting");
}

vg_status vg_store_summary(vg_store *s, vg_case_summary *sum, vg_error *err)
{
    const struct {
        uint64_t *dst;
        const char *sql;
    } q[] = {
        {&sum->items, "SELECT count(*) FROM items"},
        {&sum->files, "SELECT count(*) FROM items WHERE item_type='file'"},
        {&sum->images, "SELECT count(*) FROM items WHERE " IS_IMAGE},
        {&sum->known, "SELECT count(*) FROM items WHERE n_matches>0"},
        {&sum->new_images, "SELECT count(*) FROM items WHERE n_matches=0 AND " IS_IMAGE},
        {&sum->matches, "SELECT count(*) FROM matches"},
        {&sum->deleted, "SELECT count(*) FROM items WHERE flags LIKE '%deleted%'"},
        {&sum->carved, "SELECT count(*) FROM items WHERE flags LIKE '%carved%'"},
        {&sum->errors, "SELECT count(*) FROM items WHERE status<>'ok'"},
        {&sum->duplicates, "SELECT count(*) - count(DISTINCT sha1) FROM items WHERE sha1 IS NOT NULL"},
        {&sum->evidence, "SELECT count(*) FROM evidence"},
        {&sum->clusters, "SELECT count(DISTINCT cluster) FROM items WHERE cluster IS NOT NULL"},
        {&sum->clustered, "SELECT count(*) FROM items WHERE cluster IS NOT NULL"},
        {&sum->steg_payload, "SELECT count(*) FROM items WHERE steg_verdict='payload'"},
        {&sum->steg_suspicious, "SELECT count(*) FROM items WHERE steg_verdict='suspicious'"},
    };
    vg_status st;

    memset(sum, 0, sizeof *sum);
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
        if ((st = count(s, q[i].sql, q[i].dst, err)) != VG_OK)
            return st;
    return VG_OK;
}

vg_status vg_store_known_by_category(vg_store *s,
                                     void (*fn)(const char *set, const char *category,
                                                const char *label, uint64_t n, void *ctx),
                                     void *ctx, vg_error *err)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(s->db,
                           "SELECT set_name, category, max(category_label),"
                           " count(DISTINCT item_id) FROM matches"
                           " GROUP BY set_name, category ORDER BY set_name, category",
                           -1, &st, NULL) != SQLITE_OK)
        return vgi_store_db_err(s, err, "counting matches");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn((const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
           (const char *)sqlite3_column_text(st, 2), (uint64_t)sqlite3_column_int64(st, 3), ctx);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? VG_OK : vgi_store_db_err(s, err, "counting matches");
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

static int64_t col_time(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? INT64_MIN : sqlite3_column_int64(st, i);
}

/* Loads the item's matches into a malloc'd array (free_matches frees it);
 * returns how many were read. */
static size_t load_matches(sqlite3_stmt *mq, int64_t item_id, vg_match_rec **out)
{
    size_t n = 0, cap = 0;
    vg_match_rec *v = NULL;

    /* The strings are copied: the next step of the statement frees its own. */
    sqlite3_reset(mq);
    sqlite3_bind_int64(mq, 1, item_id);
    while (sqlite3_step(mq) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4;
            vg_match_rec *nv = realloc(v, cap * sizeof *v);
            if (!nv)
                break;
            v = nv;
        }
        vg_match_rec *m = &v[n++];
        m->set = strdup(col_text(mq, 0) ? col_text(mq, 0) : "");
        m->kind = strdup(col_text(mq, 1) ? col_text(mq, 1) : "");
        m->distance = sqlite3_column_int(mq, 2);
        m->category = strdup(col_text(mq, 3) ? col_text(mq, 3) : "none");
        m->category_label = strdup(col_text(mq, 4) ? col_text(mq, 4) : "");
        m->labels = col_text(mq, 5) ? strdup(col_text(mq, 5)) : NULL;
    }
    *out = v;
    return n;
}

static void free_matches(vg_match_rec *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free((void *)v[i].set);
        free((void *)v[i].kind);
        free((void *)v[i].category);
        free((void *)v[i].category_label);
        free((void *)v[i].labels);
    }
    free(v);
}

static void row_to_item(sqlite3_stmt *st, vg_item_rec *r)
{
    int i = 1;
    const char *h;

    memset(r, 0, sizeof *r);
    r->evidence_id = sqlite3_column_int64(st, i++);
    r->seq = (uint64_t)sqlite3_column_int64(st, i++);
    r->sub = (uint32_t)sqlite3_column_int64(st, i++);
    r->parent_seq = (uint64_t)sqlite3_column_int64(st, i++);
    r->path = col_text(st, i++);
    r->name = col_text(st, i++);
    r->source = col_text(st, i++);
    r->item_type = col_text(st, i++);
    r->flags = col_text(st, i++);
    r->depth = (unsigned)sqlite3_column_int(st, i++);
    r->size = (uint64_t)sqlite3_column_int64(st, i++);
    r->offset = sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, i);
    i++;
    r->meta_addr = (uint64_t)sqlite3_column_int64(st, i++);
    r->mtime = col_time(st, i++);
    r->atime = col_time(st, i++);
    r->ctime = col_time(st, i++);
    r->crtime = col_time(st, i++);
    h = col_text(st, i);
    if (h && strlen(h) == 32 && vg_hex_decode(h, 16, r->digests.md5) == 0 &&
        col_text(st, i + 1) && vg_hex_decode(col_text(st, i + 1), 20, r->digests.sha1) == 0 &&
        col_text(st, i + 2) && vg_hex_decode(col_text(st, i + 2), 32, r->digests.sha256) == 0) {
        r->have_digests = 1;
        r->digests.size = r->size;
    }
    i += 3;
    r->file_type = col_text(st, i++);
    r->ext_mismatch = sqlite3_column_int(st, i++);
    r->width = (uint32_t)sqlite3_column_int64(st, i++);
    r->height = (uint32_t)sqlite3_column_int64(st, i++);
    h = col_text(st, i++);
    if (h && vg_pdq_from_hex(h, &r->pdq) == VG_OK) {
        r->have_pdq = 1;
        r->pdq_quality = sqlite3_column_int(st, i);
    }
    i++;
    r->status = col_text(st, i++);
    r->error = col_text(st, i++);
    r->n_matches = (size_t)sqlite3_column_int64(st, i++);
    r->cluster = (uint64_t)sqlite3_column_int64(st, i++);
    r->cluster_rep = sqlite3_column_int(st, i++);
    r->exif_make = col_text(st, i++);
    r->exif_model = col_text(st, i++);
    r->exif_datetime = col_text(st, i++);
    r->has_gps = sqlite3_column_type(st, i) != SQLITE_NULL;
    r->gps_lat = sqlite3_column_double(st, i++);
    r->gps_lon = sqlite3_column_double(st, i++);
    r->thumb_distance =
        sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_int(st, i);
    i++;
    r->steg_verdict = col_text(st, i++);
    r->steg_reason = col_text(st, i++);
    r->steg_scores = col_text(st, i++);
    r->review_category = col_text(st, i++);
    r->review_scheme = col_text(st, i++);
    r->review_by = col_text(st, i++);
    r->review_time = col_text(st, i++);
    r->has_thumb = sqlite3_column_int(st, i++);
    r->id = sqlite3_column_int64(st, 0);
}

vg_status vgi_store_items_query(vg_store *s, const char *where, const char *order,
                                void (*bind)(sqlite3_stmt *st, const void *arg),
                                const void *arg, int (*fn)(const vg_item_rec *r, void *ctx),
                                void *ctx, vg_error *err)
{
    static const char cols[] =
        "SELECT i.id,evidence_id,seq,sub,parent_seq,path,name,source,item_type,flags,depth,size,"
        "offset,meta_addr,mtime,atime,ctime,crtime,md5,sha1,sha256,file_type,ext_mismatch,"
        "width,height,pdq,pdq_quality,status,error,n_matches,cluster,cluster_rep,exif_make,exif_model,"
        "exif_datetime,gps_lat,gps_lon,thumb_distance,steg_verdict,steg_reason,steg_scores,"
        "r.category,r.scheme,r.examiner,r.time,"
        "EXISTS(SELECT 1 FROM thumbs t WHERE t.item_id=i.id)"
        " FROM items i LEFT JOIN reviews r ON r.item_id=i.id";
    sqlite3_stmt *st, *mq;
    vg_status rc = VG_OK;
    int step;
    char *sql = sqlite3_mprintf("%s%s%s%s%s", cols, where ? " WHERE " : "", where ? where : "",
                                order ? " ORDER BY " : "", order ? order : "");

    if (!sql)
        return vg_errorf(err, VG_ERR_NOMEM, "no memory for a query");
    step = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    sqlite3_free(sql);
    if (step != SQLITE_OK)
        return vgi_store_db_err(s, err, "reading items");
    if (sqlite3_prepare_v2(s->db,
                           "SELECT set_name,kind,distance,category,category_label,labels"
                           " FROM matches WHERE item_id=? ORDER BY kind,set_name,distance,rowid",
                           -1, &mq, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return vgi_store_db_err(s, err, "reading matches");
    }
    if (bind)
        bind(st, arg);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        vg_item_rec r;
        vg_match_rec *m = NULL;
        row_to_item(st, &r);
        if (r.n_matches) {
            r.n_matches = load_matches(mq, sqlite3_column_int64(st, 0), &m);
            r.matches = m;
        }
        int stop = fn(&r, ctx);
        free_matches(m, r.n_matches);
        if (stop)
            break;
    }
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = vgi_store_db_err(s, err, "reading items");
    sqlite3_finalize(mq);
    sqlite3_finalize(st);
    return rc;
}

vg_status vg_store_items_foreach(vg_store *s, int (*fn)(const vg_item_rec *r, void *ctx),
                                 void *ctx, vg_error *err)
{
    return vgi_store_items_query(s, NULL,
                                 "CASE WHEN n_matches=0 AND " IS_IMAGE " THEN 0"
                                 " WHEN n_matches>0 THEN 1 ELSE 2 END, evidence_id, seq, sub",
                                 NULL, NULL, fn, ctx, err);
}

static void bind_id(sqlite3_stmt *st, const void *arg)
{
    sqlite3_bind_int64(st, 1, *(const int64_t *)arg);
}

typedef struct get_ctx {
    int (*fn)(const vg_item_rec *r, void *ctx);
    void *ctx;
    int found;
} get_ctx;

static int got_item(const vg_item_rec *r, void *ctx)
{
    get_ctx *g = ctx;
    g->found = 1;
    g->fn(r, g->ctx);
    return 1;
}

vg_status vg_store_item_get(vg_store *s, int64_t id, int (*fn)(const vg_item_rec *r, void *ctx),
                            void *ctx, vg_error *err)
{
    get_ctx g = {fn, ctx, 0};
    vg_status st = vgi_store_items_query(s, "i.id=?", NULL, bind_id, &id, got_item, &g, err);
    if (st == VG_OK && !g.found)
        return vg_errorf(err, VG_ERR_NOTFOUND, "%s: no item %lld", s->path, (long long)id);
    return st;
}

vg_status vg_store_thumb_get(vg_store *s, int64_t item_id, uint8_t **jpeg, size_t *len,
                             vg_error *err)
{
    sqlite3_stmt *st;
    vg_status rc = VG_OK;
    int step;

    *jpeg = NULL;
    *len = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT jpeg FROM thumbs WHERE item_id=?", -1, &st, NULL) !=
        SQLITE_OK)
        return vgi_store_db_err(s, err, "reading a preview");
    sqlite3_bind_int64(st, 1, item_id);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        int n = sqlite3_column_bytes(st, 0);
        const void *b = sqlite3_column_blob(st, 0);
        *jpeg = malloc(n > 0 ? (size_t)n : 1);
        if (!*jpeg)
            rc = vg_errorf(err, VG_ERR_NOMEM, "no memory for a preview");
        else if (n > 0)
            memcpy(*jpeg, b, (size_t)n);
        *len = rc == VG_OK ? (size_t)n : 0;
    } else if (step == SQLITE_DONE) {
        rc = vg_errorf(err, VG_ERR_NOTFOUND, "%s: item %lld has no preview", s->path,
                       (long long)item_id);
    } else {
        rc = vgi_store_db_err(s, err, "reading a preview");
    }
    sqlite3_finalize(st);
    return rc;
}
