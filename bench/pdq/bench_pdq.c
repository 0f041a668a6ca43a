/* bench_pdq.c - PDQ hashing speed and fast-mode accuracy on a photo corpus.
 *
 * Usage: bench_pdq CORPUS [--rounds N] [--explore] [--only SUBSTRING]
 * CORPUS is what make-corpus.sh builds. Every file is read into memory
 * first; each pipeline then runs over all JPEGs in this one thread (pinned to
 * one CPU) and is timed by thread CPU time, the best of N rounds, pipelines
 * interleaved within a round so that load from other processes hits them
 * alike. Baselines in the same run: libjpeg-turbo decoding the same buffers
 * to full-size RGB, and DCT-scaled by 1/8, output discarded.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <sched.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jpeglib.h>

#include "vigil/pdq.h"

typedef struct file {
    char name[320];
    uint8_t *buf;
    size_t len;
} file;

typedef struct corpus {
    file *f;
    size_t n;
    size_t bytes;
} corpus;

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *b = NULL;
    long n;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (b = malloc((size_t)n)) && fread(b, 1, (size_t)n, f) == (size_t)n)
        *len = (size_t)n;
    else {
        free(b);
        b = NULL;
    }
    fclose(f);
    return b;
}

static int has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a > b && strcmp(s + a - b, suf) == 0;
}

static const char *only; /* --only: names containing it, for the main JPEG set */

/* All files of dir/sub ending in suffix, in name order, preloaded. */
static corpus load(const char *dir, const char *sub, const char *suffix)
{
    corpus c = {0};
    struct dirent **names;
    char path[4096];
    int n;

    snprintf(path, sizeof path, "%s/%s", dir, sub);
    n = scandir(path, &names, NULL, alphasort);
    if (n < 0)
        return c;
    c.f = calloc((size_t)n, sizeof *c.f);
    for (int i = 0; i < n; i++) {
        if (has_suffix(names[i]->d_name, suffix) &&
            (!only || strcmp(sub, "jpeg") != 0 || strstr(names[i]->d_name, only))) {
            file *f = &c.f[c.n];
            snprintf(path, sizeof path, "%s/%s/%s", dir, sub, names[i]->d_name);
            snprintf(f->name, sizeof f->name, "%s/%s", sub, names[i]->d_name);
            if ((f->buf = slurp(path, &f->len))) {
                c.bytes += f->len;
                c.n++;
            }
        }
        free(names[i]);
    }
    free(names);
    return c;
}

/* --- baselines: plain libjpeg-turbo ----------------------------------- */

typedef struct jerr {
    struct jpeg_error_mgr pub;
    jmp_buf jb;
} jerr;

static void jerr_exit(j_common_ptr c)
{
    longjmp(((jerr *)c->err)->jb, 1);
}

static void jerr_quiet(j_common_ptr c, int level)
{
}

/* Decodes to RGB (or Y) at 1/denom, row by row, discarding the rows. */
static int floor_decode(const file *f, int denom, int grey)
{
    struct jpeg_decompress_struct c;
    jerr e;
    static uint8_t row[65536 * 3];
    volatile int ok = 0;

    c.err = jpeg_std_error(&e.pub);
    e.pub.error_exit = jerr_exit;
    e.pub.emit_message = jerr_quiet;
    jpeg_create_decompress(&c);
    if (setjmp(e.jb) == 0) {
        jpeg_mem_src(&c, f->buf, (unsigned long)f->len);
        jpeg_read_header(&c, TRUE);
        c.out_color_space = grey ? JCS_GRAYSCALE : JCS_RGB;
        c.scale_num = 1;
        c.scale_denom = (unsigned)denom;
        jpeg_start_decompress(&c);
        while (c.output_scanline < c.output_height) {
            JSAMPROW r = row;
            jpeg_read_scanlines(&c, &r, 1);
        }
        jpeg_finish_decompress(&c);
        ok = 1;
    }
    jpeg_destroy_decompress(&c);
    return ok;
}

/* --- vigil pipelines --------------------------------------------------- */

typedef struct mode {
    const char *name;
    vg_decode_opts opts;
} mode;

static int vigil_hash(const file *f, const vg_decode_opts *o, int dihedral, vg_pdq *h, int *q)
{
    vg_image img;
    vg_error err;
    int ok = vg_image_decode(f->buf, f->len, o, &img, &err) == VG_OK &&
             vg_pdq_hash(&img, dihedral, h, q, &err) == VG_OK;
    vg_image_free(&img);
    return ok;
}

/* --- measurement ------------------------------------------------------- */

enum { P_FLOOR_RGB, P_FLOOR_8, P_EXACT, P_FAST, P_FIXED };

typedef struct pipe {
    const char *name;
    int kind;
    vg_decode_opts opts; /* vigil pipelines */
    double best;         /* CPU seconds, best round */
    vg_pdq *hash;        /* per file, vigil pipelines */
    int failures;
} pipe_t;

