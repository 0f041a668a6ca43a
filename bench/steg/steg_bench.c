/* steg_bench.c - the steganalysis benchmark: ROC figures per embedder and
 * rate, structural detection, cost on a 12-megapixel image. Driven by run.sh.
 *
 *   steg_bench nzac FILE.jpg            non-zero AC coefficients
 *   steg_bench lsb COVERS JPEGS         LSB replacement / matching sets
 *   steg_bench jpeg JPEGS SET...        JPEG-domain detectors, covers vs sets
 *   steg_bench struct COVERS JPEGS      structural sets and false positives
 *   steg_bench time FILE.png FILE.jpg   cost of structural + SPA + WS
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stegsim.h"
#include "vigil/image.h"
#include "vigil/steg.h"

#define MAXF 4096

static uint8_t *test_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *b = NULL;
    long n;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (b = malloc((size_t)n + 1)) && fread(b, 1, (size_t)n, f) == (size_t)n)
        *len = (size_t)n;
    else {
        free(b);
        b = NULL;
    }
    fclose(f);
    return b;
}

static int list(const char *dir, char **names, const char *ext)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) && n < MAXF) {
        size_t l = strlen(e->d_name);
        if (l > 4 && strcmp(e->d_name + l - 4, ext) == 0) {
            names[n] = malloc(strlen(dir) + l + 2);
            snprintf(names[n], strlen(dir) + l + 2, "%s/%s", dir, e->d_name);
            n++;
        }
    }
    if (d)
        closedir(d);
    for (int i = 0; i < n; i++) /* sorted, so sets pair up by name */
        for (int j = i + 1; j < n; j++)
            if (strcmp(names[i], names[j]) > 0) {
                char *t = names[i];
                names[i] = names[j];
                names[j] = t;
            }
    return n;
}

static int cmpd(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* AUC (Mann-Whitney, ties 1/2), detection at 1 % and 5 % FP. */
static void roc(const char *name, const double *c, int nc, const double *s, int ns)
{
    double auc = 0;
    for (int i = 0; i < ns; i++)
        for (int j = 0; j < nc; j++)
            auc += s[i] > c[j] ? 1 : s[i] == c[j] ? 0.5 : 0;
    auc /= (double)nc * ns;
    double *sc = malloc(nc * sizeof *sc);
    memcpy(sc, c, nc * sizeof *sc);
    qsort(sc, nc, sizeof *sc, cmpd);
    double det[2];
    const double fp[2] = {0.01, 0.05};
    for (int k = 0; k < 2; k++) {
        int idx = (int)ceil((1 - fp[k]) * nc) - 1;
        double thr = sc[idx < 0 ? 0 : idx];
        int d = 0;
        for (int i = 0; i < ns; i++)
            d += s[i] > thr;
        det[k] = (double)d / ns;
    }
    printf("%-36s AUC %.3f  det@1%%FP %5.1f%%  det@5%%FP %5.1f%%\n", name, auc, 100 * det[0],
           100 * det[1]);
    free(sc);
}

/* The score that 1 % (or 5 %) of covers exceed: the threshold for that FP rate. */
static double quantile(const double *v, int n, double q)
{
    if (n <= 0)
        return 0;
    double *t = malloc(n * sizeof *t);
    memcpy(t, v, n * sizeof *t);
    qsort(t, n, sizeof *t, cmpd);
    int i = (int)ceil(q * n) - 1;
    double r = t[i < 0 ? 0 : i];
    free(t);
    return r;
}

static double flagged(const double *v, int n, double thr)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        k += v[i] > thr;
    return 100.0 * k / n;
}

static uint8_t *decode(const char *path, vg_image *img)
{
    size_t n;
    uint8_t *b = test_slurp(path, &n);
    if (!b)
        return NULL;
    vg_decode_opts o;
    memset(&o, 0, sizeof o);
    vg_status st = vg_image_decode(b, n, &o, img, NULL);
    free(b);
    return st ? NULL : img->pixels;
}

