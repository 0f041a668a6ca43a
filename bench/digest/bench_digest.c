/* bench_digest.c - throughput of vigil's one-pass digests against a plain
 * memory read of the same buffer.
 *
 * The buffer (default 64 MiB, larger than the last-level cache) is fed in
 * 1 MiB updates, as vg_hash_file does with read(2), then in one update of the
 * whole buffer, as vg_digest_buffer gets a file already in memory. Each figure
 * is the best of REPS runs, timed in thread CPU time; the machine is shared,
 * so ratios to the baseline of the same run matter, not absolute MB/s. Rows:
 *   read            sum of the buffer's 64-bit words (the memory floor)
 *   md5/sha1/sha256 each libcrypto EVP digest alone
 *   md4 (vigil)     lib/hash/md4.c, used by eD2k
 *   md4 (openssl)   OpenSSL's legacy-provider MD4, for comparison
 *   3 evp           MD5, SHA-1, SHA-256 each over a whole update in turn
 *   digester        vg_digester (MD5+SHA-1+SHA-256)
 *   digester+p2p    the same with VG_DIGEST_P2P (adds MD4 and a SHA-256 tree)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/provider.h>

#include "vigil/digest.h"
#include "vigil/util.h"

#include "digest_int.h"

enum { REPS = 7 };

/* Bytes per update call: 1 MiB (file reads), then the whole buffer (vg_digest_buffer). */
static size_t UPDATE = 1 << 20;

typedef void (*run_fn)(const uint8_t *buf, size_t len, void *arg);

static volatile uint64_t sink;

static void run_read(const uint8_t *buf, size_t len, void *arg)
{
    uint64_t s = 0, w;
    for (size_t i = 0; i + 8 <= len; i += 8) {
        memcpy(&w, buf + i, 8);
        s += w;
    }
    sink = s;
}

static void run_evp(const uint8_t *buf, size_t len, void *arg)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    uint8_t out[EVP_MAX_MD_SIZE];

    EVP_DigestInit_ex2(c, arg, NULL);
    for (size_t off = 0; off < len; off += UPDATE)
        EVP_DigestUpdate(c, buf + off, len - off < UPDATE ? len - off : UPDATE);
    EVP_DigestFinal_ex(c, out, NULL);
    sink = out[0];
    EVP_MD_CTX_free(c);
}

static void run_md4(const uint8_t *buf, size_t len, void *arg)
{
    vgi_md4 c;
    uint8_t out[16];

    vgi_md4_init(&c);
    vgi_md4_update(&c, buf, len);
    vgi_md4_final(&c, out);
    sink = out[0];
}

/* MD5, SHA-1 and SHA-256 one after the other over each whole update, straight
 * on libcrypto: the digester's overhead is the difference. */
static void run_evp3(const uint8_t *buf, size_t len, void *arg)
{
    EVP_MD **md = arg;
    EVP_MD_CTX *c[3];
    uint8_t out[EVP_MAX_MD_SIZE];

    for (int i = 0; i < 3; i++) {
        c[i] = EVP_MD_CTX_new();
        EVP_DigestInit_ex2(c[i], md[i], NULL);
    }
    for (size_t off = 0; off < len; off += UPDATE)
        for (int i = 0; i < 3; i++)
            EVP_DigestUpdate(c[i], buf + off, len - off < UPDATE ? len - off : UPDATE);
    for (int i = 0; i < 3; i++) {
        EVP_DigestFinal_ex(c[i], out, NULL);
        EVP_MD_CTX_free(c[i]);
    }
    sink = out[0];
}

static void run_digester(const uint8_t *buf, size_t len, void *arg)
{
    vg_digester *d = arg;
    vg_digests out;

    for (size_t off = 0; off < len; off += UPDATE)
        vg_digester_update(d, buf + off, len - off < UPDATE ? len - off : UPDATE, NULL);
    vg_digester_final(d, &out, NULL);
    sink = out.md5[0];
}