static void run_pipe(pipe_t *p, const corpus *c)
{
    double t0 = cpu_now();
    int fail = 0;

    for (size_t i = 0; i < c->n; i++) {
        int q;
        switch (p->kind) {
        case P_FLOOR_RGB: fail += !floor_decode(&c->f[i], 1, 0); break;
        case P_FLOOR_8: fail += !floor_decode(&c->f[i], 8, 0); break;
        default: fail += !vigil_hash(&c->f[i], &p->opts, 0, &p->hash[i], &q); break;
        }
    }
    double t = cpu_now() - t0;
    if (p->best == 0 || t < p->best)
        p->best = t;
    p->failures = fail;
}

static int cmp_int(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

/* Median, 90th percentile, max and count of zeros of d[0..n-1] (sorted). */
static void dist_stats(const vg_pdq *a, const vg_pdq *b, size_t n, char *out, size_t cap)
{
    int *d = malloc(n * sizeof *d), same = 0;
    for (size_t i = 0; i < n; i++) {
        d[i] = vg_pdq_distance(&a[i], &b[i]);
        same += d[i] == 0;
    }
    qsort(d, n, sizeof *d, cmp_int);
    snprintf(out, cap, "median %2d  p90 %2d  max %3d  identical %zu/%zu", d[n / 2],
             d[n * 9 / 10], d[n - 1], (size_t)same, n);
    free(d);
}

static const file *find(const corpus *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->f[i].name, name) == 0)
            return &c->f[i];
    return NULL;
}

/* Smallest distance from h to any of the 8 variants in v. */
static int min_dihedral(const vg_pdq *v, const vg_pdq *h)
{
    int best = 256;
    for (int k = 0; k < VG_PDQ_VARIANTS; k++) {
        int d = vg_pdq_distance(&v[k], h);
        best = d < best ? d : best;
    }
    return best;
}

/* Transformed copies: does each pair that matches (<= 31, any of the 8
 * variants) in exact mode still match in fast mode? */
static void match_check(const char *dir, const corpus *jpegs, const vg_decode_opts *fast)
{
    char path[4096], a[300], b[300];
    corpus tr = load(dir, "transformed", ".jpg");
    FILE *f;
    int pairs = 0, exact_match = 0, fast_kept = 0, fast_only = 0, worst = 0;
    vg_decode_opts exact = {0};

    vg_pdq_decode_opts(&exact, 0);
    snprintf(path, sizeof path, "%s/transformed/pairs.txt", dir);
    f = fopen(path, "r");
    if (!f) {
        printf("no %s\n", path);
        return;
    }
    while (fscanf(f, "%299s %299s", a, b) == 2) {
        const file *fa = find(jpegs, a), *fb = find(&tr, b);
        vg_pdq va[8], vb, fa8[8], fb1;
        int q, de, df;
        if (!fa || !fb || !vigil_hash(fa, &exact, 1, va, &q) || !vigil_hash(fb, &exact, 0, &vb, &q) ||
            !vigil_hash(fa, fast, 1, fa8, &q) || !vigil_hash(fb, fast, 0, &fb1, &q))
            continue;
        pairs++;
        de = min_dihedral(va, &vb);
        df = min_dihedral(fa8, &fb1);
        if (de <= 31) {
            exact_match++;
            fast_kept += df <= 31;
            if (df > worst)
                worst = df;
        } else if (df <= 31) {
            fast_only++;
        }
    }
    fclose(f);
    printf("transformed pairs: %d; exact matches %d; fast keeps %d of them (worst fast distance "
           "%d); fast-only matches %d -> %s\n",
           pairs, exact_match, fast_kept, worst, fast_only,
           fast_kept == exact_match ? "ALL KEPT" : "SOME LOST");
}

static void pin_one_cpu(void)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    sched_setaffinity(0, sizeof set, &set);
}

/* Speed of both modes on the other formats' copies, and how far fast mode
 * (grey output; DCT scaling is JPEG only) moves their hashes. */
static void other_formats(const char *dir)
{
    static const char *const kinds[][2] = {{"png", ".png"}, {"webp", ".webp"}, {"heic", ".heic"}};
    vg_decode_opts o[2] = {{0}, {0}};

    vg_pdq_decode_opts(&o[0], 0);
    vg_pdq_decode_opts(&o[1], 1);
    for (int k = 0; k < 3; k++) {
        corpus c = load(dir, kinds[k][0], kinds[k][1]);
        vg_pdq *h[2];
        double ips[2];
        int ok = 0;
        char dist[128] = "";
        if (!c.n)
            continue;
        for (int m = 0; m < 2; m++) {
            double t0 = cpu_now();
            h[m] = calloc(c.n, sizeof(vg_pdq));
            for (size_t i = 0; i < c.n; i++) {
                int q;
                ok += vigil_hash(&c.f[i], &o[m], 0, &h[m][i], &q);
            }
            ips[m] = c.n / (cpu_now() - t0);
        }
        dist_stats(h[0], h[1], c.n, dist, sizeof dist);
        printf("%-4s copies: %3zu files (%d hashes ok); exact %6.1f images/s, fast %6.1f images/s; "
               "fast vs exact %s\n",
               kinds[k][0], c.n, ok, ips[0], ips[1], dist);
        for (size_t i = 0; i < c.n; i++)
            free(c.f[i].buf);
        free(c.f);
        free(h[0]);
        free(h[1]);
    }
}

