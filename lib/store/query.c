/* query.c - the review listing: items by section with filters and paging,
 * section counts, cluster members and provenance chains, in SQL against the
 * case (values always bound, never spliced). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "vigil/store_query.h"

#define ORDER_MAX 64 /* scheme codes used for the known section's order */
#define CHAIN_MAX 64

#define IMG "(i.file_type IS NOT NULL AND i.file_type<>'unknown' AND coalesce(i.width,0)>0" \
            " AND i.status='ok')"
/* The review fields of every file; section numbers as vg_section. */
#define BASE                                                                              \
    "base AS (SELECT i.id AS id, i.evidence_id AS ev, i.seq AS seq, i.sub AS sub,"        \
    " i.path AS path, i.name AS name, i.file_type AS ft, coalesce(i.width,0) AS w,"       \
    " coalesce(i.height,0) AS h, i.size AS size, i.status AS status, i.flags AS flags,"   \
    " i.steg_verdict AS steg, coalesce(i.cluster,0) AS cl, coalesce(i.cluster_rep,0) AS rep," \
    " i.n_matches AS nm, r.category AS rc,"                                               \
    " CASE WHEN NOT " IMG " THEN 3 WHEN coalesce(i.cluster,0)>0 THEN 1"                   \
    " WHEN i.n_matches=0 THEN 0 ELSE 2 END AS sec"                                        \
    " FROM items i LEFT JOIN reviews r ON r.item_id=i.id"                                 \
    " WHERE coalesce(i.item_type,'file')='file')"

/* SQL text and what to bind, built together so that numbering cannot drift. */
typedef struct qb {
    char sql[8192];
    size_t len;
    int overflow;
    struct {
        int is_int;
        int64_t i;
        const char *t;
    } arg[2 * ORDER_MAX + 16];
    int n;
} qb;

static void add(qb *b, const char *s)
{
    size_t n = strlen(s);
    if (b->len + n >= sizeof b->sql) {
        b->overflow = 1;
        return;
    }
    memcpy(b->sql + b->len, s, n + 1);
    b->len += n;
}

/* Appends s, whose '?' is bound to text t (or integer i when t is NULL). */
static void add_arg(qb *b, const char *s, const char *t, int64_t i)
{
    char num[24];
    const char *q = strchr(s, '?');

    if (!q || b->n >= (int)(sizeof b->arg / sizeof b->arg[0])) {
        b->overflow = 1;
        return;
    }
    b->arg[b->n].is_int = !t;
    b->arg[b->n].t = t;
    b->arg[b->n].i = i;
    b->n++;
    snprintf(num, sizeof num, "?%d", b->n);
    for (const char *p = s; p < q; p++) {
        char c[2] = {*p, 0};
        add(b, c);
    }
    add(b, num);
    add(b, q + 1);
}

static void bind_all(sqlite3_stmt *st, const qb *b)
{
    for (int k = 0; k < b->n; k++) {
        if (b->arg[k].is_int)
            sqlite3_bind_int64(st, k + 1, b->arg[k].i);
        else
            sqlite3_bind_text(st, k + 1, b->arg[k].t, -1, SQLITE_STATIC);
    }
}

/* The rank of a match category in scheme order (m: the matches alias). */
static void add_rank(qb *b, const char *col, const vg_scheme_order *o)
{
    size_t n = o ? (o->n < ORDER_MAX ? o->n : ORDER_MAX) : 0;
    char num[32];

    if (!n) {
        add(b, "0");
        return;
    }
    add(b, "CASE ");
    add(b, col);
    for (size_t k = 0; k < n; k++) {
        snprintf(num, sizeof num, " THEN %zu", k);
        add_arg(b, " WHEN ?", o->codes[k], 0);
        add(b, num);
    }
    snprintf(num, sizeof num, " ELSE %zu END", n);
    add(b, num);
}

/* Whether f narrows by the item's own facts: then a cluster's members that
 * qualify are listed too (a deleted picture must not hide behind the
 * representative of its cluster), not the representative alone. */
static int narrowed(const vg_item_filter *f)
{
    return f->set[0] || f->match_category[0] || f->category[0] || f->steg[0] || f->flag ||
           f->type[0] || f->errors || f->q[0];
}

static void add_section(qb *b, const vg_item_filter *f)
{
    const char *reps = narrowed(f) ? "" : " AND (b.sec<>1 OR b.rep=1)";

    switch (f->section) {
    case VG_SEC_NEW: add(b, " AND b.sec=0"); break;
    case VG_SEC_CLUSTER: add(b, " AND b.sec=1"); add(b, narrowed(f) ? "" : " AND b.rep=1"); break;
    case VG_SEC_KNOWN: add(b, " AND b.sec=2"); break;
    case VG_SEC_OTHER: add(b, " AND b.sec=3"); break;
    case VG_SEC_ALL: add(b, reps); break;
    default:
        if (!f->errors && !f->q[0])
            add(b, " AND b.sec IN (0,1,2)");
        add(b, reps);
    }
}

