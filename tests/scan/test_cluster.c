/* test_cluster.c - near-duplicate clusters and the extension check. */
#include <unistd.h>

#include "testutil.h"
#include "vigil/scan.h"

/* Item seq with PDQ h (quality q). */
static void put(vg_store *s, int64_t ev, uint64_t seq, const vg_pdq *h, int q)
{
    vg_item_rec r;
    vg_error err;
    memset(&r, 0, sizeof r);
    r.evidence_id = ev;
    r.seq = seq;
    r.path = "x";
    r.offset = -1;
    r.mtime = r.atime = r.ctime = r.crtime = INT64_MIN;
    r.file_type = "jpeg";
    r.have_pdq = h != NULL;
    if (h)
        r.pdq = *h;
    r.pdq_quality = q;
    r.status = "ok";
    CHECK_INTEQ(vg_store_item_put(s, &r, &err), VG_OK);
}

static vg_pdq flipped(const vg_pdq *h, int bits, int from)
{
    vg_pdq o = *h;
    for (int i = 0; i < bits; i++)
        o.b[(from + i) / 8] ^= (uint8_t)(1u << ((from + i) % 8));
    return o;
}

static int collect(const vg_item_rec *r, void *ctx)
{
    int64_t *rep = ctx;
    rep[r->seq] = (int64_t)r->cluster * (r->cluster_rep ? -1 : 1); /* rep negative */
    return 0;
}

int main(void)
{
    char path[4200];
    vg_store *s;
    vg_error err;
    vg_evidence_rec ev;
    int created;
    uint64_t n;
    int64_t rep[16] = {0};
    vg_pdq a, b;

    for (int i = 0; i < 32; i++) {
        a.b[i] = (uint8_t)(i * 37 + 11);
        b.b[i] = (uint8_t)~a.b[i]; /* 256 bits from a */
    }
    snprintf(path, sizeof path, "%s/c.case", test_tmpdir());
    unlink(path);
    CHECK_INTEQ(vg_store_open(path, 1, &s, &err), VG_OK);
    CHECK_INTEQ(vg_store_evidence_add(s, "/e", "{}", &ev, &created, &err), VG_OK);
    vg_pdq a10 = flipped(&a, 10, 0), a40 = flipped(&a, 40, 0), a25 = flipped(&a10, 25, 100);
    CHECK_INTEQ(vg_store_begin(s, &err), VG_OK);
    put(s, ev.id, 1, &a, 100);   /* cluster A, representative */
    put(s, ev.id, 2, &b, 100);   /* alone */
    put(s, ev.id, 3, &a10, 100); /* 10 bits from 1: cluster A */
    put(s, ev.id, 4, &a40, 100); /* 40 from 1, 30 from 3: joins A through 3 */
    put(s, ev.id, 5, &a25, 100); /* 25 from 3: cluster A */
    put(s, ev.id, 6, &a, 20);    /* same hash, quality too low: left out */
    put(s, ev.id, 7, NULL, 0);   /* no PDQ */
    put(s, ev.id, 8, &b, 90);    /* cluster B with 2 */
    CHECK_INTEQ(vg_store_commit(s, &err), VG_OK);

    CHECK_INTEQ(vg_scan_cluster(s, 31, 50, &n, &err), VG_OK);
    CHECK_INTEQ(n, 2);
    CHECK_INTEQ(vg_store_items_foreach(s, collect, rep, &err), VG_OK);
    /* cluster numbers in walk order; the representative (negative here) first */
    CHECK_INTEQ(rep[1], -1);
    CHECK_INTEQ(rep[3], 1);
    CHECK_INTEQ(rep[4], 1);
    CHECK_INTEQ(rep[5], 1);
    CHECK_INTEQ(rep[2], -2);
    CHECK_INTEQ(rep[8], 2);
    CHECK_INTEQ(rep[6], 0);
    CHECK_INTEQ(rep[7], 0);
    vg_case_summary sum;
    CHECK_INTEQ(vg_store_summary(s, &sum, &err), VG_OK);
    CHECK_INTEQ(sum.clusters, 2);
    CHECK_INTEQ(sum.clustered, 6);

    /* at radius 9 only the identical pairs remain: 2 and 8 */
    CHECK_INTEQ(vg_scan_cluster(s, 9, 50, &n, &err), VG_OK);
    CHECK_INTEQ(n, 1);
    vg_store_close(s);

    CHECK(vg_ext_mismatch("a/b/photo.JPG", VG_IMAGE_JPEG) == 0);
    CHECK(vg_ext_mismatch("street.jpg", VG_IMAGE_PNG) == 1);
    CHECK(vg_ext_mismatch("notes.txt", VG_IMAGE_UNKNOWN) == 0);
    CHECK(vg_ext_mismatch("invoice.pdf", VG_IMAGE_JPEG) == 1);
    CHECK(vg_ext_mismatch("broken.png", VG_IMAGE_UNKNOWN) == 1);
    CHECK(vg_ext_mismatch("IMG_1.heic", VG_IMAGE_AVIF) == 0);
    CHECK(vg_ext_mismatch(".jpg", VG_IMAGE_JPEG) == 1); /* a dot file has no extension */
    TEST_DONE();
}
