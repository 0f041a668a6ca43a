/* test_export_review.c - the examiner's categories travel: the VICS export
 * carries them as the scheme's numbers (and re-imports with the same codes),
 * the JSON-lines export shows who categorised what; an unknown code is an
 * error naming the item, not a silently dropped category. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "vigil/hashset.h"
#include "vigil/report.h"
#include "vigil/store.h"

static void put(vg_store *s, uint64_t seq)
{
    vg_item_rec r;
    vg_error e;
    char path[32];

    memset(&r, 0, sizeof r);
    snprintf(path, sizeof path, "ev/p%llu.jpg", (unsigned long long)seq);
    r.evidence_id = 1;
    r.seq = seq;
    r.path = path;
    r.name = path + 3;
    r.source = "file";
    r.item_type = "file";
    r.flags = "";
    r.size = 1000 + seq;
    r.offset = -1;
    r.mtime = r.atime = r.ctime = r.crtime = INT64_MIN;
    r.have_digests = 1;
    memset(r.digests.md5, (int)seq, 16);
    memset(r.digests.sha1, (int)seq, 20);
    r.file_type = "jpeg";
    r.width = 64;
    r.height = 48;
    r.status = "ok";
    r.thumb_distance = -1;
    CHECK_MSG(vg_store_item_put(s, &r, &e) == VG_OK, "%s", e.msg);
}

typedef struct got {
    char cats[8][16];
    int n;
} got;

static int on_entry(void *ctx, const vg_hs_entry *e)
{
    got *g = ctx;
    int seq = e->md5[0];
    if (seq >= 1 && seq < 8)
        snprintf(g->cats[seq], sizeof g->cats[seq], "%s", e->category);
    g->n++;
    return 0;
}

static char *export(vg_store *s, vg_report_format fmt, vg_status want, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    vg_error e;
    CHECK_INTEQ(vg_report_export(s, fmt, f, &e), want);
    fclose(f);
    return buf;
}

int main(void)
{
    static char path[4200];
    vg_store *s;
    vg_error e;
    vg_evidence_rec ev;
    int created;
    size_t len;
    got g;

    snprintf(path, sizeof path, "%s/c.case", test_tmpdir());
    unlink(path);
    CHECK_INTEQ(vg_store_open(path, 1, &s, &e), VG_OK);
    CHECK_INTEQ(vg_store_evidence_add(s, "ev", "{}", &ev, &created, &e), VG_OK);
    CHECK_INTEQ(vg_store_begin(s, &e), VG_OK);
    for (uint64_t i = 1; i <= 3; i++)
        put(s, i);
    CHECK_INTEQ(vg_store_commit(s, &e), VG_OK);

    /* nobody has categorised: every entry is "none" */
    char *v = export(s, VG_REPORT_VICS, VG_OK, &len);
    memset(&g, 0, sizeof g);
    CHECK_INTEQ(vg_hashset_read_mem(v, len, "x.json", VG_HS_FMT_VICS,
                                    vg_hs_scheme_builtin("projectvic-us"), on_entry, &g, NULL, &e),
                VG_OK);
    CHECK_INTEQ(g.n, 3);
    CHECK_STREQ(g.cats[1], "none");
    free(v);

    /* item 1 -> 1 (CAM), item 3 -> 0 (non-pertinent) in projectvic-us */
    int64_t one = 1, three = 3;
    CHECK_INTEQ(vg_store_meta_set(s, "review_scheme", "projectvic-us", &e), VG_OK);
    CHECK_INTEQ(vg_store_review_set(s, &one, 1, "1", "projectvic-us", "ana", &e), VG_OK);
    CHECK_INTEQ(vg_store_review_set(s, &three, 1, "0", "projectvic-us", "ana", &e), VG_OK);
    v = export(s, VG_REPORT_VICS, VG_OK, &len);
    CHECK(strstr(v, "\"Category\": 1") || strstr(v, "\"Category\":1"));
    memset(&g, 0, sizeof g);
    CHECK_INTEQ(vg_hashset_read_mem(v, len, "x.json", VG_HS_FMT_VICS,
                                    vg_hs_scheme_builtin("projectvic-us"), on_entry, &g, NULL, &e),
                VG_OK);
    CHECK_STREQ(g.cats[1], "1");
    CHECK_STREQ(g.cats[2], "none");
    CHECK_STREQ(g.cats[3], "0");
    free(v);

    /* JSON lines: who and when */
    v = export(s, VG_REPORT_JSONL, VG_OK, &len);
    CHECK(strstr(v, "\"review\":{\"category\":\"1\",\"scheme\":\"projectvic-us\","
                    "\"examiner\":\"ana\",\"time\":\"") != NULL);
    free(v);

    /* the UK scheme has no VICS numbers: the export says so instead of
     * dropping the category */
    CHECK_INTEQ(vg_store_meta_set(s, "review_scheme", "uk", &e), VG_OK);
    CHECK_INTEQ(vg_store_review_set(s, &one, 1, "A", "uk", "ana", &e), VG_OK);
    CHECK_INTEQ(vg_store_review_set(s, &three, 1, "B", "uk", "ana", &e), VG_OK);
    v = export(s, VG_REPORT_VICS, VG_ERR_UNSUPPORTED, &len);
    free(v);
    /* a code the case's scheme does not know names the item */
    CHECK_INTEQ(vg_store_meta_set(s, "review_scheme", "projectvic-us", &e), VG_OK);
    char *buf = NULL;
    FILE *f = open_memstream(&buf, &len);
    CHECK_INTEQ(vg_report_export(s, VG_REPORT_VICS, f, &e), VG_ERR_FORMAT);
    CHECK_MSG(strstr(e.msg, "item 1: category \"A\"") != NULL, "%s", e.msg);
    fclose(f);
    free(buf);

    /* a scheme file's scheme is remembered by name: the file must be given */
    static char sf[4200];
    snprintf(sf, sizeof sf, "%s/lab.scheme", test_tmpdir());
    FILE *w = fopen(sf, "w");
    fputs("name = lab\nHIGH = High priority\nHIGH.vics = 1\nLOW = Low priority\nLOW.vics = 0\n", w);
    fclose(w);
    vg_hs_scheme *lab = NULL;
    CHECK_INTEQ(vg_hs_scheme_load(sf, &lab, &e), VG_OK);
    CHECK_INTEQ(vg_store_meta_set(s, "review_scheme", "lab", &e), VG_OK);
    CHECK_INTEQ(vg_store_review_set(s, &one, 1, "HIGH", "lab", "ana", &e), VG_OK);
    CHECK_INTEQ(vg_store_review_set(s, &three, 1, NULL, "lab", "ana", &e), VG_OK);
    buf = NULL;
    f = open_memstream(&buf, &len);
    CHECK_INTEQ(vg_report_vics(s, NULL, f, &e), VG_ERR_ARG);
    CHECK_MSG(strstr(e.msg, "--scheme FILE") != NULL, "%s", e.msg);
    CHECK_INTEQ(vg_report_vics(s, vg_hs_scheme_builtin("uk"), f, &e), VG_ERR_ARG);
    CHECK_MSG(strstr(e.msg, "categorised in scheme lab, not uk") != NULL, "%s", e.msg);
    fclose(f);
    free(buf);
    buf = NULL;
    f = open_memstream(&buf, &len);
    CHECK_INTEQ(vg_report_vics(s, lab, f, &e), VG_OK);
    fclose(f);
    memset(&g, 0, sizeof g);
    CHECK_INTEQ(vg_hashset_read_mem(buf, len, "x.json", VG_HS_FMT_VICS, lab, on_entry, &g, NULL,
                                    &e),
                VG_OK);
    CHECK_STREQ(g.cats[1], "HIGH");
    CHECK_STREQ(g.cats[3], "none");
    free(buf);
    vg_hs_scheme_free(lab);
    vg_store_close(s);
    TEST_DONE();
}
