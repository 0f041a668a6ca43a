/* test_pdq_crowded.c - crowded buckets: MIH and AUTO still answer exactly what a scan answers.
 *
 * Real PDQ sets are not uniform (near-blank images share most bits). Here a
 * third of the codes agree with the query on bits 16..39 (wide slot 1 of the
 * index) and a sixth on bits 0..15 (the narrow slot), so those buckets hold
 * tens of thousands of entries: the high-bit decoding walks many words, and
 * AUTO, which starts with MIH at this size, passes its work budget and falls
 * back to the scan, dropping what it had found. Every answer is compared
 * with a scan written here.
 */
#include <stdlib.h>

#include "pdqgen.h"
#include "testutil.h"

#define NRANDOM 120000
#define NCROWD 60000
#define NNARROW 30000
#define MAXH (NRANDOM + NCROWD + NNARROW + 200)

static vg_pdq hs[MAXH];
static uint64_t ids[MAXH];
static size_t nh;

static void push(const vg_pdq *h)
{
    hs[nh] = *h;
    ids[nh] = 1000 + nh;
    nh++;
}

/* h with bits [from, from + len) copied from q. */
static void copy_bits(vg_pdq *h, const vg_pdq *q, int from, int len)
{
    for (int b = from; b < from + len; b++) {
        uint8_t m = (uint8_t)(1u << (b % 8));
        h->b[b / 8] = (uint8_t)((h->b[b / 8] & ~m) | (q->b[b / 8] & m));
    }
}

static size_t reference(const vg_pdq *q, int r, uint64_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < nh; i++)
        if (gen_distance(&hs[i], q) <= r)
            out[n++] = ids[i]; /* ids ascend with i: already sorted */
    return n;
}

static uint64_t want[MAXH];

static void check(vg_pdq_index *x, const vg_pdq *q, int r, vg_pdq_method m)
{
    size_t nw = reference(q, r, want), ok = 1;
    vg_pdq_results res = {0};
    vg_pdq_query_opts o;
    vg_pdq_query_opts_init(&o);
    o.radius = r;
    o.method = m;
    CHECK(vg_pdq_index_query(x, q, 1, 100, &o, &res, NULL) == VG_OK);
    ok = res.n == nw;
    for (size_t i = 0; ok && i < nw; i++)
        ok = res.v[i].id == want[i] &&
             res.v[i].distance == gen_distance(&hs[res.v[i].id - 1000], q);
    CHECK_MSG(ok, "r=%d method=%d: %zu matches, want %zu", r, (int)m, res.n, nw);
    vg_pdq_results_free(&res);
}

int main(void)
{
    vg_pdq q, h;
    gen_random(&q);
    for (int i = 0; i < NRANDOM; i++) {
        gen_random(&h);
        push(&h);
    }
    for (int i = 0; i < NCROWD; i++) {
        gen_random(&h);
        copy_bits(&h, &q, 16, 24);
        push(&h);
    }
    for (int i = 0; i < NNARROW; i++) {
        gen_random(&h);
        copy_bits(&h, &q, 0, 16);
        push(&h);
    }
    for (int d = 0; d <= 64; d++) {
        gen_flip(&q, d, &h);
        push(&h);
        gen_flip(&q, d, &h);
        copy_bits(&h, &q, 16, 24);
        push(&h);
    }
    vg_pdq_index *x = vg_pdq_index_new(NULL);
    CHECK(vg_pdq_index_add_many(x, hs, ids, nh, NULL) == VG_OK);
    CHECK(vg_pdq_index_compact(x, NULL) == VG_OK);
    static const int radii[] = {0, 9, 20, 31, 40, 64};
    for (size_t i = 0; i < sizeof radii / sizeof radii[0]; i++) {
        check(x, &q, radii[i], VG_PDQ_AUTO);
        check(x, &q, radii[i], VG_PDQ_MIH);
    }
    gen_flip(&q, 3, &h); /* a query beside the crowd */
    check(x, &h, 31, VG_PDQ_AUTO);
    check(x, &h, 31, VG_PDQ_MIH);
    vg_pdq_index_free(x);
    TEST_DONE();
}
