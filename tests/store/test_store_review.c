/* test_store_review.c - previews stored with items, the examiner's
 * categories with their audit entries, settings, and the version 1 -> 2
 * migration. */
#include <sqlite3.h>
#include <unistd.h>

#include "item_rec.h"
#include "testutil.h"
#include "vigil/store.h"

static const uint8_t fake_jpeg[] = {0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0xff, 0xd9};

static void put(vg_store *s, int64_t ev, uint64_t seq, int with_thumb)
{
    vg_item_rec r;
    vg_error err;
    char path[64];

    item_rec_init(&r, ev, seq, ".jpg", path, sizeof path);
    memset(r.digests.sha1, (int)seq, 20);
    r.file_type = "jpeg";
    if (with_thumb) {
        r.thumb = fake_jpeg;
        r.thumb_len = sizeof fake_jpeg;
    }
    CHECK_INTEQ(vg_store_item_put(s, &r, &err), VG_OK);
}

typedef struct seen {
    char category[16], scheme[32], by[32];
    int has_thumb;
    uint64_t seq;
} seen;

static int get_cb(const vg_item_rec *r, void *ctx)
{
    seen *v = ctx;
    memset(v, 0, sizeof *v);
    snprintf(v->category, sizeof v->category, "%s", r->review_category ? r->review_category : "-");
    snprintf(v->scheme, sizeof v->scheme, "%s", r->review_scheme ? r->review_scheme : "-");
    snprintf(v->by, sizeof v->by, "%s", r->review_by ? r->review_by : "-");
    v->has_thumb = r->has_thumb;
    v->seq = r->seq;
    CHECK(!r->review_category || (r->review_time && strlen(r->review_time) == 20));
    return 0;
}

static int last_audit(const vg_audit_rec *e, void *ctx)
{
    char *buf = ctx;
    snprintf(buf, 512, "%s %s", e->action, e->detail);
    return 0;
}

