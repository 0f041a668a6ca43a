/* bench_index.c - PDQ and exact index at 10^7 scale, against a brute-force scan in the same run.
 *
 * Data: N random PDQ codes plus, for each of Q query centres (random, not
 * stored), PLANT stored near-duplicates at 0..31 flipped bits. Reports build
 * time, memory per hash, single-query latency (median, p99) and throughput on
 * 1 and 2 threads at radius 31, recall against the scan, save and load time;
 * then exact SHA-256 / MD5 lookups per second (hits and misses).
 * Usage: bench_index [N] [Q] [file|-] [all|pdq|exact]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vigil/index.h"
#include "vigil/util.h"

#define PLANT 4

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t next(void)
{
    uint64_t z = (rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void random_code(vg_pdq *h)
{
    for (int i = 0; i < 32; i += 8) {
        uint64_t v = next();
        memcpy(h->b + i, &v, 8);
    }
}

static void flip(const vg_pdq *src, int d, vg_pdq *h)
{
    *h = *src;
    uint8_t used[256] = {0};
    for (int done = 0; done < d;) {
        int bit = (int)(next() % 256);
        if (used[bit])
            continue;
        used[bit] = 1;
        h->b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        done++;
    }
}

/* CPU seconds of this thread: the machine is shared and oversubscribed, so
 * wall-clock rates mostly measure the other processes; CPU time still counts
 * memory stalls but not time spent descheduled. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct job {
    const vg_pdq_index *x;
    const vg_pdq *qs;
    size_t q0, q1;
    size_t matches;
    double cpu;
} job;

static void *run_queries(void *arg)
{
    job *j = arg;
    vg_pdq_results r = {0};
    double c = cpu_now();
    for (size_t i = j->q0; i < j->q1; i++) {
        vg_pdq_index_query(j->x, &j->qs[i], 1, 100, NULL, &r, NULL);
        j->matches += r.n;
    }
    j->cpu = cpu_now() - c;
    vg_pdq_results_free(&r);
    return NULL;
}

/* Queries per wall second; *per_cpu gets queries per CPU second per thread. */
static double throughput(const vg_pdq_index *x, const vg_pdq *qs, size_t nq, int threads,
                         double *per_cpu)
{
    job jobs[2];
    pthread_t th[2];
    double t0 = vg_now();
    for (int t = 0; t < threads; t++) {
        jobs[t] = (job){x, qs, nq * (size_t)t / (size_t)threads,
                        nq * (size_t)(t + 1) / (size_t)threads, 0, 0};
        pthread_create(&th[t], NULL, run_queries, &jobs[t]);
    }
    double cpu = 0;
    for (int t = 0; t < threads; t++) {
        pthread_join(th[t], NULL);
        cpu += jobs[t].cpu;
    }
    *per_cpu = (double)nq / cpu;
    return (double)nq / (vg_now() - t0);
}

typedef struct scan_hits {
    const uint64_t *ids;
    uint64_t *out;
    size_t n;
} scan_hits;