static void add_where(qb *b, const vg_item_filter *f)
{
    add(b, " WHERE 1");
    if (f->id > 0)
        add_arg(b, " AND b.id=?", NULL, f->id);
    else if (f->cluster)
        add_arg(b, " AND b.cl=?", NULL, (int64_t)f->cluster);
    else
        add_section(b, f);
    if (f->set[0] || f->match_category[0]) {
        add(b, " AND EXISTS(SELECT 1 FROM matches x WHERE x.item_id=b.id");
        if (f->set[0])
            add_arg(b, " AND x.set_name=?", f->set, 0);
        if (f->match_category[0])
            add_arg(b, " AND x.category=?", f->match_category, 0);
        add(b, ")");
    }
    if (strcmp(f->category, "none") == 0)
        add(b, " AND b.rc IS NULL");
    else if (f->category[0])
        add_arg(b, " AND b.rc=?", f->category, 0);
    if (f->steg[0])
        add_arg(b, " AND b.steg=?", f->steg, 0);
    if (f->flag)
        add(b, f->flag == VG_FLAG_DELETED ? " AND instr(b.flags,'deleted')>0"
                                          : " AND instr(b.flags,'carved')>0");
    if (f->type[0])
        add_arg(b, " AND b.ft=?", f->type, 0);
    if (f->errors)
        add(b, " AND b.status<>'ok'");
    if (f->q[0])
        add_arg(b, " AND instr(lower(b.path),lower(?))>0", f->q, 0);
}

static vg_status prepare_qb(vg_store *s, const qb *b, sqlite3_stmt **st, vg_error *err)
{
    if (b->overflow)
        return vg_errorf(err, VG_ERR_INTERNAL, "%s: listing query too long", s->path);
    if (sqlite3_prepare_v2(s->db, b->sql, -1, st, NULL) != SQLITE_OK)
        return vgi_store_db_err(s, err, "listing items");
    bind_all(*st, b);
    return VG_OK;
}

static vg_status count_total(vg_store *s, const vg_item_filter *f, uint64_t *total,
                             vg_error *err)
{
    qb b = {0};
    sqlite3_stmt *st;
    vg_status rc;

    add(&b, "WITH " BASE " SELECT count(*) FROM base b");
    add_where(&b, f);
    if ((rc = prepare_qb(s, &b, &st, err)) != VG_OK)
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW)
        *total = (uint64_t)sqlite3_column_int64(st, 0);
    else
        rc = vgi_store_db_err(s, err, "counting items");
    sqlite3_finalize(st);
    return rc;
}

