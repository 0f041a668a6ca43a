/* bench_library.c - import speed of the hash library against the reader
 * alone, and the matcher's index build, cache load and lookups.
 *
 * usage: bench_library N DIR. Writes DIR/md5.txt (N md5sum lines) and
 * DIR/pdq.txt (N "HEX,quality" lines) from a fixed seed, then times:
 *   read    vg_hashset_read with an empty callback (the baseline)
 *   import  vg_library_import (source SHA-256 + read + one INSERT per entry,
 *           one transaction)
 *   build   vg_matcher_open on a cold cache (reads entries, builds, saves)
 *   load    vg_matcher_open again (maps the cached index files)
 *   lookup  vg_matcher_match of files with random digests (misses) and of
 *           known ones (hits), exact kinds only
 * Wall seconds and process CPU seconds are printed; the machine is shared,
 * so compare ratios within one run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vigil/library.h"
#include "vigil/util.h"

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void rand_bytes(uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i += 8) {
        uint64_t x = next();
        memcpy(b + i, &x, n - i < 8 ? n - i : 8);
    }
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int write_lists(const char *dir, long n, char *md5p, char *pdqp, size_t len)
{
    FILE *a, *b;
    uint8_t h[32];
    char hex[65];

    snprintf(md5p, len, "%s/md5.txt", dir);
    snprintf(pdqp, len, "%s/pdq.txt", dir);
    if (!(a = fopen(md5p, "w")) || !(b = fopen(pdqp, "w")))
        return -1;
    for (long i = 0; i < n; i++) {
        rand_bytes(h, 16);
        vg_hex_encode(h, 16, hex);
        fprintf(a, "%s  file%ld.jpg\n", hex, i);
        rand_bytes(h, 32);
        vg_hex_encode(h, 32, hex);
        fprintf(b, "%s,%d\n", hex, 50 + (int)(next() % 51));
    }
    return fclose(a) | fclose(b);
}

static int noop(void *ctx, const vg_hs_entry *e)
{
    (void)e;
    (*(uint64_t *)ctx)++;
    return 0;
}

typedef struct timing {
    double wall, cpu;
} timing;

static timing t_start(void)
{
    timing t = {vg_now(), cpu_now()};
    return t;
}

static timing t_since(timing s)
{
    timing t = {vg_now() - s.wall, cpu_now() - s.cpu};
    return t;
}

static void row(const char *what, timing t, double n, const char *unit, double base)
{
    printf("%-28s %8.3f s wall %8.3f s cpu  %12.0f %s/s wall", what, t.wall, t.cpu, n / t.wall,
           unit);
    if (base > 0)
        printf("  x%.2f of read", base / t.wall);
    putchar('\n');
}

static int bench_sets(vg_library *lib, const char *md5p, const char *pdqp, long n)
{
    vg_error err;
    uint64_t cnt = 0;
    timing t0, tr, ti;

    t0 = t_start();
    if (vg_hashset_read(md5p, VG_HS_FMT_MD5SUM, NULL, noop, &cnt, NULL, &err) != VG_OK)
        return fprintf(stderr, "read: %s\n", err.msg), -1;
    tr = t_since(t0);
    row("read md5sum (baseline)", tr, (double)n, "entries", 0);
    t0 = t_start();
    if (vg_library_import(lib, "md5", md5p, VG_HS_FMT_MD5SUM, NULL, NULL, NULL, &err) != VG_OK)
        return fprintf(stderr, "import: %s\n", err.msg), -1;
    ti = t_since(t0);
    row("import md5sum", ti, (double)n, "entries", tr.wall);

    t0 = t_start();
    if (vg_hashset_read(pdqp, VG_HS_FMT_PDQ, NULL, noop, &cnt, NULL, &err) != VG_OK)
        return fprintf(stderr, "read: %s\n", err.msg), -1;
    tr = t_since(t0);
    row("read pdq (baseline)", tr, (double)n, "entries", 0);
    t0 = t_start();
    if (vg_library_import(lib, "pdq", pdqp, VG_HS_FMT_PDQ, NULL, NULL, NULL, &err) != VG_OK)
        return fprintf(stderr, "import: %s\n", err.msg), -1;
    ti = t_since(t0);
    row("import pdq", ti, (double)n, "entries", tr.wall);
    return 0;
}

static vg_matcher *open_timed(vg_library *lib, const char *what, long n)
{
    vg_matcher *m;
    vg_matcher_stats st;
    vg_error err;
    timing t0 = t_start();

    if (vg_matcher_open(lib, NULL, 0, 0, &m, &err) != VG_OK) {
        fprintf(stderr, "matcher: %s\n", err.msg);
        return NULL;
    }
    timing t = t_since(t0);
    vg_matcher_get_stats(m, &st);
    row(what, t, 2.0 * (double)n, "entries", 0);
    printf("%28s built %zu, loaded %zu, written %zu\n", "", st.built, st.cache_loaded,
           st.cache_written);
    return m;
}

static void bench_lookups(vg_matcher *m, const char *md5p)
{
    vg_file_hashes h;
    vg_match_list l = {0};
    vg_error err;
    const long q = 200000;
    long hits = 0;
    FILE *f = fopen(md5p, "r");
    char line[256];
    timing t0;

    memset(&h, 0, sizeof h);
    t0 = t_start();
    for (long i = 0; i < q; i++) {
        rand_bytes(h.digests.md5, 16);
        rand_bytes(h.digests.sha1, 20);
        rand_bytes(h.digests.sha256, 32);
        vg_matcher_match(m, &h, NULL, &l, &err);
        hits += (long)l.n;
    }
    row("match, random (misses)", t_since(t0), (double)q, "files", 0);
    t0 = t_start();
    for (long i = 0; f && i < q && fgets(line, sizeof line, f); i++) {
        vg_hex_decode(line, 16, h.digests.md5);
        vg_matcher_match(m, &h, NULL, &l, &err);
        hits += (long)l.n;
    }
    row("match, known md5 (hits)", t_since(t0), (double)q, "files", 0);
    printf("%28s %ld matches\n", "", hits);
    if (f)
        fclose(f);
    vg_match_list_free(&l);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    const char *dir = argc > 2 ? argv[2] : "/tmp";
    char md5p[4200], pdqp[4200], libp[4200], cmd[4 * 4200 + 64];
    vg_library *lib;
    vg_matcher *m;
    vg_error err;

    if (n <= 0 || write_lists(dir, n, md5p, pdqp, sizeof md5p) != 0)
        return fprintf(stderr, "usage: bench_library N DIR (DIR writable)\n"), 2;
    snprintf(libp, sizeof libp, "%s/lib.db", dir);
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s-wal' '%s-shm' '%s.idx'", libp, libp, libp, libp);
    if (system(cmd) != 0 || vg_library_open(libp, 1, &lib, &err) != VG_OK)
        return fprintf(stderr, "library: %s\n", err.msg), 1;
    printf("N = %ld entries per list\n", n);
    if (bench_sets(lib, md5p, pdqp, n) != 0)
        return 1;
    if (!(m = open_timed(lib, "matcher open, cold", n)))
        return 1;
    vg_matcher_free(m);
    if (!(m = open_timed(lib, "matcher open, cached", n)))
        return 1;
    bench_lookups(m, md5p);
    vg_matcher_free(m);
    vg_library_close(lib);
    return 0;
}