enum { D_SPA, D_WS, D_RS, D_SPAM, D_WSM, D_RSM, D_FUSED, ND };
static const char *DN[ND] = {"SPA max", "WS max", "RS max", "SPA mean", "WS mean", "RS mean",
                             "(SPA+WS)/2 mean"};

static double last_block; /* blockiness of the last scored image */

static void scores(const vg_image *img, const uint8_t *pix, double *out, int *na)
{
    vg_steg_pixels px = {pix, img->pix_width, img->pix_height, img->channels, img->stride};
    vg_steg_lsb r;
    vg_steg_lsb_analyse(&px, &r, NULL);
    last_block = r.blockiness;
    *na = r.image_na;
    out[D_SPA] = r.spa_max;
    out[D_WS] = r.ws_max;
    out[D_RS] = r.rs_max;
    out[D_SPAM] = r.spa_mean;
    out[D_WSM] = r.ws_mean;
    out[D_RSM] = r.rs_mean;
    out[D_FUSED] = (r.spa_mean + r.ws_mean) / 2;
}

static int cmd_lsb(const char *covers, const char *jpegs)
{
    static char *names[MAXF], *jn[MAXF];
    int n = list(covers, names, ".png"), nj = list(jpegs, jn, ".jpg");
    static const double rates[4] = {0.05, 0.10, 0.25, 0.50};
    double *c[ND], *s[2][4][ND];
    for (int d = 0; d < ND; d++) {
        c[d] = calloc(n, sizeof(double));
        for (int e = 0; e < 2; e++)
            for (int r = 0; r < 4; r++)
                s[e][r][d] = calloc(n, sizeof(double));
    }
    double *bl_png = calloc(n + 1, sizeof(double)), *bl_jpg = calloc(nj + 1, sizeof(double));
    int na_count[6] = {0}, vflag = 0, m = 0; /* m: analysable covers, scored below */
    for (int i = 0; i < n; i++) {
        vg_image img;
        if (!decode(names[i], &img))
            return fprintf(stderr, "cannot decode %s\n", names[i]), 1;
        size_t len = (size_t)img.pix_height * img.stride;
        double v[ND];
        int na;
        scores(&img, img.pixels, v, &na);
        bl_png[i] = last_block;
        na_count[na]++;
        if (na) { /* the verdict never scores such an image: no ROC point */
            vg_image_free(&img);
            continue;
        }
        vflag += v[D_WSM] > VG_STEG_T_WS || v[D_WS] > VG_STEG_T_CHANNEL;
        for (int d = 0; d < ND; d++)
            c[d][m] = v[d];
        uint8_t *w = malloc(len);
        for (int e = 0; e < 2; e++)
            for (int r = 0; r < 4; r++) {
                memcpy(w, img.pixels, len);
                if (e == 0)
                    sim_lsb_replace(w, len, rates[r], 1000 + i);
                else
                    sim_lsb_match(w, len, rates[r], 2000 + i);
                scores(&img, w, v, &na);
                for (int d = 0; d < ND; d++)
                    s[e][r][d][m] = v[d];
            }
        m++;
        free(w);
        vg_image_free(&img);
    }
    printf("LSB sets: %d never-compressed PNG covers, %d analysable; not analysable:", n, m);
    for (int k = 1; k < 6; k++)
        printf(" %s %d", vg_steg_na_name((vg_steg_na)k), na_count[k]);
    printf("\n(ROC below over the analysable covers and their stego versions)\n");
    printf("verdict rule (WS mean>%.2f or WS max>%.2f): FP on analysable covers %.1f%% (%d of %d)\n",
           VG_STEG_T_WS, VG_STEG_T_CHANNEL, 100.0 * vflag / (m ? m : 1), vflag, m);
    for (int d = 0; d < ND; d++) {
        double mean = 0;
        for (int i = 0; i < m; i++)
            mean += c[d][i];
        printf("  %-16s on covers: mean %.4f, > 0.05 in %.1f%%, p95 %.4f, p99 %.4f\n", DN[d],
               mean / (m ? m : 1), flagged(c[d], m, 0.05), quantile(c[d], m, 0.95),
               quantile(c[d], m, 0.99));
    }
    char name[64];
    for (int e = 0; e < 2; e++)
        for (int r = 0; r < 4; r++)
            for (int d = 0; d < ND; d++) {
                snprintf(name, sizeof name, "%s %.2f bpc %s", e ? "LSBM" : "LSBR", rates[r], DN[d]);
                roc(name, c[d], m, s[e][r][d], m);
            }
    for (int e = 0; e < 2; e++)
        for (int r = 0; r < 4; r++) {
            int k = 0;
            for (int i = 0; i < m; i++)
                k += s[e][r][D_WSM][i] > VG_STEG_T_WS || s[e][r][D_WS][i] > VG_STEG_T_CHANNEL;
            printf("%s %.2f bpc: flagged by the verdict rule %.1f%% (%d of %d)\n", e ? "LSBM" : "LSBR",
                   rates[r], 100.0 * k / (m ? m : 1), k, m);
        }
    /* JPEG-origin: the q85 versions of the covers, decoded. */
    int jo = 0, pa = 0, pf = 0, nb = 0;
    for (int i = 0; i < nj; i++) {
        vg_image img;
        if (!decode(jn[i], &img))
            continue;
        double v[ND];
        int na;
        scores(&img, img.pixels, v, &na);
        bl_jpg[nb++] = last_block;
        jo += na == VG_STEG_NA_JPEG_ORIGIN;
        pa += na == VG_STEG_ANALYSABLE;
        pf += na == VG_STEG_ANALYSABLE && v[D_WSM] > VG_STEG_T_WS;
        vg_image_free(&img);
    }
    qsort(bl_png, n, sizeof(double), cmpd);
    qsort(bl_jpg, nb, sizeof(double), cmpd);
    printf("blockiness, PNG covers: min %.3f median %.3f p99 %.3f max %.3f; decoded q85 JPEGs: min %.3f "
           "p5 %.3f median %.3f\n", bl_png[0], bl_png[n / 2], bl_png[(n * 99) / 100], bl_png[n - 1],
           bl_jpg[0], bl_jpg[nb / 20], bl_jpg[nb / 2]);
    printf("decoded q85 JPEGs left analysable and flagged by WS mean > %.2f: %d\n", VG_STEG_T_WS, pf);
    printf("JPEG-origin check: %d of %d decoded q85 JPEGs flagged jpeg-origin, %d left analysable; "
           "%d of %d PNG covers flagged\n", jo, nj, pa, na_count[VG_STEG_NA_JPEG_ORIGIN], n);
    return 0;
}

