/* test_pdq_index.c - the PDQ index answers exactly what a brute-force scan answers.
 *
 * Random codes plus, around each query centre, planted codes at every distance
 * 0..70, duplicate hashes under other ids and ids carrying several hashes.
 * Each answer (ids, per-id minimum distance, variant) is compared with a scan
 * written here, for radii giving every shape of MIH probe plan (which slots
 * at which radius: docs/index.md), by MIH, scan and auto, on the delta segment, the main segment, both, after removals
 * and after compaction.
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#include "pdqgen.h"
#include "testutil.h"

#define NRANDOM 12000
#define NCENTRES 16
#define MAXH 60000

static vg_pdq hs[MAXH];
static uint64_t ids[MAXH];
static int alive[MAXH];
static size_t nh;
static vg_pdq centres[NCENTRES];

static const int radii[] = {0, 1, 9, 10, 15, 16, 17, 20, 21, 31, 32, 33, 47, 48, 63, 64, 70};
#define NRADII (sizeof radii / sizeof radii[0])

static void push(const vg_pdq *h, uint64_t id)
{
    hs[nh] = *h;
    ids[nh] = id;
    alive[nh] = 1;
    nh++;
}

static int cmp_match(const void *a, const void *b)
{
    const vg_pdq_match *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    if (x->distance != y->distance)
        return x->distance < y->distance ? -1 : 1;
    return (int)x->variant - (int)y->variant;
}

/* The reference: every live hash within r of any query hash, one per id. */
static size_t reference(const vg_pdq *q, size_t nq, int r, vg_pdq_match *out)
{
    size_t n = 0, u = 0;
    for (size_t v = 0; v < nq; v++)
        for (size_t i = 0; i < nh; i++) {
            int d = gen_distance(&hs[i], &q[v]);
            if (alive[i] && d <= r)
                out[n++] = (vg_pdq_match){ids[i], (uint16_t)d, (uint16_t)v};
        }
    qsort(out, n, sizeof *out, cmp_match);
    for (size_t i = 0; i < n; i++)
        if (u == 0 || out[u - 1].id != out[i].id)
            out[u++] = out[i];
    return u;
}

static vg_pdq_match want[MAXH * 8];

static int same(const vg_pdq_results *r, const vg_pdq_match *w, size_t nw)
{
    if (r->n != nw)
        return 0;
    for (size_t i = 0; i < nw; i++)
        if (r->v[i].id != w[i].id || r->v[i].distance != w[i].distance ||
            r->v[i].variant != w[i].variant)
            return 0;
    return 1;
}

static void check_query(vg_pdq_index *x, const vg_pdq *q, size_t nq, int r, const char *stage)
{
    size_t nw = reference(q, nq, r, want);
    vg_pdq_results res = {0};
    for (int m = VG_PDQ_AUTO; m <= VG_PDQ_SCAN; m++) {
        if (m == VG_PDQ_MIH && r > VG_PDQ_MIH_MAX_RADIUS)
            continue;
        vg_pdq_query_opts o;
        vg_pdq_query_opts_init(&o);
        o.radius = r;
        o.method = (vg_pdq_method)m;
        vg_status st = vg_pdq_index_query(x, q, nq, 100, &o, &res, NULL);
        CHECK_MSG(st == VG_OK && same(&res, want, nw), "%s: r=%d method=%d nq=%zu: %zu, want %zu",
                  stage, r, m, nq, res.n, nw);
    }
    vg_pdq_results_free(&res);
}

static void check_all(vg_pdq_index *x, const char *stage, int every_radius)
{
    for (int c = 0; c < NCENTRES; c++) {
        vg_pdq q;
        gen_flip(&centres[c], c % 9, &q);
        for (size_t r = 0; r < NRADII; r++)
            if (every_radius || radii[r] == 0 || radii[r] == 31 || radii[r] == 64)
                check_query(x, &q, 1, radii[r], stage);
    }
}