int main(int argc, char **argv)
{
    int rounds = 3, explore = 0;
    const char *dir = NULL;
    pipe_t p[16];
    size_t np = 0;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (strcmp(argv[i], "--explore") == 0)
            explore = 1;
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only = argv[++i];
        else
            dir = argv[i];
    }
    if (!dir) {
        fprintf(stderr, "usage: bench_pdq CORPUS [--rounds N] [--explore] [--only SUBSTRING]\n");
        return 2;
    }
    pin_one_cpu();
    corpus c = load(dir, "jpeg", ".jpg");
    if (c.n == 0) {
        fprintf(stderr, "bench_pdq: no JPEGs in %s/jpeg (run make-corpus.sh)\n", dir);
        return 1;
    }
    printf("corpus: %zu JPEGs%s%s, %.1f MB, in memory; one thread pinned to CPU 0; best of %d "
           "rounds, thread CPU time\n",
           c.n, only ? " named *" : "", only ? only : "", c.bytes / 1e6, rounds);

    memset(p, 0, sizeof p);
    p[np++] = (pipe_t){.name = "libjpeg-turbo full RGB decode (floor)", .kind = P_FLOOR_RGB};
    p[np++] = (pipe_t){.name = "libjpeg-turbo 1/8 RGB decode (floor)", .kind = P_FLOOR_8};
    p[np] = (pipe_t){.name = "vigil exact (decode + PDQ)", .kind = P_EXACT};
    vg_pdq_decode_opts(&p[np++].opts, 0);
    p[np] = (pipe_t){.name = "vigil fast (decode + PDQ)", .kind = P_FAST};
    vg_pdq_decode_opts(&p[np++].opts, 1);
    if (explore) {
        static const struct {
            const char *name;
            uint32_t side;
            int denom, grey;
        } cand[] = {
            {"Y full size", 512, 1, 1},       {"RGB <=1/2 keep>=512", 512, 2, 0},
            {"Y <=1/2 keep>=512", 512, 2, 1}, {"RGB <=1/4 keep>=512", 512, 4, 0},
            {"Y <=1/4 keep>=512", 512, 4, 1}, {"RGB <=1/8 keep>=512", 512, 8, 0},
            {"Y <=1/8 keep>=512", 512, 8, 1}, {"RGB 1/8 always", 0, 8, 0},
            {"Y 1/8 always", 0, 8, 1},
        };
        for (size_t k = 0; k < sizeof cand / sizeof cand[0]; k++) {
            p[np] = (pipe_t){.name = cand[k].name, .kind = P_FIXED};
            p[np].opts.pdq_side = cand[k].side;
            p[np].opts.scale_denom = cand[k].denom;
            p[np++].opts.grey = cand[k].grey;
        }
    }
    for (size_t k = 0; k < np; k++)
        p[k].hash = calloc(c.n, sizeof(vg_pdq));
    for (int r = 0; r < rounds; r++)
        for (size_t k = 0; k < np; k++)
            run_pipe(&p[k], &c);

    double floor_rgb = c.n / p[P_FLOOR_RGB].best, floor8 = c.n / p[P_FLOOR_8].best;
    for (size_t k = 0; k < np; k++) {
        double ips = c.n / p[k].best;
        char dist[128] = "";
        if (k >= P_FAST)
            dist_stats(p[P_EXACT].hash, p[k].hash, c.n, dist, sizeof dist);
        printf("%-40s %7.1f images/s  %5.2fx full floor  %5.2fx 1/8 floor  %s%s\n", p[k].name,
               ips, floor_rgb / ips, floor8 / ips, dist, p[k].failures ? "  FAILURES" : "");
    }
    printf("target exact: <= 1.30x the full-decode floor: %.2fx %s\n", floor_rgb / (c.n / p[P_EXACT].best),
           floor_rgb / (c.n / p[P_EXACT].best) <= 1.3 ? "MET" : "MISSED");
    printf("target fast:  <= 1.30x the 1/8-decode floor:  %.2fx %s\n", floor8 / (c.n / p[P_FAST].best),
           floor8 / (c.n / p[P_FAST].best) <= 1.3 ? "MET" : "MISSED");
    if (!only) {
        match_check(dir, &c, &p[P_FAST].opts);
        other_formats(dir);
    }
    return 0;
}