static const char *ctext(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

static void row_to_list(sqlite3_stmt *st, vg_list_item *it, vg_match_rec *m)
{
    memset(it, 0, sizeof *it);
    it->id = sqlite3_column_int64(st, 0);
    it->evidence_id = sqlite3_column_int64(st, 1);
    it->seq = (uint64_t)sqlite3_column_int64(st, 2);
    it->sub = (uint32_t)sqlite3_column_int64(st, 3);
    it->path = ctext(st, 4);
    it->name = ctext(st, 5);
    it->file_type = ctext(st, 6);
    it->width = (uint32_t)sqlite3_column_int64(st, 7);
    it->height = (uint32_t)sqlite3_column_int64(st, 8);
    it->size = (uint64_t)sqlite3_column_int64(st, 9);
    it->status = ctext(st, 10);
    it->flags = ctext(st, 11);
    it->steg = ctext(st, 12);
    it->cluster = (uint64_t)sqlite3_column_int64(st, 13);
    it->rep = sqlite3_column_int(st, 14) != 0;
    it->category = ctext(st, 16);
    it->section = sqlite3_column_int(st, 17);
    it->cluster_size = (uint64_t)sqlite3_column_int64(st, 18);
    it->has_thumb = sqlite3_column_int(st, 19) != 0;
    if (sqlite3_column_type(st, 20) != SQLITE_NULL) {
        memset(m, 0, sizeof *m);
        m->set = ctext(st, 20);
        m->kind = ctext(st, 21);
        m->distance = sqlite3_column_int(st, 22);
        m->category = ctext(st, 23);
        m->category_label = ctext(st, 24);
        m->labels = ctext(st, 25);
        it->match = m;
    }
}

vg_status vg_store_query_items(vg_store *s, const vg_item_filter *f, const vg_scheme_order *order,
                               int (*fn)(const vg_list_item *it, void *ctx), void *ctx,
                               uint64_t *total, vg_error *err)
{
    qb b = {0};
    sqlite3_stmt *st;
    vg_status rc;
    int step;

    if (total && (rc = count_total(s, f, total, err)) != VG_OK)
        return rc;
    /* The page's ids are found sorting only the keys (and the best match's
     * rank); the rows are read for those ids alone. */
    add(&b, "WITH " BASE ", cs AS (SELECT cluster AS c, count(*) AS n FROM items"
            " WHERE cluster>0 GROUP BY cluster), keys AS (SELECT b.id AS id, b.sec AS sec,"
            " b.cl AS cl, b.rep AS rep, b.ev AS ev, b.seq AS seq, b.sub AS sub, CASE WHEN b.nm>0 THEN"
            " (SELECT m.rowid FROM matches m WHERE m.item_id=b.id ORDER BY ");
    add_rank(&b, "m.category", order);
    add(&b, ", m.kind='pdq', m.distance, m.rowid LIMIT 1) END AS best FROM base b");
    add_where(&b, f);
    add(&b, "), pg AS (SELECT k.*, ");
    add_rank(&b, "m.category", order);
    add(&b, " AS rk FROM keys k LEFT JOIN matches m ON m.rowid=k.best"
            " ORDER BY k.sec, CASE WHEN k.sec=2 THEN rk ELSE 0 END, k.cl, k.rep=0, k.ev, k.seq, k.sub");
    add_arg(&b, " LIMIT ?", NULL, (int64_t)f->limit);
    add_arg(&b, " OFFSET ?", NULL, (int64_t)f->offset);
    add(&b, ") SELECT p.id,p.ev,p.seq,p.sub,i.path,i.name,i.file_type,coalesce(i.width,0),"
            "coalesce(i.height,0),i.size,i.status,i.flags,i.steg_verdict,p.cl,p.rep,i.n_matches,"
            "(SELECT category FROM reviews r WHERE r.item_id=p.id),p.sec,"
            "CASE WHEN p.cl>0 THEN (SELECT n FROM cs WHERE cs.c=p.cl) ELSE 0 END,"
            "EXISTS(SELECT 1 FROM thumbs t WHERE t.item_id=p.id),"
            "m.set_name,m.kind,m.distance,m.category,m.category_label,m.labels"
            " FROM pg p JOIN items i ON i.id=p.id LEFT JOIN matches m ON m.rowid=p.best"
            " ORDER BY p.sec, CASE WHEN p.sec=2 THEN p.rk ELSE 0 END, p.cl, p.rep=0, p.ev, p.seq, p.sub");
    if ((rc = prepare_qb(s, &b, &st, err)) != VG_OK)
        return rc;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        vg_list_item it;
        vg_match_rec m;
        row_to_list(st, &it, &m);
        if (fn(&it, ctx))
            break;
    }
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = vgi_store_db_err(s, err, "listing items");
    sqlite3_finalize(st);
    return rc;
}

vg_status vg_store_review_counts(vg_store *s, vg_review_counts *c, vg_error *err)
{
    static const char sql[] =
        "WITH " BASE " SELECT coalesce(sum(sec=0),0), count(DISTINCT CASE WHEN sec=1 THEN cl END),"
        " coalesce(sum(sec=2),0), coalesce(sum(sec=3),0), coalesce(sum(status<>'ok'),0),"
        " coalesce(sum(rc IS NOT NULL),0), count(*) FROM base";
    sqlite3_stmt *st;
    int rc;

    memset(c, 0, sizeof *c);
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return vgi_store_db_err(s, err, "counting sections");
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        uint64_t *dst[] = {&c->new_items, &c->clusters, &c->known, &c->other,
                           &c->errors, &c->categorised, &c->items};
        for (int k = 0; k < 7; k++)
            *dst[k] = (uint64_t)sqlite3_column_int64(st, k);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? VG_OK : vgi_store_db_err(s, err, "counting sections");
}

vg_status vg_store_distinct(vg_store *s, const char *what, void (*fn)(const char *v, void *ctx),
                            void *ctx, vg_error *err)
{
    const char *sql;
    sqlite3_stmt *st;
    int rc;

    if (strcmp(what, "sets") == 0)
        sql = "SELECT DISTINCT set_name FROM matches ORDER BY 1";
    else if (strcmp(what, "types") == 0)
        sql = "SELECT DISTINCT file_type FROM items WHERE file_type IS NOT NULL"
              " AND coalesce(item_type,'file')='file' ORDER BY 1";
    else
        return vg_errorf(err, VG_ERR_ARG, "no list of %s", what);
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return vgi_store_db_err(s, err, "listing values");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (ctext(st, 0))
            fn(ctext(st, 0), ctx);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? VG_OK : vgi_store_db_err(s, err, "listing values");
}