static void make_data(void)
{
    vg_pdq h;
    for (int i = 0; i < NRANDOM; i++) {
        gen_random(&h);
        push(&h, gen_next());
    }
    for (int c = 0; c < NCENTRES; c++) {
        gen_random(&centres[c]);
        for (int d = 0; d <= 70; d++) {
            gen_flip(&centres[c], d, &h);
            push(&h, gen_next());
            if (d % 10 == 0) /* the same hash under another id */
                push(&h, gen_next());
            if (d % 13 == 5) /* an id carrying two hashes at different distances */
                gen_flip(&centres[c], d / 2, &h), push(&h, ids[nh - 1]);
        }
    }
}

static void test_build_and_update(vg_pdq_index *x)
{
    size_t n0 = nh;
    CHECK(vg_pdq_index_add_many(x, hs, ids, nh, NULL) == VG_OK);
    CHECK_INTEQ(vg_pdq_index_count(x), n0);
    check_all(x, "delta only", 0);
    CHECK(vg_pdq_index_compact(x, NULL) == VG_OK);
    check_all(x, "main only", 1);

    vg_pdq h;
    for (int i = 0; i < 300; i++) {
        gen_flip(&centres[i % NCENTRES], i % 40, &h);
        push(&h, gen_next());
        CHECK(vg_pdq_index_add(x, &h, ids[nh - 1], NULL) == VG_OK);
    }
    check_all(x, "main + delta", 1);

    size_t removed = 0, want_removed = 0;
    for (size_t i = NRANDOM; i < nh; i += 17) {
        uint64_t id = ids[i];
        size_t k = 0;
        for (size_t j = 0; j < nh; j++)
            if (ids[j] == id && alive[j])
                alive[j] = 0, k++;
        CHECK(vg_pdq_index_remove(x, id, &removed, NULL) == VG_OK);
        CHECK_INTEQ(removed, k);
        want_removed += k;
    }
    CHECK(want_removed > 20);
    CHECK_INTEQ(vg_pdq_index_count(x), nh - want_removed);
    check_all(x, "after removals", 0);
    CHECK(vg_pdq_index_compact(x, NULL) == VG_OK);
    CHECK_INTEQ(vg_pdq_index_count(x), nh - want_removed);
    check_all(x, "after compaction", 0);

    vg_pdq_index_set_delta_limit(x, 50);
    for (int i = 0; i < 120; i++) { /* passes the limit twice: automatic compactions */
        gen_flip(&centres[i % NCENTRES], i % 33, &h);
        push(&h, gen_next());
        CHECK(vg_pdq_index_add(x, &h, ids[nh - 1], NULL) == VG_OK);
    }
    check_all(x, "after automatic compaction", 0);
}

/* Per id the minimum distance over the 8 hashes, and the first variant reaching it. */
static void test_dihedral(vg_pdq_index *x)
{
    vg_pdq q[VG_PDQ_VARIANTS];
    for (int v = 0; v < VG_PDQ_VARIANTS; v++)
        gen_flip(&centres[v], v, &q[v]);
    for (size_t r = 0; r < NRADII; r += 3)
        check_query(x, q, VG_PDQ_VARIANTS, radii[r], "dihedral");

    vg_pdq_index *y = vg_pdq_index_new(NULL);
    vg_pdq h;
    gen_flip(&q[3], 5, &h);
    CHECK(vg_pdq_index_add(y, &h, 42, NULL) == VG_OK);
    gen_flip(&q[6], 2, &h);
    CHECK(vg_pdq_index_add(y, &h, 42, NULL) == VG_OK);
    CHECK(vg_pdq_index_add(y, &q[1], 7, NULL) == VG_OK);
    CHECK(vg_pdq_index_add(y, &q[4], 7, NULL) == VG_OK);
    vg_pdq_results r = {0};
    CHECK(vg_pdq_index_query(y, q, VG_PDQ_VARIANTS, 80, NULL, &r, NULL) == VG_OK);
    CHECK_INTEQ(r.n, 2);
    if (r.n == 2) {
        CHECK(r.v[0].id == 7 && r.v[0].distance == 0 && r.v[0].variant == 1);
        CHECK(r.v[1].id == 42 && r.v[1].distance == 2 && r.v[1].variant == 6);
    }
    CHECK(vg_pdq_index_query(y, &q[6], 1, 80, NULL, &r, NULL) == VG_OK);
    CHECK(r.n == 1 && r.v[0].id == 42 && r.v[0].distance == 2 && r.v[0].variant == 0);
    vg_pdq_results_free(&r);
    vg_pdq_index_free(y);
}

