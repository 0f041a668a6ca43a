/* test_store.c - the case database: schema, items, resume key, audit chain. */
#include <sqlite3.h>
#include <unistd.h>

#include "item_rec.h"
#include "testutil.h"
#include "vigil/store.h"

static char case_path[4096];

static void put(vg_store *s, int64_t ev, uint64_t seq, const char *type, size_t n_matches,
                vg_status want)
{
    vg_item_rec r;
    vg_match_rec m = {"demo-set", "md5", 0, "1", "Category 1", NULL};
    vg_error err;
    char path[64];

    item_rec_init(&r, ev, seq, "", path, sizeof path);
    r.flags = seq == 3 ? "deleted" : "";
    r.digests.sha1[0] = (uint8_t)(seq % 2); /* items 2 and 4 share a SHA-1 */
    r.file_type = type;
    r.matches = n_matches ? &m : NULL;
    r.n_matches = n_matches;
    CHECK_INTEQ(vg_store_item_put(s, &r, &err), want);
}

static int order_cb(const vg_item_rec *r, void *ctx)
{
    char *buf = ctx;
    size_t n = strlen(buf);
    snprintf(buf + n, 256 - n, "%llu%s ", (unsigned long long)r->seq,
             r->n_matches ? "k" : "");
    return 0;
}

int main(void)
{
    vg_store *s;
    vg_error err;
    vg_evidence_rec ev;
    int created;
    uint64_t *seqs, n_audit;
    size_t n;
    vg_case_summary sum;
    char order[256] = "";

    snprintf(case_path, sizeof case_path, "%s/t.case", test_tmpdir());
    unlink(case_path);
    CHECK_INTEQ(vg_store_open(case_path, 0, &s, &err), VG_ERR_NOTFOUND);
    CHECK_INTEQ(vg_store_open(case_path, 1, &s, &err), VG_OK);
    CHECK_INTEQ(vg_store_evidence_add(s, "/ev", "{}", &ev, &created, &err), VG_OK);
    CHECK(created == 1);
    CHECK_INTEQ(vg_store_audit(s, "scan", "{\"argv\":[\"vigil\"]}", &err), VG_OK);
    CHECK_INTEQ(vg_store_audit(s, "resume", "{}", &err), VG_OK);

    CHECK_INTEQ(vg_store_begin(s, &err), VG_OK);
    put(s, ev.id, 1, "unknown", 0, VG_OK); /* a text file */
    put(s, ev.id, 2, "jpeg", 0, VG_OK);    /* new image */
    put(s, ev.id, 3, "png", 1, VG_OK);     /* known image */
    put(s, ev.id, 4, "gif", 0, VG_OK);     /* new image */
    put(s, ev.id, 2, "jpeg", 0, VG_ERR_EXISTS); /* never twice */
    CHECK_INTEQ(vg_store_commit(s, &err), VG_OK);

    /* an uncommitted batch leaves nothing */
    CHECK_INTEQ(vg_store_begin(s, &err), VG_OK);
    put(s, ev.id, 5, "jpeg", 0, VG_OK);
    CHECK_INTEQ(vg_store_rollback(s, &err), VG_OK);

    CHECK_INTEQ(vg_store_item_seqs(s, ev.id, &seqs, &n, &err), VG_OK);
    CHECK_INTEQ(n, 4);
    CHECK(n == 4 && seqs[0] == 1 && seqs[3] == 4);
    free(seqs);

    CHECK_INTEQ(vg_store_summary(s, &sum, &err), VG_OK);
    CHECK_INTEQ(sum.items, 4);
    CHECK_INTEQ(sum.images, 3);
    CHECK_INTEQ(sum.new_images, 2);
    CHECK_INTEQ(sum.known, 1);
    CHECK_INTEQ(sum.deleted, 1);
    CHECK_INTEQ(sum.duplicates, 2); /* 4 items, 2 distinct SHA-1 */

    /* new images first, then known, then the rest */
    CHECK_INTEQ(vg_store_items_foreach(s, order_cb, order, &err), VG_OK);
    CHECK_STREQ(order, "2 4 3k 1 ");

    /* the evidence is found again, not duplicated */
    CHECK_INTEQ(vg_store_evidence_add(s, "/ev", "{}", &ev, &created, &err), VG_OK);
    CHECK(created == 0 && ev.items == 4);

    CHECK_INTEQ(vg_store_audit_verify(s, &n_audit, &err), VG_OK);
    CHECK_INTEQ(n_audit, 2);
    vg_store_close(s);

    /* editing an audit entry breaks the chain */
    sqlite3 *db;
    CHECK(sqlite3_open(case_path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "UPDATE audit SET detail='{}' WHERE id=1", NULL, NULL, NULL) ==
          SQLITE_OK);
    sqlite3_close(db);
    CHECK_INTEQ(vg_store_open(case_path, 0, &s, &err), VG_OK);
    CHECK_INTEQ(vg_store_audit_verify(s, &n_audit, &err), VG_ERR_CORRUPT);
    CHECK(strstr(err.msg, "audit entry 1") != NULL);
    vg_store_close(s);

    /* not a case */
    char other[4096];
    snprintf(other, sizeof other, "%s/other.db", test_tmpdir());
    unlink(other);
    CHECK(sqlite3_open(other, &db) == SQLITE_OK);
    sqlite3_exec(db, "CREATE TABLE x(y)", NULL, NULL, NULL);
    sqlite3_close(db);
    CHECK_INTEQ(vg_store_open(other, 1, &s, &err), VG_ERR_FORMAT);
    TEST_DONE();
}