static int cmd_nzac(const char *path)
{
    size_t n;
    uint8_t *b = test_slurp(path, &n);
    vg_steg_jpeg j;
    if (!b || vg_steg_jpeg_stats(b, n, NULL, &j, NULL))
        return 1;
    printf("%llu\n", (unsigned long long)j.nonzero_ac);
    free(b);
    return 0;
}

enum { J_JSTEG, J_F5, J_CAL, J_BLK, NJ };
static const char *JN[NJ] = {"jsteg prefix", "F5 beta", "calib dist", "calib blockiness"};

static int jscores(const char *dir, double **v, int *n)
{
    static char *names[MAXF];
    *n = list(dir, names, ".jpg");
    for (int d = 0; d < NJ; d++)
        v[d] = calloc(*n + 1, sizeof(double));
    int ok = 0;
    for (int i = 0; i < *n; i++) {
        size_t len;
        uint8_t *b = test_slurp(names[i], &len);
        vg_steg_jpeg j;
        if (b && vg_steg_jpeg_stats(b, len, NULL, &j, NULL) == VG_OK) {
            v[J_JSTEG][ok] = j.jsteg_prefix;
            v[J_F5][ok] = j.f5_beta;
            v[J_CAL][ok] = j.calib_dist;
            v[J_BLK][ok] = j.calib_block;
            ok++;
        }
        free(b);
        free(names[i]);
    }
    *n = ok;
    return ok;
}