static void on_scan_hit(size_t i, int d, void *ctx)
{
    scan_hits *s = ctx;
    (void)d;
    if (s->n < 4096)
        s->out[s->n] = s->ids[i];
    s->n++;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Brute force over the same codes: latency per query and the reference answers. */
static void bench_pdq(size_t n, size_t nq, const char *file)
{
    size_t total = n + nq * PLANT;
    vg_pdq *hs = malloc(total * sizeof *hs), *qs = malloc(nq * sizeof *qs);
    uint64_t *ids = malloc(total * sizeof *ids);
    for (size_t i = 0; i < n; i++)
        random_code(&hs[i]);
    for (size_t q = 0; q < nq; q++) {
        random_code(&qs[q]);
        for (int p = 0; p < PLANT; p++)
            flip(&qs[q], (int)(next() % 32), &hs[n + q * PLANT + (size_t)p]);
    }
    for (size_t i = 0; i < total; i++)
        ids[i] = i * 2654435761u + 1;
    printf("PDQ: %zu stored codes (%zu random + %zu planted at 0..31 bits), %zu queries, radius 31\n",
           total, n, nq * PLANT, nq);

    long rss0 = rss_kb();
    double t0 = vg_now();
    vg_pdq_index *x = vg_pdq_index_new(NULL);
    vg_error e;
    if (vg_pdq_index_add_many(x, hs, ids, total, &e) != VG_OK ||
        vg_pdq_index_compact(x, &e) != VG_OK) {
        fprintf(stderr, "build: %s\n", e.msg);
        exit(1);
    }
    double build = vg_now() - t0;
    long rss1 = rss_kb();
    printf("  build: %.2f s; index memory %.1f bytes/hash (vg_pdq_index_memory), RSS growth %.1f bytes/hash\n",
           build, (double)vg_pdq_index_memory(x) / (double)total,
           (double)(rss1 - rss0) * 1024.0 / (double)total);

    /* Latency and recall, query by query, against the scan. */
    double *lat = malloc(nq * sizeof *lat), *wall = malloc(nq * sizeof *wall);
    size_t found = 0, expected = 0, exact = 0, nscan = nq < 200 ? nq : 200;
    double scan_time = 0;
    uint64_t *ref = malloc(4096 * sizeof *ref);
    vg_pdq_results r = {0};
    for (size_t q = 0; q < nq; q++) {
        double a = vg_now(), c = cpu_now();
        vg_pdq_index_query(x, &qs[q], 1, 100, NULL, &r, NULL);
        lat[q] = cpu_now() - c;
        wall[q] = vg_now() - a;
        if (q >= nscan)
            continue;
        scan_hits sh = {ids, ref, 0};
        a = cpu_now();
        vg_pdq_scan(VG_SIMD_AUTO, hs, total, &qs[q], 31, on_scan_hit, &sh);
        scan_time += cpu_now() - a;
        qsort(ref, sh.n, sizeof *ref, cmp_u64);
        expected += sh.n;
        size_t same = r.n == sh.n;
        for (size_t i = 0; i < r.n; i++) {
            found += i < sh.n && r.v[i].id == ref[i];
            same &= i < sh.n && r.v[i].id == ref[i];
        }
        exact += same;
    }
    qsort(lat, nq, sizeof *lat, cmp_double);
    qsort(wall, nq, sizeof *wall, cmp_double);
    double scan_ms = scan_time / (double)nscan * 1e3, med = lat[nq / 2] * 1e3;
    printf("  MIH single query, CPU time: median %.3f ms, p99 %.3f ms (wall: median %.3f, p99 %.3f); "
           "mean matches %.2f\n", med, lat[nq * 99 / 100] * 1e3, wall[nq / 2] * 1e3,
           wall[nq * 99 / 100] * 1e3, (double)expected / (double)nscan);
    printf("  brute-force scan (%s), same data, CPU time: %.3f ms/query (%.1f q/s) -> MIH median is %.1fx faster\n",
           vg_simd_name(vg_simd_best()), scan_ms, 1e3 / scan_ms, scan_ms / med);
    printf("  recall vs scan over %zu queries: %zu/%zu = %.4f; identical answers %zu/%zu\n", nscan,
           found, expected, expected ? (double)found / (double)expected : 1.0, exact, nscan);
    double c1, c2, t1 = throughput(x, qs, nq, 1, &c1), t2 = throughput(x, qs, nq, 2, &c2);
    printf("  throughput (wall): %.0f q/s on 1 thread, %.0f q/s on 2 threads; per CPU-second of "
           "one thread: %.0f (1 thread), %.0f (2 threads) -> 2 dedicated cores ~ %.0f q/s\n",
           t1, t2, c1, c2, 2 * c2);

    vg_pdq dih[VG_PDQ_VARIANTS];
    for (int v = 0; v < VG_PDQ_VARIANTS; v++)
        dih[v] = qs[(size_t)v % nq];
    double a = cpu_now();
    for (int i = 0; i < 50; i++)
        vg_pdq_index_query(x, dih, VG_PDQ_VARIANTS, 100, NULL, &r, NULL);
    printf("  dihedral query (8 hashes), CPU time: %.3f ms\n", (cpu_now() - a) / 50 * 1e3);
    /* Larger radii: each method forced, and what AUTO makes of it. */
    vg_pdq_query_opts o;
    vg_pdq_query_opts_init(&o);
    for (int rad = 32; rad <= 64; rad += 8) {
        double ms[3];
        o.radius = rad;
        for (int m = 0; m < 3; m++) {
            o.method = (vg_pdq_method)m;
            a = cpu_now();
            for (int i = 0; i < 20; i++)
                vg_pdq_index_query(x, &qs[i % nq], 1, 100, &o, &r, NULL);
            ms[m] = (cpu_now() - a) / 20 * 1e3;
        }
        printf("  radius %d, CPU time per query: MIH %.3f ms, scan %.3f ms, auto %.3f ms\n", rad,
               ms[VG_PDQ_MIH], ms[VG_PDQ_SCAN], ms[VG_PDQ_AUTO]);
    }

    if (file) {
        a = vg_now();
        if (vg_pdq_index_save(x, file, &e) != VG_OK)
            fprintf(stderr, "save: %s\n", e.msg);
        printf("  save: %.2f s\n", vg_now() - a);
        vg_pdq_index_free(x);
        x = NULL;
        /* Drop the file from the page cache is not possible unprivileged: this is a warm load. */
        for (int verify = 1; verify >= 0; verify--) {
            a = vg_now();
            vg_pdq_index *y = NULL;
            if (vg_pdq_index_load(file, verify ? 0 : VG_INDEX_LOAD_NOVERIFY, &y, &e) != VG_OK) {
                fprintf(stderr, "load: %s\n", e.msg);
                break;
            }
            double load = vg_now() - a;
            a = vg_now();
            vg_pdq_index_query(y, &qs[0], 1, 100, NULL, &r, NULL);
            printf("  load (%s, warm page cache): %.2f s, first query %.2f ms, %zu matches\n",
                   verify ? "checksum verified" : "no verify", load, (vg_now() - a) * 1e3, r.n);
            if (verify) { /* the loaded index serves from the file mapping (codes on the heap) */
                for (size_t q = 0; q < nq; q++) {
                    double c = cpu_now();
                    vg_pdq_index_query(y, &qs[q], 1, 100, NULL, &r, NULL);
                    lat[q] = cpu_now() - c;
                }
                qsort(lat, nq, sizeof *lat, cmp_double);
                printf("  loaded index, single query CPU time: median %.3f ms, p99 %.3f ms\n",
                       lat[nq / 2] * 1e3, lat[nq * 99 / 100] * 1e3);
            }
            vg_pdq_index_free(y);
        }
        unlink(file);
    }
    vg_pdq_index_free(x);
    vg_pdq_results_free(&r);
    free(lat);
    free(wall);
    free(ref);
    free(hs);
    free(qs);
    free(ids);
}

/* Batched lookups of nl hits then nl misses, per CPU second (M/s). */
static void batch_rates(const vg_exact_index *x, vg_digest_kind kind, const uint8_t *hit,
                        const uint8_t *miss, size_t nl, uint32_t *counts, uint64_t *first,
                        double rate[2])
{
    for (int pass = 0; pass < 2; pass++) {
        double a = cpu_now();
        vg_exact_index_find_batch(x, kind, pass ? miss : hit, nl, counts, first);
        rate[pass] = (double)nl / (cpu_now() - a) / 1e6;
    }
}

static void bench_exact(size_t n, vg_digest_kind kind, const char *name, const char *file)
{
    size_t len = vg_digest_kind_len(kind), nl = 4000000;
    uint8_t *d = malloc(n * len), *hit = malloc(nl * len), *miss = malloc(nl * len);
    for (size_t i = 0; i < n * len; i += 8) {
        uint64_t v = next();
        memcpy(d + i, &v, n * len - i < 8 ? n * len - i : 8);
    }
    for (size_t i = 0; i < nl; i++) {
        memcpy(hit + i * len, d + (next() % n) * len, len);
        for (size_t j = 0; j < len; j++)
            miss[i * len + j] = (uint8_t)next();
    }
    double t0 = vg_now();
    vg_exact_index *x = vg_exact_index_new(n, NULL);
    for (size_t i = 0; i < n; i++)
        vg_exact_index_add(x, kind, d + i * len, i, NULL);
    double build = vg_now() - t0;
    printf("exact %s: %zu entries, build %.2f s, %.1f bytes/entry\n", name, n, build,
           (double)vg_exact_index_memory(x) / (double)n);
    /* Baseline in the same run: independent random 8-byte reads over as many
     * bytes as the table holds, the floor for one cache miss per lookup. */
    size_t bytes = vg_exact_index_memory(x), words = bytes / 8;
    uint64_t *mem = malloc(words * 8), sum = 0;
    memset(mem, 1, words * 8);
    uint64_t *at = malloc(nl * sizeof *at);
    for (size_t i = 0; i < nl; i++)
        at[i] = next() % words;
    double a0 = cpu_now();
    for (size_t i = 0; i < nl; i++)
        sum += mem[at[i]];
    double rnd = (double)nl / (cpu_now() - a0);
    printf("  baseline (CPU time, as below): %.2f M random reads/s over %zu MB (sum %llu)\n", rnd / 1e6, bytes >> 20,
           (unsigned long long)(sum & 1));
    free(mem);
    free(at);
    uint32_t *counts = malloc(nl * sizeof *counts);
    uint64_t *first = malloc(nl * sizeof *first), id;
    for (int pass = 0; pass < 2; pass++) {
        const uint8_t *qs = pass ? miss : hit;
        size_t got = 0;
        double a = cpu_now();
        for (size_t i = 0; i < nl; i++)
            got += vg_exact_index_find(x, kind, qs + i * len, &id, 1);
        double one = (double)nl / (cpu_now() - a);
        a = cpu_now();
        vg_exact_index_find_batch(x, kind, qs, nl, counts, first);
        double batch = (double)nl / (cpu_now() - a);
        printf("  %s: %.2f M lookups/s one by one, %.2f M/s batched = %.2fx the random-read "
               "baseline (found %zu of %zu)\n",
               pass ? "misses" : "hits", one / 1e6, batch / 1e6, batch / rnd, got, nl);
    }
    if (file) {
        double a = vg_now(), rate[2];
        vg_error e;
        if (vg_exact_index_save(x, file, &e) != VG_OK)
            fprintf(stderr, "save: %s\n", e.msg);
        double save = vg_now() - a;
        vg_exact_index_free(x);
        x = NULL;
        a = vg_now();
        if (vg_exact_index_load(file, 0, &x, &e) != VG_OK) {
            fprintf(stderr, "load: %s\n", e.msg);
        } else {
            double load = vg_now() - a;
            batch_rates(x, kind, hit, miss, nl, counts, first, rate);
            printf("  file: save %.2f s, load (mapped, checksum verified, warm page cache) %.2f s; "
                   "batched on the mapped index: hits %.2f M/s, misses %.2f M/s\n",
                   save, load, rate[0], rate[1]);
        }
        unlink(file);
    }
    vg_exact_index_free(x);
    free(counts);
    free(first);
    free(d);
    free(hit);
    free(miss);
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 10000000;
    size_t nq = argc > 2 ? strtoull(argv[2], NULL, 10) : 2000;
    const char *file = argc > 3 && strcmp(argv[3], "-") != 0 ? argv[3] : NULL;
    if (nq < 8)
        nq = 8;
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("kernel: %s; cores online: %ld\n", vg_simd_name(vg_simd_best()),
           sysconf(_SC_NPROCESSORS_ONLN));
    const char *what = argc > 4 ? argv[4] : "all";
    if (strcmp(what, "exact") != 0)
        bench_pdq(n, nq, file);
    if (strcmp(what, "pdq") != 0) {
        bench_exact(n, VG_DIGEST_SHA256, "SHA-256", file);
        bench_exact(n, VG_DIGEST_MD5, "MD5", file);
    }
    return 0;
}
