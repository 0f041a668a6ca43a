/* test_pdq_scan.c - every brute-force kernel this CPU runs gives the plain answer. */
#include <stdlib.h>

#include "pdqgen.h"
#include "testutil.h"

typedef struct hits {
    size_t n;
    size_t i[4096];
    int d[4096];
} hits;

static void on_hit(size_t i, int d, void *ctx)
{
    hits *h = ctx;
    if (h->n < 4096) {
        h->i[h->n] = i;
        h->d[h->n] = d;
    }
    h->n++;
}

/* Plants codes at every distance 0..80 so each radius has hits on both sides. */
static void fill(vg_pdq *hs, size_t n, const vg_pdq *q)
{
    for (size_t i = 0; i < n; i++) {
        if (i % 7 == 3)
            gen_flip(q, (int)(i % 81), &hs[i]);
        else
            gen_random(&hs[i]);
    }
}

static void check_kernel(vg_simd s, const vg_pdq *hs, size_t n, const vg_pdq *q, int radius)
{
    static hits got, want;
    memset(&want, 0, sizeof want);
    for (size_t i = 0; i < n; i++) {
        int d = gen_distance(&hs[i], q);
        if (d <= radius)
            on_hit(i, d, &want);
    }
    memset(&got, 0, sizeof got);
    size_t found = vg_pdq_scan(s, hs, n, q, radius, on_hit, &got);
    CHECK_MSG(found == want.n && got.n == want.n, "%s n=%zu r=%d: %zu hits, want %zu",
              vg_simd_name(s), n, radius, got.n, want.n);
    size_t m = got.n < want.n ? got.n : want.n;
    CHECK_MSG(m > 4096 || (memcmp(got.i, want.i, m * sizeof got.i[0]) == 0 &&
                           memcmp(got.d, want.d, m * sizeof got.d[0]) == 0),
              "%s n=%zu r=%d: different hits", vg_simd_name(s), n, radius);
}

int main(void)
{
    size_t n = 3001; /* odd, so the kernels' tails run */
    vg_pdq *hs = malloc(n * sizeof *hs), q;
    gen_random(&q);
    fill(hs, n, &q);
    static const int radii[] = {0, 1, 31, 32, 63, 64, 128, 256};
    int kernels = 0;
    for (int s = VG_SIMD_PLAIN; s <= VG_SIMD_AVX512; s++) {
        if (!vg_simd_available((vg_simd)s))
            continue;
        kernels++;
        printf("kernel %s\n", vg_simd_name((vg_simd)s));
        for (size_t r = 0; r < sizeof radii / sizeof radii[0]; r++)
            for (size_t len = 0; len < 6; len++)
                check_kernel((vg_simd)s, hs + len, n - len, &q, radii[r]);
    }
    CHECK(kernels >= 1);
    CHECK(vg_simd_available(vg_simd_best()));
    CHECK(vg_pdq_scan(VG_SIMD_AUTO, hs, n, &q, -1, NULL, NULL) == 0);
    CHECK(vg_pdq_scan(VG_SIMD_AUTO, hs, n, &q, 256, NULL, NULL) == n);
    CHECK_STREQ(vg_simd_name(VG_SIMD_AVX2), "avx2");
    free(hs);
    TEST_DONE();
}
