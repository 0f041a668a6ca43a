/* html_walk.c - previews of pictures inside containers (archives, disk images,
 * carved, EXIF thumbnails): one walk of each evidence, as the scan walked it,
 * matching items by their provenance path.
 *
 * Matching by path, not by walk ordinal, keeps it correct when containers
 * that hold no wanted picture are skipped; the recorded size and SHA-1 must
 * still match, so a path that now names other bytes gives no preview. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "html_int.h"
#include "vigil/digest.h"
#include "vigil/evidence.h"

struct vgi_html_want {
    int64_t evidence_id;
    uint64_t seq;
    uint32_t sub;
    uint64_t size;
    uint8_t sha1[20];
    char *path;
    int written;
    char *why; /* malloc'd; NULL: not found again */
};

int vgi_html_in_container(const vg_item_rec *r)
{
    const char *why = vgi_html_no_preview(r);
    return why && strcmp(why, "no preview: inside a container") == 0 && r->have_digests;
}

static int collect(const vg_item_rec *r, void *ctx)
{
    vgi_html_wants *w = ctx;
    if (!vgi_html_in_container(r) || r->has_thumb)
        return 0; /* a stored preview needs no walk */
    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        vgi_html_want **v = realloc(w->order, cap * sizeof *v);
        if (!v)
            return w->nomem = 1;
        w->order = v;
        w->cap = cap;
    }
    vgi_html_want *x = calloc(1, sizeof *x);
    if (!x || !(x->path = strdup(r->path))) {
        free(x);
        return w->nomem = 1;
    }
    x->evidence_id = r->evidence_id;
    x->seq = r->seq;
    x->sub = r->sub;
    x->size = r->size;
    memcpy(x->sha1, r->digests.sha1, 20);
    w->order[w->n++] = x;
    return 0;
}

static int by_path(const void *a, const void *b)
{
    const vgi_html_want *x = *(vgi_html_want *const *)a, *y = *(vgi_html_want *const *)b;
    if (x->evidence_id != y->evidence_id)
        return x->evidence_id < y->evidence_id ? -1 : 1;
    return strcmp(x->path, y->path);
}

typedef struct walk_ctx {
    vgi_html_want **v; /* this evidence's wants, sorted by path */
    size_t n;
    const vg_limits *lim;
    int thumbs_fd;
    vg_status st; /* VG_ERR_IO: the report cannot be written */
    vg_error *err;
} walk_ctx;