static vg_status members_stmt(vg_store *s, uint64_t cluster, sqlite3_stmt **st, vg_error *err)
{
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, path FROM items WHERE cluster=?"
                           " ORDER BY coalesce(cluster_rep,0)=0, evidence_id, seq, sub",
                           -1, st, NULL) != SQLITE_OK)
        return vgi_store_db_err(s, err, "reading a cluster");
    sqlite3_bind_int64(*st, 1, (int64_t)cluster);
    return VG_OK;
}

vg_status vg_store_cluster_members(vg_store *s, uint64_t cluster, size_t max,
                                   int (*fn)(int64_t id, const char *path, void *ctx), void *ctx,
                                   uint64_t *total, vg_error *err)
{
    sqlite3_stmt *st;
    vg_status rc;
    uint64_t n = 0;
    int step, stop = 0;

    if ((rc = members_stmt(s, cluster, &st, err)) != VG_OK)
        return rc;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (!stop && n < max)
            stop = fn(sqlite3_column_int64(st, 0), ctext(st, 1) ? ctext(st, 1) : "", ctx);
        n++;
    }
    sqlite3_finalize(st);
    if (total)
        *total = n;
    return step == SQLITE_DONE ? VG_OK : vgi_store_db_err(s, err, "reading a cluster");
}

vg_status vg_store_cluster_ids(vg_store *s, uint64_t cluster, int64_t **ids, size_t *n,
                               vg_error *err)
{
    sqlite3_stmt *st;
    vg_status rc;
    size_t cap = 0;
    int step;

    *ids = NULL;
    *n = 0;
    if ((rc = members_stmt(s, cluster, &st, err)) != VG_OK)
        return rc;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            int64_t *nv = realloc(*ids, cap * sizeof **ids);
            if (!nv) {
                sqlite3_finalize(st);
                free(*ids);
                *ids = NULL;
                *n = 0;
                return vg_errorf(err, VG_ERR_NOMEM, "no memory for a cluster's members");
            }
            *ids = nv;
        }
        (*ids)[(*n)++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return step == SQLITE_DONE ? VG_OK : vgi_store_db_err(s, err, "reading a cluster");
}

typedef struct link {
    char *name;
    uint64_t seq;
} link;

/* Reads (name, parent_seq) of (ev, seq, sub) into *l; 0 when found. */
static int read_link(sqlite3_stmt *st, int64_t ev, uint64_t seq, uint32_t sub, link *l,
                     uint64_t *parent)
{
    const char *name;

    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, ev);
    sqlite3_bind_int64(st, 2, (int64_t)seq);
    sqlite3_bind_int64(st, 3, sub);
    if (sqlite3_step(st) != SQLITE_ROW)
        return -1;
    name = ctext(st, 0);
    l->name = strdup(name ? name : "");
    l->seq = seq;
    *parent = (uint64_t)sqlite3_column_int64(st, 1);
    return l->name ? 0 : -1;
}

vg_status vg_store_item_chain(vg_store *s, int64_t id,
                              void (*fn)(const char *name, uint64_t seq, void *ctx), void *ctx,
                              vg_error *err)
{
    sqlite3_stmt *st;
    link chain[CHAIN_MAX];
    size_t n = 0;
    int64_t ev = 0;
    uint64_t seq = 0, parent = 0;
    uint32_t sub = 0;
    int found = 0;

    if (sqlite3_prepare_v2(s->db, "SELECT evidence_id, seq, sub FROM items WHERE id=?", -1, &st,
                           NULL) != SQLITE_OK)
        return vgi_store_db_err(s, err, "reading an item");
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        found = 1;
        ev = sqlite3_column_int64(st, 0);
        seq = (uint64_t)sqlite3_column_int64(st, 1);
        sub = (uint32_t)sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    if (!found)
        return vg_errorf(err, VG_ERR_NOTFOUND, "no item %lld", (long long)id);
    if (sqlite3_prepare_v2(s->db,
                           "SELECT name, parent_seq FROM items WHERE evidence_id=? AND seq=?"
                           " AND sub=?", -1, &st, NULL) != SQLITE_OK)
        return vgi_store_db_err(s, err, "reading a chain");
    /* a sub-item lies inside its walked item; walked items inside their parents */
    while (n < CHAIN_MAX && read_link(st, ev, seq, sub, &chain[n], &parent) == 0) {
        n++;
        if (sub) {
            sub = 0;
            continue;
        }
        if (!parent || parent >= seq)
            break;
        seq = parent;
    }
    sqlite3_finalize(st);
    for (size_t k = n; k-- > 0;) {
        fn(chain[k].name, chain[k].seq, ctx);
        free(chain[k].name);
    }
    return VG_OK;
}