static int cmd_jpeg(int argc, char **argv)
{
    double *c[NJ], *s[NJ];
    int nc, ns;
    if (!jscores(argv[0], c, &nc))
        return 1;
    printf("JPEG sets: %d q85 covers\n", nc);
    for (int d = 0; d < NJ; d++) {
        double m = 0;
        for (int i = 0; i < nc; i++)
            m += c[d][i];
        printf("  %-16s on covers: mean %.4f, p95 %.4f, p99 %.4f\n", JN[d], m / nc,
               quantile(c[d], nc, 0.95), quantile(c[d], nc, 0.99));
    }
    int any = 0;
    for (int i = 0; i < nc; i++)
        any += c[J_JSTEG][i] > VG_STEG_T_JSTEG || c[J_F5][i] > VG_STEG_T_F5 || c[J_BLK][i] > VG_STEG_T_BLOCK;
    printf("verdict thresholds (jsteg>%.2f, F5>%.2f, calib blockiness>%.3f): FP on covers %.1f%% / %.1f%% / "
           "%.1f%%, any %.1f%% (%d of %d)\n",
           VG_STEG_T_JSTEG, VG_STEG_T_F5, VG_STEG_T_BLOCK, flagged(c[J_JSTEG], nc, VG_STEG_T_JSTEG),
           flagged(c[J_F5], nc, VG_STEG_T_F5), flagged(c[J_BLK], nc, VG_STEG_T_BLOCK), 100.0 * any / nc, any, nc);
    for (int a = 1; a < argc; a++) {
        if (!jscores(argv[a], s, &ns))
            continue;
        const char *base = strrchr(argv[a], '/');
        base = base ? base + 1 : argv[a];
        for (int d = 0; d < NJ; d++) {
            char name[96];
            snprintf(name, sizeof name, "%s (%d) %s", base, ns, JN[d]);
            roc(name, c[d], nc, s[d], ns);
        }
        int k = 0;
        for (int i = 0; i < ns; i++)
            k += s[J_JSTEG][i] > VG_STEG_T_JSTEG || s[J_F5][i] > VG_STEG_T_F5 || s[J_BLK][i] > VG_STEG_T_BLOCK;
        printf("%s: flagged by the verdict rules %.1f%% (%d of %d)\n", base, 100.0 * k / ns, k, ns);
        for (int d = 0; d < NJ; d++)
            free(s[d]);
    }
    return 0;
}

/* Structural sets built from each cover's own bytes. */
static int detected(const uint8_t *b, size_t n, size_t off, size_t len, vg_steg_kind k)
{
    vg_steg_findings f = {0};
    vg_steg_structural(b, n, &f, NULL);
    int hit = 0;
    for (size_t i = 0; i < f.n; i++)
        hit |= f.v[i].kind == k && f.v[i].offset == off && f.v[i].length == len;
    vg_steg_findings_free(&f);
    return hit;
}

static int any_finding(const uint8_t *b, size_t n)
{
    vg_steg_findings f = {0};
    vg_steg_structural(b, n, &f, NULL);
    size_t k = f.n;
    vg_steg_findings_free(&f);
    return k != 0;
}

static uint8_t *grow(const uint8_t *b, size_t n, size_t extra)
{
    uint8_t *o = malloc(n + extra);
    memcpy(o, b, n);
    return o;
}

static void rnd(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)sim_u32();
}

