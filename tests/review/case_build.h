/* case_build.h - the small case both review tests read: every section, a
 * cluster, matches in two categories, a provenance chain, an error. */
#ifndef REVIEW_CASE_BUILD_H
#define REVIEW_CASE_BUILD_H

#include <unistd.h>

#include "testutil.h"
#include "vigil/store.h"

typedef struct tc_item {
    uint64_t seq, parent;
    const char *path, *type, *item_type, *status, *flags, *steg;
    uint32_t w, h;
    int n_matches; /* 0, 1 or 2 of the matches below */
    const vg_match_rec *matches;
} tc_item;

static const vg_match_rec tc_m4[] = {
    {"demo2", "md5", 0, "2", "Child Exploitive (Non-CAM) Age Difficult", NULL},
    {"demo", "pdq", 6, "1", "Child Abuse Material - (CAM)", "beach"},
};
static const vg_match_rec tc_m5[] = {{"other", "sha1", 0, "0", "Non-Pertinent", NULL}};

/* seq: 1 new, 2 cluster rep, 3 cluster member, 4 known (cat 1), 5 known
 * (cat 0), 6 text, 7 broken jpeg, 8 directory, 9 deleted new with payload,
 * 10 backup.zip > 11 inner.zip > 12 garden.png (new). */
static const tc_item tc_items[] = {
    {1, 0, "ev/a.jpg", "jpeg", "file", "ok", "", NULL, 640, 480, 0, NULL},
    {2, 0, "ev/b.png", "png", "file", "ok", "", "clean", 64, 64, 0, NULL},
    {3, 0, "ev/c.png", "png", "file", "ok", "", NULL, 64, 64, 0, NULL},
    {4, 0, "ev/known1.jpg", "jpeg", "file", "ok", "", NULL, 32, 32, 2, tc_m4},
    {5, 0, "ev/known0.jpg", "jpeg", "file", "ok", "", NULL, 32, 32, 1, tc_m5},
    {6, 0, "ev/notes.txt", "unknown", "file", "ok", "", NULL, 0, 0, 0, NULL},
    {7, 0, "ev/broken.jpg", "jpeg", "file", "corrupt", "", NULL, 0, 0, 0, NULL},
    {8, 0, "ev/dir", NULL, "dir", "ok", "", NULL, 0, 0, 0, NULL},
    {9, 0, "ev/Deleted.JPG", "jpeg", "file", "ok", "deleted", "payload", 16, 16, 0, NULL},
    {10, 0, "ev/backup.zip", "zip", "file", "ok", "", NULL, 0, 0, 0, NULL},
    {11, 10, "ev/backup.zip/inner.zip", "zip", "file", "ok", "", NULL, 0, 0, 0, NULL},
    {12, 11, "ev/backup.zip/inner.zip/garden.png", "png", "file", "ok", "", NULL, 8, 8, 0, NULL},
};
#define TC_N (sizeof tc_items / sizeof tc_items[0])

/* Builds the case at path; thumb (len) is stored as the preview of seq 1
 * and 2. */
static vg_store *tc_build(const char *path, const uint8_t *thumb, size_t len)
{
    vg_store *s = NULL;
    vg_error err;
    vg_evidence_rec ev;
    int created;
    int64_t *pid;
    vg_pdq *pdq;
    size_t n;

    unlink(path);
    CHECK_INTEQ(vg_store_open(path, 1, &s, &err), VG_OK);
    if (!s)
        return NULL;
    CHECK_INTEQ(vg_store_evidence_add(s, "/evidence/ev", "{}", &ev, &created, &err), VG_OK);
    CHECK_INTEQ(vg_store_begin(s, &err), VG_OK);
    for (size_t i = 0; i < TC_N; i++) {
        const tc_item *t = &tc_items[i];
        vg_item_rec r;
        memset(&r, 0, sizeof r);
        r.evidence_id = ev.id;
        r.seq = t->seq;
        r.parent_seq = t->parent;
        r.path = t->path;
        r.name = strrchr(t->path, '/') + 1;
        r.source = t->parent ? "archive" : "file";
        r.item_type = t->item_type;
        r.flags = t->flags;
        r.size = 1000 + t->seq;
        r.offset = -1;
        r.mtime = r.atime = r.ctime = r.crtime = INT64_MIN;
        r.have_digests = 1;
        memset(r.digests.sha1, (int)t->seq, 20);
        r.file_type = t->type;
        r.width = t->w;
        r.height = t->h;
        r.status = t->status;
        r.error = strcmp(t->status, "ok") ? "truncated JPEG at offset 100" : NULL;
        r.steg_verdict = t->steg;
        r.thumb_distance = -1;
        r.matches = t->matches;
        r.n_matches = (size_t)t->n_matches;
        if (t->w && t->seq <= 3) {
            r.have_pdq = 1;
            memset(r.pdq.b, t->seq == 1 ? 0x55 : 0xaa, sizeof r.pdq.b);
            r.pdq_quality = 100;
        }
        if (t->seq == 1) {
            r.exif_make = "Canon";
            r.exif_model = "EOS 5D";
            r.exif_datetime = "2024:01:02 03:04:05";
            r.has_gps = 1;
            r.gps_lat = 51.5;
            r.gps_lon = -0.125;
            r.thumb_distance = 40;
            r.mtime = 1704164645; /* 2024-01-02T03:04:05Z */
            r.offset = 512;
            r.steg_reason = "chi-square 0.91";
            r.steg_scores = "{\"chi\":0.91,\"rs\":0.1}";
        }
        if (t->seq == 2) {
            r.thumb_distance = 3;
            r.steg_scores = "not json";
        }
        if (thumb && t->seq <= 2) {
            r.thumb = thumb;
            r.thumb_len = len;
        }
        CHECK_INTEQ(vg_store_item_put(s, &r, &err), VG_OK);
    }
    CHECK_INTEQ(vg_store_commit(s, &err), VG_OK);
    CHECK_INTEQ(vg_store_pdq_items(s, 0, &pid, &pdq, &n, &err), VG_OK);
    CHECK_INTEQ(n, 3);
    {
        /* seq 2 and 3 form cluster 1, 2 representing it */
        uint64_t cl[3] = {0, 1, 1};
        unsigned char rep[3] = {0, 1, 0};
        CHECK_INTEQ(vg_store_set_clusters(s, pid, cl, rep, n, &err), VG_OK);
    }
    free(pid);
    free(pdq);
    return s;
}

static int tc_id_cb(const vg_item_rec *r, void *ctx)
{
    int64_t *ids = ctx;
    if (r->seq <= 12 && r->sub == 0)
        ids[r->seq] = r->id;
    return 0;
}

static void tc_ids(vg_store *s, int64_t ids[13])
{
    vg_error err;
    memset(ids, 0, 13 * sizeof *ids);
    CHECK_INTEQ(vg_store_items_foreach(s, tc_id_cb, ids, &err), VG_OK);
}

#endif