static void test_quality_and_args(vg_pdq_index *x)
{
    vg_pdq_results r = {0};
    vg_pdq_query_opts o;
    vg_pdq_query_opts_init(&o);
    CHECK(o.radius == 31 && o.min_quality == 50 && o.method == VG_PDQ_AUTO);
    CHECK(vg_pdq_index_query(x, &centres[0], 1, 49, NULL, &r, NULL) == VG_OK);
    CHECK(r.n == 0 && r.skipped);
    CHECK(vg_pdq_index_query(x, &centres[0], 1, 50, NULL, &r, NULL) == VG_OK);
    CHECK(r.n > 0 && !r.skipped);
    o.min_quality = 0;
    CHECK(vg_pdq_index_query(x, &centres[0], 1, 0, &o, &r, NULL) == VG_OK);
    CHECK(r.n > 0 && !r.skipped);
    vg_error e;
    CHECK(vg_pdq_index_query(x, centres, 2, 100, NULL, &r, &e) == VG_ERR_ARG);
    o.radius = 257;
    CHECK(vg_pdq_index_query(x, centres, 1, 100, &o, &r, &e) == VG_ERR_ARG);
    o.radius = 65;
    o.method = VG_PDQ_MIH;
    CHECK(vg_pdq_index_query(x, centres, 1, 100, &o, &r, &e) == VG_ERR_ARG);
    o.method = VG_PDQ_AUTO; /* falls back to the scan above the MIH limit */
    CHECK(vg_pdq_index_query(x, centres, 1, 100, &o, &r, &e) == VG_OK);
    vg_pdq_results_free(&r);

    vg_pdq_index *empty = vg_pdq_index_new(NULL);
    CHECK(vg_pdq_index_add_many(empty, NULL, NULL, 0, NULL) == VG_OK);
    CHECK(vg_pdq_index_query(empty, centres, 1, 100, NULL, &r, NULL) == VG_OK && r.n == 0);
    CHECK(vg_pdq_index_compact(empty, NULL) == VG_OK);
    CHECK(vg_pdq_index_query(empty, centres, 1, 100, NULL, &r, NULL) == VG_OK && r.n == 0);
    vg_pdq_results_free(&r);
    vg_pdq_index_free(empty);
}

/* Two threads query the same index at once; each answer must equal the reference. */
static vg_pdq_match *expect[NCENTRES];
static size_t nexpect[NCENTRES];

typedef struct worker {
    vg_pdq_index *x;
    int c0, bad;
} worker;

static void *run_worker(void *arg)
{
    worker *w = arg;
    vg_pdq_results r = {0};
    for (int round = 0; round < 4; round++)
        for (int c = w->c0; c < NCENTRES; c += 2)
            if (vg_pdq_index_query(w->x, &centres[c], 1, 100, NULL, &r, NULL) != VG_OK ||
                !same(&r, expect[c], nexpect[c]))
                w->bad++;
    vg_pdq_results_free(&r);
    return NULL;
}

static void test_threads(vg_pdq_index *x)
{
    for (int c = 0; c < NCENTRES; c++) {
        nexpect[c] = reference(&centres[c], 1, 31, want);
        expect[c] = malloc((nexpect[c] + 1) * sizeof *want);
        memcpy(expect[c], want, nexpect[c] * sizeof *want);
    }
    worker w[2] = {{x, 0, 0}, {x, 1, 0}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, run_worker, &w[i]);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    CHECK(w[0].bad == 0 && w[1].bad == 0);
    for (int c = 0; c < NCENTRES; c++)
        free(expect[c]);
}

/* Queries while another thread adds, removes and compacts: the hashes that
 * are never touched must be found by every query (run under ASan in CI). */
typedef struct live {
    vg_pdq_index *x;
    const vg_pdq *q;
    uint64_t keep;
    int stop, bad, queries;
} live;

