/* scan.c - brute-force Hamming scan over 256-bit codes: plain C, popcnt, AVX2, AVX-512.
 *
 * The reference for every index query and the fallback for large radii. A
 * single scan is memory-bound (~30 GB/s per core, shared/notes/match-scale.md),
 * so the kernels only need to keep up with the loads. The kernel is chosen
 * at run time from what the CPU supports; VIGIL_SIMD=plain|popcnt|avx2|avx512
 * forces one (an unavailable choice falls back to plain).
 */
#include <stdlib.h>
#include <string.h>

#include "index_int.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define VGI_X86 1
#include <immintrin.h>
#endif

const char *vg_simd_name(vg_simd s)
{
    switch (s) {
    case VG_SIMD_AUTO: return "auto";
    case VG_SIMD_PLAIN: return "plain";
    case VG_SIMD_POPCNT: return "popcnt";
    case VG_SIMD_AVX2: return "avx2";
    case VG_SIMD_AVX512: return "avx512";
    }
    return "unknown";
}

int vg_simd_available(vg_simd s)
{
    switch (s) {
    case VG_SIMD_PLAIN: return 1;
#ifdef VGI_X86
    case VG_SIMD_POPCNT: return __builtin_cpu_supports("popcnt");
    case VG_SIMD_AVX2: return __builtin_cpu_supports("avx2");
    case VG_SIMD_AVX512:
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vpopcntdq");
#endif
    default: return 0;
    }
}

static vg_simd from_env(void)
{
    const char *e = getenv("VIGIL_SIMD");
    if (!e)
        return VG_SIMD_AUTO;
    for (int s = VG_SIMD_PLAIN; s <= VG_SIMD_AVX512; s++)
        if (strcmp(e, vg_simd_name((vg_simd)s)) == 0)
            return (vg_simd)s;
    return VG_SIMD_AUTO;
}

static vg_simd best;
static pthread_once_t best_once = PTHREAD_ONCE_INIT;

static void init_best(void)
{
    vg_simd e = from_env();
    if (e != VG_SIMD_AUTO) {
        best = vg_simd_available(e) ? e : VG_SIMD_PLAIN;
        return;
    }
    best = VG_SIMD_PLAIN;
    for (int s = VG_SIMD_AVX512; s > VG_SIMD_PLAIN; s--)
        if (vg_simd_available((vg_simd)s)) {
            best = (vg_simd)s;
            return;
        }
}

vg_simd vg_simd_best(void)
{
    pthread_once(&best_once, init_best);
    return best;
}

vg_simd vgi_simd_resolve(vg_simd s)
{
    if (s == VG_SIMD_AUTO)
        return vg_simd_best();
    return vg_simd_available(s) ? s : VG_SIMD_PLAIN;
}

static inline __attribute__((always_inline)) size_t
scan_words(const unsigned char *p, size_t i, size_t n, const uint64_t q[4], int radius,
           vgi_hit_fn fn, void *ctx)
{
    size_t found = 0;
    for (p += 32 * i; i < n; i++, p += 32) {
        uint64_t w[4];
        vgi_load(p, w);
        int d = __builtin_popcountll(w[0] ^ q[0]) + __builtin_popcountll(w[1] ^ q[1]) +
                __builtin_popcountll(w[2] ^ q[2]) + __builtin_popcountll(w[3] ^ q[3]);
        if (d <= radius) {
            fn(i, d, ctx);
            found++;
        }
    }
    return found;
}

static size_t scan_plain(const unsigned char *p, size_t n, const uint64_t q[4], int radius,
                         vgi_hit_fn fn, void *ctx)
{
    return scan_words(p, 0, n, q, radius, fn, ctx);
}

#ifdef VGI_X86
__attribute__((target("popcnt"))) static size_t
scan_popcnt(const unsigned char *p, size_t n, const uint64_t q[4], int radius, vgi_hit_fn fn,
            void *ctx)
{
    return scan_words(p, 0, n, q, radius, fn, ctx);
}

/* One code per ymm: nibble-table popcount (Mula), byte sums by vpsadbw. */
__attribute__((target("avx2"))) static inline __m256i avx2_count(__m256i x)
{
    const __m256i lut = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1,
                                         1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
    const __m256i low = _mm256_set1_epi8(0x0f);
    __m256i lo = _mm256_shuffle_epi8(lut, _mm256_and_si256(x, low));
    __m256i hi = _mm256_shuffle_epi8(lut, _mm256_and_si256(_mm256_srli_epi16(x, 4), low));
    return _mm256_sad_epu8(_mm256_add_epi8(lo, hi), _mm256_setzero_si256());
}