/* A stored one-file ZIP (local header, data, central directory, EOCD). */
static size_t zip(uint8_t *o, size_t data)
{
    static const uint8_t lh[30] = {'P', 'K', 3, 4, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                   0,   0,   0, 0, 0,  0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0};
    size_t p = 0;
    memcpy(o, lh, 30);
    memcpy(o + 30, "a.bin", 5);
    p = 35;
    rnd(o + p, data);
    p += data;
    static const uint8_t cd[46] = {'P', 'K', 1, 2, 20, 0, 10, 0};
    memcpy(o + p, cd, 46);
    o[p + 28] = 5;
    memcpy(o + p + 46, "a.bin", 5);
    size_t cdo = p;
    p += 51;
    uint8_t eocd[22] = {'P', 'K', 5, 6, 0, 0, 0, 0, 1, 0, 1, 0, 51, 0, 0, 0};
    eocd[16] = (uint8_t)cdo;
    eocd[17] = (uint8_t)(cdo >> 8);
    eocd[18] = (uint8_t)(cdo >> 16);
    memcpy(o + p, eocd, 22);
    return p + 22;
}

static int cmd_struct(const char *covers, const char *jpegs)
{
    static char *pn[MAXF], *jn[MAXF];
    int np = list(covers, pn, ".png"), nj = list(jpegs, jn, ".jpg");
    int fp = 0, tot = 0, hit[4] = {0}, cnt[4] = {0};
    static const char *sets[4] = {"appended random trailer (JPEG+PNG)", "ZIP polyglot appended (JPEG+PNG)",
                                  "oversized JPEG COM (4-64 KB)", "PNG tEXt with base64 (2-32 KB)"};
    sim_seed(42);
    for (int i = 0; i < np + nj; i++) {
        int isj = i >= np;
        size_t n;
        uint8_t *b = test_slurp(isj ? jn[i - np] : pn[i], &n);
        if (!b)
            continue;
        tot++;
        fp += any_finding(b, n);
        size_t t = 16 + sim_u32() % 65536;
        uint8_t *o = grow(b, n, t + 70000);
        rnd(o + n, t);
        cnt[0]++;
        hit[0] += detected(o, n + t, n, t, VG_STEG_APPENDED);
        size_t z = zip(o + n, 100 + sim_u32() % 20000);
        cnt[1]++;
        hit[1] += detected(o, n + z, n, z, VG_STEG_APPENDED);
        free(o);
        size_t k = 4096 + sim_u32() % 60000;
        o = malloc(n + k + 64);
        if (isj) { /* COM right after SOI */
            memcpy(o, "\xff\xd8\xff\xfe", 4);
            o[4] = (uint8_t)((k + 2) >> 8);
            o[5] = (uint8_t)(k + 2);
            rnd(o + 6, k);
            memcpy(o + 6 + k, b + 2, n - 2);
            cnt[2]++;
            hit[2] += detected(o, n + k + 4, 6, k, VG_STEG_SEGMENT);
        } else { /* tEXt right after IHDR (8 + 25 bytes) */
            size_t m = 2048 + sim_u32() % 30000;
            static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            free(o);
            o = malloc(n + m + 64);
            memcpy(o, b, 33);
            uint8_t *q = o + 33;
            uint32_t L = (uint32_t)(8 + m);
            q[0] = (uint8_t)(L >> 24), q[1] = (uint8_t)(L >> 16), q[2] = (uint8_t)(L >> 8), q[3] = (uint8_t)L;
            memcpy(q + 4, "tEXtComment", 12);
            for (size_t x = 0; x < m; x++)
                q[16 + x] = (uint8_t)b64[sim_u32() & 63];
            memset(q + 16 + m, 0, 4); /* CRC not checked by the walker */
            memcpy(q + 20 + m, b + 33, n - 33);
            cnt[3]++;
            hit[3] += detected(o, n + m + 20, 33 + 16, m, VG_STEG_SEGMENT);
        }
        free(o);
        free(b);
    }
    printf("structural: %d clean files (%d PNG, %d JPEG): %d with any finding (FP)\n", tot, np, nj, fp);
    for (int k = 0; k < 4; k++)
        printf("  %-40s detected with exact offset+length: %d / %d\n", sets[k], hit[k], cnt[k]);
    return 0;
}

/* CPU time of this thread: the machine is shared, wall time is not ours. */
static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