static void *live_reader(void *arg)
{
    live *l = arg;
    vg_pdq_results r = {0};
    while (!__atomic_load_n(&l->stop, __ATOMIC_ACQUIRE)) {
        int seen = 0;
        if (vg_pdq_index_query(l->x, l->q, 1, 100, NULL, &r, NULL) != VG_OK)
            l->bad++;
        for (size_t i = 0; i < r.n; i++)
            seen |= r.v[i].id == l->keep && r.v[i].distance == 0;
        l->bad += !seen;
        __atomic_add_fetch(&l->queries, 1, __ATOMIC_RELEASE);
    }
    vg_pdq_results_free(&r);
    return NULL;
}

static void *live_compactor(void *arg)
{
    live *l = arg;
    while (!__atomic_load_n(&l->stop, __ATOMIC_ACQUIRE))
        if (vg_pdq_index_compact(l->x, NULL) != VG_OK)
            l->bad++;
    return NULL;
}

/* A writer adds and removes while one thread queries and another compacts in
 * a loop, so removals land in the middle of compactions. Afterwards the
 * index must hold exactly what the writer left. */
static void test_live_updates(void)
{
    enum { ADDS = 1500 };
    static vg_pdq added[ADDS];
    static int gone[ADDS];
    vg_pdq_index *x = vg_pdq_index_new(NULL);
    vg_pdq_index_set_delta_limit(x, 300);
    CHECK(vg_pdq_index_add(x, &centres[0], 424242, NULL) == VG_OK);
    live l = {x, &centres[0], 424242, 0, 0, 0}, lc = {x, NULL, 0, 0, 0, 0};
    pthread_t t, tc;
    pthread_create(&t, NULL, live_reader, &l);
    pthread_create(&tc, NULL, live_compactor, &lc);
    /* On a loaded machine the writer could finish before the reader ran at all. */
    while (__atomic_load_n(&l.queries, __ATOMIC_ACQUIRE) == 0)
        sched_yield();
    for (int i = 0; i < ADDS; i++) {
        gen_flip(&centres[0], i % 40, &added[i]);
        CHECK(vg_pdq_index_add(x, &added[i], 1000 + (uint64_t)i, NULL) == VG_OK);
        if (i % 3 == 0) {
            vg_pdq_index_remove(x, 1000 + (uint64_t)i / 2, NULL, NULL);
            gone[i / 2] = 1;
        }
    }
    __atomic_store_n(&l.stop, 1, __ATOMIC_RELEASE);
    __atomic_store_n(&lc.stop, 1, __ATOMIC_RELEASE);
    pthread_join(t, NULL);
    pthread_join(tc, NULL);
    CHECK_MSG(l.bad == 0 && l.queries > 0 && lc.bad == 0, "%d bad of %d queries", l.bad,
              l.queries);
    size_t expected_n = 1;
    for (int i = 0; i < ADDS; i++)
        expected_n += !gone[i];
    CHECK_INTEQ(vg_pdq_index_count(x), expected_n);
    vg_pdq_results r = {0};
    vg_pdq_query_opts o;
    vg_pdq_query_opts_init(&o);
    o.radius = 64;
    CHECK(vg_pdq_index_query(x, &centres[0], 1, 100, &o, &r, NULL) == VG_OK);
    CHECK_INTEQ(r.n, expected_n);
    int wrong = 0;
    for (size_t i = 0; i + 1 < r.n; i++) /* ids 1000.. then 424242 */
        wrong += r.v[i].id < 1000 || r.v[i].id >= 1000 + ADDS || gone[r.v[i].id - 1000] ||
                 r.v[i].distance != gen_distance(&added[r.v[i].id - 1000], &centres[0]);
    CHECK_MSG(wrong == 0, "%d wrong matches after live updates", wrong);
    vg_pdq_results_free(&r);
    vg_pdq_index_free(x);
}

int main(void)
{
    make_data();
    vg_pdq_index *x = vg_pdq_index_new(NULL);
    CHECK(x != NULL);
    test_build_and_update(x);
    test_dihedral(x);
    test_quality_and_args(x);
    test_threads(x);
    test_live_updates();
    CHECK(vg_pdq_index_memory(x) > nh * 70);
    vg_pdq_index_free(x);
    TEST_DONE();
}