/* This thread's CPU time: the two cores are shared with other developers'
 * builds, and wall time would count the time this thread waited for a core. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct bench_case {
    const char *name;
    run_fn fn;
    void *arg;
    int whole;   /* one update of the whole buffer instead of 1 MiB ones */
    double best; /* MB/s, 10^6 bytes per second */
} bench_case;

/* Round-robin over the cases, REPS times, keeping each case's best: noise
 * from the other users of the machine then falls on all rows alike. */
static void measure_all(bench_case *c, int n, const uint8_t *buf, size_t len)
{
    for (int r = 0; r < REPS; r++)
        for (int i = 0; i < n; i++) {
            UPDATE = c[i].whole ? len : (size_t)1 << 20;
            double t0 = cpu_now();
            c[i].fn(buf, len, c[i].arg);
            double mbs = (double)len / 1e6 / (cpu_now() - t0);
            if (mbs > c[i].best)
                c[i].best = mbs;
        }
}

int main(int argc, char **argv)
{
    size_t mib = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 64;
    size_t len = mib << 20;
    uint8_t *buf = malloc(len);
    EVP_MD *md[3] = {EVP_MD_fetch(NULL, "MD5", NULL), EVP_MD_fetch(NULL, "SHA1", NULL),
                     EVP_MD_fetch(NULL, "SHA256", NULL)};
    OSSL_LIB_CTX *lc = OSSL_LIB_CTX_new();
    OSSL_PROVIDER *legacy = OSSL_PROVIDER_load(lc, "legacy");
    EVP_MD *md4 = legacy ? EVP_MD_fetch(lc, "MD4", NULL) : NULL;
    vg_digester *plain = vg_digester_new(0, NULL), *p2p = vg_digester_new(VG_DIGEST_P2P, NULL);
    bench_case c[] = {
        {"read (baseline)", run_read, NULL, 0, 0},
        {"md5", run_evp, md[0], 0, 0},
        {"sha1", run_evp, md[1], 0, 0},
        {"sha256", run_evp, md[2], 0, 0},
        {"md4 (vigil)", run_md4, NULL, 0, 0},
        {"md4 (openssl)", run_evp, md4, 0, 0},
        {"3 evp", run_evp3, md, 0, 0},
        {"digester", run_digester, plain, 0, 0},
        {"digester+p2p", run_digester, p2p, 0, 0},
        {"3 evp", run_evp3, md, 1, 0},
        {"digester", run_digester, plain, 1, 0},
        {"digester+p2p", run_digester, p2p, 1, 0},
    };
    int n = (int)(sizeof c / sizeof c[0]);

    if (!buf || !md[0] || !md[1] || !md[2] || !plain || !p2p) {
        fprintf(stderr, "bench_digest: set-up failed\n");
        return 1;
    }
    if (!md4) { /* no legacy provider: drop that row */
        memmove(&c[5], &c[6], sizeof c - 6 * sizeof c[0]);
        n--;
    }
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)(i * 2654435761u >> 13);
    measure_all(c, n, buf, len);
    printf("buffer %zu MiB, best of %d; MB/s = 10^6 bytes/s\n", mib, REPS);
    for (int i = 0; i < n; i++) {
        if (i == 1)
            printf("-- 1 MiB updates\n");
        if (c[i].whole && !c[i - 1].whole)
            printf("-- one update of the whole buffer\n");
        printf("%-16s %9.0f MB/s  %6.3f x read\n", c[i].name, c[i].best, c[i].best / c[0].best);
    }
    vg_digester_free(plain);
    vg_digester_free(p2p);
    EVP_MD_free(md4);
    if (legacy)
        OSSL_PROVIDER_unload(legacy);
    OSSL_LIB_CTX_free(lc);
    for (int i = 0; i < 3; i++)
        EVP_MD_free(md[i]);
    free(buf);
    return 0;
}
