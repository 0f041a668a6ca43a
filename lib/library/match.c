/* match.c - looking one file's hashes up in a matcher's sets, with each
 * match's category and labels read back from the library. */
#include <stdlib.h>
#include <string.h>

#include "matcher_int.h"

static const char *const kind_names[] = {"md5", "sha1", "sha256", "pdq"};

const char *vg_match_kind_name(vg_match_kind k)
{
    return (unsigned)k < 4 ? kind_names[k] : "?";
}

void vg_match_opts_init(vg_match_opts *o)
{
    o->radius = VG_PDQ_DEFAULT_RADIUS;
    o->dihedral = 0;
    o->min_quality = VG_PDQ_DEFAULT_MIN_QUALITY;
}

static void list_reset(vg_match_list *l)
{
    if (l->arena) {
        for (size_t i = 0; i < l->arena->n; i++)
            free(l->arena->blocks[i]);
        l->arena->n = 0;
    }
    l->n = 0;
    l->pdq_skipped = 0;
}

void vg_match_list_free(vg_match_list *l)
{
    list_reset(l);
    if (l->arena) {
        free(l->arena->blocks);
        free(l->arena->ids);
        vg_pdq_results_free(&l->arena->pr);
    }
    free(l->arena);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* Copies the strings of the entry row into one block: labels pointer array
 * first (aligned by malloc), then category, label, name and labels text. */
static void *entry_block(sqlite3_stmt *q, vg_match *mt)
{
    const char *cat = (const char *)sqlite3_column_text(q, 0);
    if (!cat) /* NOT NULL in the schema, but the file is input like any other */
        cat = "none";
    const char *lab = (const char *)sqlite3_column_text(q, 1);
    const char *labels = (const char *)sqlite3_column_text(q, 2);
    const char *name = (const char *)sqlite3_column_text(q, 3);
    size_t nl = 0, lc = cat ? strlen(cat) : 0, ll = lab ? strlen(lab) : 0;
    size_t lsl = labels ? strlen(labels) : 0, nm = name ? strlen(name) : 0;

    if (labels && *labels) {
        nl = 1;
        for (const char *p = labels; *p; p++)
            nl += *p == VGI_LABEL_SEP;
    }
    char *blk = malloc(nl * sizeof(char *) + lc + ll + lsl + nm + 4);
    if (!blk)
        return NULL;
    const char **lv = (const char **)(void *)blk;
    char *p = blk + nl * sizeof(char *);
    mt->category = memcpy(p, cat ? cat : "", lc + 1);
    p += lc + 1;
    mt->category_label = memcpy(p, lab ? lab : "", ll + 1);
    p += ll + 1;
    mt->name = name ? memcpy(p, name, nm + 1) : NULL;
    p += nm + 1;
    memcpy(p, labels ? labels : "", lsl + 1);
    for (size_t i = 0; i < nl; i++) {
        lv[i] = p;
        p += strcspn(p, "\x1f");
        *p++ = '\0';
    }
    mt->labels = lv;
    mt->n_labels = nl;
    return blk;
}

static int arena_keep(vg_match_list *l, void *blk)
{
    struct vg_ml_arena *a = l->arena;

    if (a->n == a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 16;
        void **nb = realloc(a->blocks, cap * sizeof *nb);
        if (!nb)
            return -1;
        a->blocks = nb;
        a->cap = cap;
    }
    a->blocks[a->n++] = blk;
    return 0;
}

/* Appends one match of entry id; an id no longer in the database (removed
 * since the index was built, by another process) is skipped. */
static vg_status add_match(vg_matcher *m, const mset *s, vg_match_kind kind, int distance,
                           int variant, uint64_t id, vg_match_list *l, vg_error *err)
{
    vg_match mt = {.set = s->name, .kind = kind, .distance = distance, .variant = variant,
                   .entry = id};
    void *blk = NULL;
    int rc;

    pthread_mutex_lock(&m->mu);
    sqlite3_bind_int64(m->entry_q, 1, (sqlite3_int64)id);
    rc = sqlite3_step(m->entry_q);
    if (rc == SQLITE_ROW && !(blk = entry_block(m->entry_q, &mt)))
        rc = SQLITE_NOMEM;
    sqlite3_reset(m->entry_q);
    pthread_mutex_unlock(&m->mu);
    if (rc == SQLITE_DONE)
        return VG_OK;
    if (rc != SQLITE_ROW)
        return rc == SQLITE_NOMEM ? vg_errorf(err, VG_ERR_NOMEM, "out of memory")
                                  : vg_errorf(err, VG_ERR_DB, "%s: read entry %llu: %s",
                                              m->lib->path, (unsigned long long)id,
                                              sqlite3_errstr(rc));
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        vg_match *nv = realloc(l->v, cap * sizeof *nv);
        if (!nv) {
            free(blk);
            return vg_errorf(err, VG_ERR_NOMEM, "out of memory");
        }
        l->v = nv;
        l->cap = cap;
    }
    if (arena_keep(l, blk) != 0) {
        free(blk);
        return vg_errorf(err, VG_ERR_NOMEM, "out of memory");
    }
    l->v[l->n++] = mt;
    return VG_OK;
}