/* Sum of the four 64-bit lanes of a and of b, as the two halves of a uint64. */
__attribute__((target("avx2"))) static inline uint64_t avx2_sum2(__m256i a, __m256i b)
{
    __m256i x = _mm256_or_si256(a, _mm256_slli_epi64(b, 32));
    x = _mm256_add_epi32(x, _mm256_permute4x64_epi64(x, 0x4E));
    x = _mm256_add_epi32(x, _mm256_shuffle_epi32(x, 0x4E));
    return (uint64_t)_mm256_extract_epi64(x, 0);
}

__attribute__((target("avx2"))) static size_t
scan_avx2(const unsigned char *p, size_t n, const uint64_t q[4], int radius, vgi_hit_fn fn,
          void *ctx)
{
    __m256i qq = _mm256_loadu_si256((const __m256i *)(const void *)q);
    const unsigned char *base = p;
    size_t found = 0, i = 0;
    for (; i + 2 <= n; i += 2, p += 64) {
        __m256i a = avx2_count(_mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(const void *)p), qq));
        __m256i b = avx2_count(_mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(const void *)(p + 32)), qq));
        uint64_t s = avx2_sum2(a, b);
        int da = (int)(s & 0xFFFFFFFFu), db = (int)(s >> 32);
        if (da <= radius) {
            fn(i, da, ctx);
            found++;
        }
        if (db <= radius) {
            fn(i + 1, db, ctx);
            found++;
        }
    }
    return found + scan_words(base, i, n, q, radius, fn, ctx);
}

/* Two codes per zmm; the lane sums are folded so lanes 0 and 4 hold each code's
 * distance, then compared with the radius in one mask. */
__attribute__((target("avx512f,avx512vpopcntdq"))) static size_t
scan_avx512(const unsigned char *p, size_t n, const uint64_t q[4], int radius, vgi_hit_fn fn,
            void *ctx)
{
    __m512i qq = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *)(const void *)q));
    __m512i rr = _mm512_set1_epi64(radius);
    const unsigned char *base = p;
    size_t found = 0, i = 0;
    for (; i + 2 <= n; i += 2, p += 64) {
        __m512i c = _mm512_popcnt_epi64(_mm512_xor_si512(_mm512_loadu_si512(p), qq));
        c = _mm512_add_epi64(c, _mm512_permutex_epi64(c, 0xB1));
        c = _mm512_add_epi64(c, _mm512_permutex_epi64(c, 0x4E));
        __mmask8 m = _mm512_cmple_epu64_mask(c, rr) & 0x11;
        if (m) {
            uint64_t d[8];
            _mm512_storeu_si512(d, c);
            for (int h = 0; h < 2; h++)
                if (m & (1u << (4 * h))) {
                    fn(i + (size_t)h, (int)d[4 * h], ctx);
                    found++;
                }
        }
    }
    return found + scan_words(base, i, n, q, radius, fn, ctx);
}
#endif

size_t vgi_scan(vg_simd s, const void *codes, size_t n, const uint64_t q[4], int radius,
                vgi_hit_fn fn, void *ctx)
{
    const unsigned char *p = codes;
    if (radius < 0 || n == 0)
        return 0;
    switch (vgi_simd_resolve(s)) {
#ifdef VGI_X86
    case VG_SIMD_POPCNT: return scan_popcnt(p, n, q, radius, fn, ctx);
    case VG_SIMD_AVX2: return scan_avx2(p, n, q, radius, fn, ctx);
    case VG_SIMD_AVX512: return scan_avx512(p, n, q, radius, fn, ctx);
#endif
    default: return scan_plain(p, n, q, radius, fn, ctx);
    }
}

static void count_only(size_t i, int distance, void *ctx)
{
    (void)i, (void)distance, (void)ctx;
}

size_t vg_pdq_scan(vg_simd s, const vg_pdq *hs, size_t n, const vg_pdq *q, int radius,
                   void (*fn)(size_t i, int distance, void *ctx), void *ctx)
{
    uint64_t qw[4];
    vgi_load(q, qw);
    return vgi_scan(s, hs, n, qw, radius, fn ? fn : count_only, ctx);
}