/* First index whose path is >= key. */
static size_t lower(const walk_ctx *w, const char *key)
{
    size_t lo = 0, hi = w->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(w->v[mid]->path, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void make_one(walk_ctx *w, vg_item *it, vgi_html_want *x)
{
    const uint8_t *data;
    size_t len, jlen;
    uint8_t *jpeg = NULL;
    vg_digests d;
    vg_error e;
    char name[64];
    vg_status st = vg_item_load(it, &data, &len, &e);

    if (st == VG_OK && (st = vg_digest_buffer(data, len, 0, &d, &e)) == VG_OK &&
        (len != x->size || memcmp(d.sha1, x->sha1, 20) != 0))
        st = vg_errorf(&e, VG_ERR_NOTFOUND, "its bytes changed since the scan");
    if (st == VG_OK)
        st = vg_report_thumbnail(data, len, w->lim, &jpeg, &jlen, &e);
    if (st != VG_OK) {
        char why[600];
        snprintf(why, sizeof why, "no preview: %s", e.msg);
        free(x->why);
        x->why = strdup(why);
        return;
    }
    vgi_html_thumb_name(x->evidence_id, x->seq, x->sub, name);
    st = vgi_html_write_thumb(w->thumbs_fd, name, jpeg, jlen, w->err);
    free(jpeg);
    if (st != VG_OK)
        w->st = st;
    x->written = st == VG_OK;
}

static vg_walk_ret on_item(vg_item *it, void *ctx)
{
    walk_ctx *w = ctx;
    size_t i = lower(w, it->path);
    char prefix[4200];

    for (; i < w->n && strcmp(w->v[i]->path, it->path) == 0; i++)
        if (!w->v[i]->written && it->type == VG_ITEM_REG && it->status == VG_OK) {
            make_one(w, it, w->v[i]);
            if (w->st != VG_OK)
                return VG_WALK_STOP;
        }
    /* Descend only where a wanted picture lies below. */
    int n = snprintf(prefix, sizeof prefix, "%s!/", it->path);
    if (n < 0 || (size_t)n >= sizeof prefix)
        return VG_WALK_CONTINUE;
    i = lower(w, prefix);
    return i < w->n && strncmp(w->v[i]->path, prefix, (size_t)n) == 0 ? VG_WALK_CONTINUE
                                                                       : VG_WALK_SKIP;
}

/* The walk options the scan recorded, so the walk yields the same items. */
static void walk_opts(const char *options, const vg_limits *lim, vg_evidence_opts *o)
{
    json_t *j = json_loads(options, 0, NULL), *v;
    vg_evidence_opts_default(o);
    o->max_item_mem = lim->max_file_bytes ? (size_t)lim->max_file_bytes : SIZE_MAX;
    if (!j)
        return;
    if ((v = json_object_get(j, "archives")) && json_is_integer(v))
        o->archives = (int)json_integer_value(v);
    if ((v = json_object_get(j, "disk_images")) && json_is_integer(v))
        o->disk_images = (int)json_integer_value(v);
    if ((v = json_object_get(j, "carve")) && json_is_integer(v))
        o->carve = (int)json_integer_value(v);
    if ((v = json_object_get(j, "max_depth")) && json_is_integer(v) &&
        json_integer_value(v) >= 0 && json_integer_value(v) < 1000)
        o->max_depth = (unsigned)json_integer_value(v);
    json_decref(j);
}

vg_status vgi_html_walk(vg_store *s, vgi_html_wants *w, const vg_limits *lim, int thumbs_fd,
                        vg_error *err)
{
    vg_evidence_rec *ev = NULL;
    size_t nev = 0;
    vg_status st = vg_store_items_foreach(s, collect, w, err);
    vgi_html_want **sorted;

    if (st == VG_OK && w->nomem)
        st = vg_errorf(err, VG_ERR_NOMEM, "no memory for the previews");
    if (st != VG_OK || w->n == 0)
        return st;
    if (!(sorted = malloc(w->n * sizeof *sorted)))
        return vg_errorf(err, VG_ERR_NOMEM, "no memory for the previews");
    memcpy(sorted, w->order, w->n * sizeof *sorted);
    qsort(sorted, w->n, sizeof *sorted, by_path);
    if ((st = vg_store_evidence_list(s, &ev, &nev, err)) != VG_OK) {
        free(sorted);
        return st;
    }
    for (size_t e = 0, i = 0; e < nev && st == VG_OK; e++) {
        while (i < w->n && sorted[i]->evidence_id < ev[e].id)
            i++;
        size_t j = i;
        while (j < w->n && sorted[j]->evidence_id == ev[e].id)
            j++;
        if (j == i)
            continue;
        walk_ctx c = {sorted + i, j - i, lim, thumbs_fd, VG_OK, err};
        vg_evidence_opts o;
        vg_error we;
        walk_opts(ev[e].options, lim, &o);
        /* Evidence that is gone leaves its pictures without previews. */
        if (vg_evidence_walk(ev[e].path, &o, on_item, &c, &we) == VG_OK)
            st = c.st;
        i = j;
    }
    free(ev);
    free(sorted);
    return st;
}

const vgi_html_want *vgi_html_want_next(vgi_html_wants *w, const vg_item_rec *r)
{
    if (w->next >= w->n)
        return NULL;
    const vgi_html_want *x = w->order[w->next];
    if (x->evidence_id != r->evidence_id || x->seq != r->seq || x->sub != r->sub)
        return NULL;
    w->next++;
    return x;
}

int vgi_html_want_written(const vgi_html_want *x)
{
    return x->written;
}

const char *vgi_html_want_why(const vgi_html_want *x)
{
    return x->why ? x->why : "no preview: not found again in the evidence";
}

void vgi_html_wants_free(vgi_html_wants *w)
{
    for (size_t i = 0; i < w->n; i++) {
        free(w->order[i]->path);
        free(w->order[i]->why);
        free(w->order[i]);
    }
    free(w->order);
    memset(w, 0, sizeof *w);
}