static vg_status match_exact(vg_matcher *m, const mset *s, vg_digest_kind k, const uint8_t *d,
                             vg_match_list *l, vg_error *err)
{
    struct vg_ml_arena *a = l->arena;
    size_t n = vg_exact_index_find(s->exact, k, d, a->ids, a->ids_cap);

    if (n > a->ids_cap) {
        uint64_t *ids = realloc(a->ids, n * sizeof *ids);
        if (!ids)
            return vg_errorf(err, VG_ERR_NOMEM, "out of memory");
        a->ids = ids;
        a->ids_cap = n;
        n = vg_exact_index_find(s->exact, k, d, a->ids, a->ids_cap);
    }
    for (size_t i = 0; i < n; i++) {
        vg_status st = add_match(m, s, (vg_match_kind)k, 0, 0, a->ids[i], l, err);
        if (st != VG_OK)
            return st;
    }
    return VG_OK;
}

static vg_status match_pdq(vg_matcher *m, const mset *s, const vg_file_hashes *h,
                           const vg_match_opts *o, vg_match_list *l, vg_error *err)
{
    vg_pdq_query_opts qo;
    vg_status st;

    vg_pdq_query_opts_init(&qo);
    qo.radius = o->radius;
    qo.min_quality = o->min_quality;
    st = vg_pdq_index_query(s->pdq, h->pdq, o->dihedral ? VG_PDQ_VARIANTS : 1, h->pdq_quality,
                            &qo, &l->arena->pr, err);
    if (st != VG_OK)
        return st;
    const vg_pdq_results *pr = &l->arena->pr;
    for (size_t i = 0; i < pr->n && st == VG_OK; i++)
        st = add_match(m, s, VG_MATCH_PDQ, pr->v[i].distance, pr->v[i].variant, pr->v[i].id, l,
                       err);
    return st;
}

static int cmp_match(const void *pa, const void *pb)
{
    const vg_match *a = pa, *b = pb;
    int c;

    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if ((c = strcmp(a->set, b->set)) != 0)
        return c;
    if (a->distance != b->distance)
        return a->distance < b->distance ? -1 : 1;
    return a->entry < b->entry ? -1 : a->entry > b->entry;
}

vg_status vg_matcher_match(vg_matcher *m, const vg_file_hashes *h, const vg_match_opts *o,
                           vg_match_list *out, vg_error *err)
{
    vg_match_opts def;
    const uint8_t *digests[VG_DIGEST_KINDS] = {h->digests.md5, h->digests.sha1,
                                               h->digests.sha256};
    vg_status st = VG_OK;

    if (!o) {
        vg_match_opts_init(&def);
        o = &def;
    }
    list_reset(out);
    if (!out->arena && !(out->arena = calloc(1, sizeof *out->arena)))
        return vg_errorf(err, VG_ERR_NOMEM, "out of memory");
    if (o->radius < 0 || o->radius > VG_PDQ_MAX_RADIUS)
        return vg_errorf(err, VG_ERR_ARG, "PDQ radius %d outside 0..%d", o->radius,
                         VG_PDQ_MAX_RADIUS);
    pthread_rwlock_rdlock(&m->rw);
    for (size_t i = 0; i < m->n && st == VG_OK; i++) {
        const mset *s = &m->sets[i];
        for (int k = 0; s->exact && k < VG_DIGEST_KINDS && st == VG_OK; k++)
            st = match_exact(m, s, (vg_digest_kind)k, digests[k], out, err);
        if (st == VG_OK && s->pdq && h->have_pdq)
            st = match_pdq(m, s, h, o, out, err);
    }
    pthread_rwlock_unlock(&m->rw);
    if (st != VG_OK) {
        list_reset(out);
        return st;
    }
    out->pdq_skipped = h->have_pdq && h->pdq_quality < o->min_quality;
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, cmp_match);
    return VG_OK;
}