static int cmd_time(const char *png, const char *jpg)
{
    size_t np, nj;
    uint8_t *bp = test_slurp(png, &np), *bj = test_slurp(jpg, &nj);
    vg_image img;
    if (!bp || !bj || !decode(png, &img))
        return 1;
    vg_steg_pixels px = {img.pixels, img.pix_width, img.pix_height, img.channels, img.stride};
    size_t len = (size_t)img.pix_height * img.stride;
    double best[6] = {1e9, 1e9, 1e9, 1e9, 1e9, 1e9}, jbest = 1e9;
    volatile uint64_t sink = 0;
    for (int rep = 0; rep < 5; rep++) {
        double t0 = cpu_now();
        uint64_t sum = 0;
        for (size_t i = 0; i < len; i++)
            sum += img.pixels[i];
        sink += sum;
        double t1 = cpu_now();
        vg_steg_findings f = {0};
        vg_steg_structural(bj, nj, &f, NULL);
        vg_steg_findings_free(&f);
        double t2 = cpu_now();
        vg_steg_structural(bp, np, &f, NULL);
        vg_steg_findings_free(&f);
        double t3 = cpu_now();
        double a = 0;
        for (int ch = 0; ch < img.channels; ch++)
            a += vg_steg_spa(&px, ch) + vg_steg_ws(&px, ch);
        sink += (uint64_t)a;
        double t4 = cpu_now();
        vg_steg_lsb r;
        vg_steg_lsb_analyse(&px, &r, NULL);
        double t5 = cpu_now();
        vg_steg_jpeg js;
        vg_steg_jpeg_stats(bj, nj, NULL, &js, NULL);
        double t6 = cpu_now();
        if (t6 - t5 < jbest)
            jbest = t6 - t5;
        double d[5] = {t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4};
        for (int k = 0; k < 5; k++)
            if (d[k] < best[k])
                best[k] = d[k];
    }
    printf("cost on %ux%u (%.1f MP), best of 5, thread CPU time, one core:\n", img.pix_width, img.pix_height,
           img.pix_width * (double)img.pix_height / 1e6);
    printf("  baseline: one pass summing the %zu pixel bytes  %8.2f ms\n", len, 1e3 * best[0]);
    printf("  structural on the JPEG (%zu bytes)           %8.2f ms (%.2fx baseline)\n", nj, 1e3 * best[1], best[1] / best[0]);
    printf("  structural on the PNG (%zu bytes, inflates IDAT) %8.2f ms (%.2fx)\n", np, 1e3 * best[2], best[2] / best[0]);
    printf("  SPA + WS, 3 channels                         %8.2f ms (%.2fx)\n", 1e3 * best[3], best[3] / best[0]);
    printf("  structural(JPEG) + SPA + WS                  %8.2f ms (%.2fx)\n", 1e3 * (best[1] + best[3]), (best[1] + best[3]) / best[0]);
    printf("  full vg_steg_lsb_analyse (SPA,WS,RS,chi,checks) %8.2f ms (%.2fx)\n", 1e3 * best[4], best[4] / best[0]);
    printf("  vg_steg_jpeg_stats on the JPEG (coefficients, luma decode, calibration) %8.2f ms (%.2fx)\n",
           1e3 * jbest, jbest / best[0]);
    vg_image_free(&img);
    free(bp);
    free(bj);
    return (int)(sink & 0);
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "nzac"))
        return cmd_nzac(argv[2]);
    if (argc == 4 && !strcmp(argv[1], "lsb"))
        return cmd_lsb(argv[2], argv[3]);
    if (argc >= 3 && !strcmp(argv[1], "jpeg"))
        return cmd_jpeg(argc - 2, argv + 2);
    if (argc == 4 && !strcmp(argv[1], "struct"))
        return cmd_struct(argv[2], argv[3]);
    if (argc == 4 && !strcmp(argv[1], "time"))
        return cmd_time(argv[2], argv[3]);
    fprintf(stderr, "usage: steg_bench nzac|lsb|jpeg|struct|time ...\n");
    return 2;
}