int main(void)
{
    static char case_path[4200];
    char audit[512], *val;
    vg_store *s;
    vg_error err;
    vg_evidence_rec ev;
    int created;
    uint64_t n_audit;
    uint8_t *jpeg;
    size_t len;
    seen v;

    snprintf(case_path, sizeof case_path, "%s/r.case", test_tmpdir());
    unlink(case_path);
    CHECK_INTEQ(vg_store_open(case_path, 1, &s, &err), VG_OK);
    CHECK_INTEQ(vg_store_evidence_add(s, "/ev", "{}", &ev, &created, &err), VG_OK);
    CHECK_INTEQ(vg_store_begin(s, &err), VG_OK);
    put(s, ev.id, 1, 1);
    put(s, ev.id, 2, 0);
    put(s, ev.id, 3, 1);
    CHECK_INTEQ(vg_store_commit(s, &err), VG_OK);

    /* previews: stored with the item, byte for byte */
    CHECK_INTEQ(vg_store_thumb_get(s, 1, &jpeg, &len, &err), VG_OK);
    CHECK(len == sizeof fake_jpeg && memcmp(jpeg, fake_jpeg, len) == 0);
    free(jpeg);
    CHECK_INTEQ(vg_store_thumb_get(s, 2, &jpeg, &len, &err), VG_ERR_NOTFOUND);
    CHECK(jpeg == NULL && len == 0);
    CHECK_INTEQ(vg_store_item_get(s, 1, get_cb, &v, &err), VG_OK);
    CHECK(v.has_thumb == 1 && v.seq == 1 && strcmp(v.category, "-") == 0);
    CHECK_INTEQ(vg_store_item_get(s, 2, get_cb, &v, &err), VG_OK);
    CHECK(v.has_thumb == 0 && v.seq == 2);
    CHECK_INTEQ(vg_store_item_get(s, 99, get_cb, &v, &err), VG_ERR_NOTFOUND);

    /* categorising two items: both recorded, one audit entry naming them */
    int64_t ids[] = {1, 3}, bad[] = {2, 99};
    CHECK_INTEQ(vg_store_review_set(s, ids, 2, "1", "projectvic-us", "ana", &err), VG_OK);
    CHECK_INTEQ(vg_store_item_get(s, 3, get_cb, &v, &err), VG_OK);
    CHECK_STREQ(v.category, "1");
    CHECK_STREQ(v.scheme, "projectvic-us");
    CHECK_STREQ(v.by, "ana");
    CHECK_INTEQ(vg_store_audit_foreach(s, last_audit, audit, &err), VG_OK);
    CHECK_STREQ(audit, "categorise {\"examiner\":\"ana\",\"scheme\":\"projectvic-us\","
                       "\"category\":\"1\",\"items\":[{\"id\":1,\"sha1\":"
                       "\"0101010101010101010101010101010101010101\"},{\"id\":3,\"sha1\":"
                       "\"0303030303030303030303030303030303030303\"}]}");

    /* an unknown id changes nothing and writes no audit entry */
    CHECK_INTEQ(vg_store_review_set(s, bad, 2, "2", "projectvic-us", "ana", &err),
                VG_ERR_NOTFOUND);
    CHECK(strstr(err.msg, "no item 99") != NULL);
    CHECK_INTEQ(vg_store_item_get(s, 2, get_cb, &v, &err), VG_OK);
    CHECK_STREQ(v.category, "-");
    CHECK_INTEQ(vg_store_audit_verify(s, &n_audit, &err), VG_OK);
    CHECK_INTEQ(n_audit, 1);
    CHECK_INTEQ(vg_store_review_set(s, ids, 0, "2", "projectvic-us", "ana", &err), VG_ERR_ARG);
    CHECK_INTEQ(vg_store_review_set(s, ids, 1, "2", "projectvic-us", "", &err), VG_ERR_ARG);

    /* clearing, audited too */
    CHECK_INTEQ(vg_store_review_set(s, ids, 1, NULL, "projectvic-us", "bo", &err), VG_OK);
    CHECK_INTEQ(vg_store_item_get(s, 1, get_cb, &v, &err), VG_OK);
    CHECK_STREQ(v.category, "-");
    CHECK_INTEQ(vg_store_audit_foreach(s, last_audit, audit, &err), VG_OK);
    CHECK(strstr(audit, "categorise {\"examiner\":\"bo\",\"scheme\":\"projectvic-us\","
                        "\"category\":null,\"items\":[{\"id\":1,") == audit);
    CHECK_INTEQ(vg_store_audit_verify(s, &n_audit, &err), VG_OK);
    CHECK_INTEQ(n_audit, 2);

    /* settings */
    CHECK_INTEQ(vg_store_meta_get(s, "review_scheme", &val, &err), VG_OK);
    CHECK(val == NULL);
    CHECK_INTEQ(vg_store_meta_set(s, "review_scheme", "uk", &err), VG_OK);
    CHECK_INTEQ(vg_store_meta_get(s, "review_scheme", &val, &err), VG_OK);
    CHECK(val && strcmp(val, "uk") == 0);
    free(val);
    vg_store_close(s);

    /* a version 1 case (no previews, no reviews) is migrated when opened */
    sqlite3 *db;
    CHECK(sqlite3_open(case_path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "DROP TABLE thumbs; DROP TABLE reviews;"
                           " UPDATE meta SET value='1' WHERE key='schema_version'",
                       NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    CHECK_INTEQ(vg_store_open(case_path, 0, &s, &err), VG_OK);
    CHECK_INTEQ(vg_store_meta_get(s, "schema_version", &val, &err), VG_OK);
    CHECK(val && strcmp(val, "2") == 0);
    free(val);
    CHECK_INTEQ(vg_store_item_get(s, 1, get_cb, &v, &err), VG_OK);
    CHECK(v.has_thumb == 0 && strcmp(v.category, "-") == 0);
    CHECK_INTEQ(vg_store_review_set(s, ids, 1, "3", "projectvic-us", "ana", &err), VG_OK);
    vg_store_close(s);

    /* a case from a newer vigil is refused */
    CHECK(sqlite3_open(case_path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "UPDATE meta SET value='99' WHERE key='schema_version'", NULL, NULL,
                       NULL) == SQLITE_OK);
    sqlite3_close(db);
    CHECK_INTEQ(vg_store_open(case_path, 0, &s, &err), VG_ERR_FORMAT);
    CHECK(strstr(err.msg, "newer") != NULL);
    TEST_DONE();
}
