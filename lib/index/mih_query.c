/* mih_query.c - exact radius search over the main segment by multi-index hashing.
 *
 * Pigeonhole (Norouzi, Punjani, Fleet, TPAMI 2014, generalised form): split
 * r = 16*s + a with 0 <= a < 16. If a code is within r of the query, then
 * one of the slots 0..a is within s bits of the query's substring, or one of
 * the slots a+1..15 is within s-1 bits. (Otherwise the distance would be at
 * least (a+1)(s+1) + (15-a)s = 16s + a + 1 = r + 1.) So slots 0..a are
 * probed at radius s and the rest at s-1 (not at all when s = 0): r = 31
 * probes every slot at radius 1 (17 values), r = 32 probes slot 0 at 2 and the
 * rest at 1, r = 64 slot 0 at 4 (2,517 values) and the rest at 3 (697).
 *
 * Each candidate is verified with the full 256-bit distance. A code can turn
 * up in several slots; it is reported only from the first slot whose probe
 * radius covers it, which needs no per-query memory (so concurrent queries
 * share nothing) and reports each stored hash exactly once.
 */
#include <stdlib.h>

#include "index_int.h"

#define POS_CHUNK 1024
#define PREFETCH_AHEAD 16

/* The 65536 16-bit masks ordered by weight; first[w] is where weight w starts. */
static uint16_t masks[VGI_BUCKETS];
static uint32_t first[18];
static pthread_once_t masks_once = PTHREAD_ONCE_INIT;

static void init_masks(void)
{
    uint32_t at = 0;
    for (int w = 0; w <= 16; w++) {
        first[w] = at;
        for (uint32_t v = 0; v < VGI_BUCKETS; v++)
            if (__builtin_popcount(v) == w)
                masks[at++] = (uint16_t)v;
    }
    first[17] = at;
}

/* Probe radius of each slot for query radius r (-1: slot not probed). */
static void slot_radii(int r, int sr[VGI_SLOTS])
{
    int s = r / VGI_SLOTS, a = r % VGI_SLOTS;
    for (int k = 0; k < VGI_SLOTS; k++)
        sr[k] = k <= a ? s : s - 1;
}

static size_t h1_of(size_t n)
{
    return n ? ((n - 1) >> 16) + 1 : 1;
}

size_t vgi_mih_candidates(const vgi_mih *m, const uint64_t q[4], int radius)
{
    int sr[VGI_SLOTS];
    size_t total = 0;
    pthread_once(&masks_once, init_masks);
    slot_radii(radius, sr);
    for (int k = 0; k < VGI_SLOTS; k++) {
        if (sr[k] < 0)
            continue;
        const uint32_t *off = m->off + (size_t)k * (VGI_BUCKETS + 1);
        unsigned qk = vgi_slot(q, k);
        for (uint32_t t = 0; t < first[sr[k] + 1]; t++) {
            unsigned v = qk ^ masks[t];
            total += off[v + 1] - off[v];
        }
    }
    return total;
}

typedef struct probe {
    const vgi_mih *m;
    const uint64_t *q;
    int radius;
    int sr[VGI_SLOTS];
    vgi_sink *sink;
    size_t cnt; /* positions waiting in pos, all from one slot */
    uint32_t pos[POS_CHUNK];
} probe;

/* Whether an earlier slot than k already covers code c (it is reported there). */
static inline __attribute__((always_inline)) int covered_before(const probe *pr,
                                                                const uint64_t *c, int k)
{
    for (int j = 0; j < k; j++)
        if (pr->sr[j] >= 0 &&
            __builtin_popcount(vgi_slot(c, j) ^ vgi_slot(pr->q, j)) <= pr->sr[j])
            return 1;
    return 0;
}

static inline __attribute__((always_inline)) void verify(const probe *pr, int k,
                                                         const uint32_t *pos, size_t cnt)
{
    const vgi_mih *m = pr->m;
    const uint64_t *q = pr->q;
    for (size_t j = 0; j < cnt; j++) {
        if (j + PREFETCH_AHEAD < cnt)
            __builtin_prefetch(m->codes + 4 * (size_t)pos[j + PREFETCH_AHEAD]);
        const uint64_t *c = m->codes + 4 * (size_t)pos[j];
        int d = __builtin_popcountll(c[0] ^ q[0]) + __builtin_popcountll(c[1] ^ q[1]) +
                __builtin_popcountll(c[2] ^ q[2]) + __builtin_popcountll(c[3] ^ q[3]);
        if (d > pr->radius || covered_before(pr, c, k) || vgi_dead(m, pos[j]))
            continue;
        vgi_sink_emit(pr->sink, m->ids[pos[j]], d);
    }
}

/* Verifies the positions gathered so far (from the buckets of slot k). They
 * are gathered across buckets so that the code prefetches run ahead without a
 * break at every bucket boundary. */
static inline __attribute__((always_inline)) void flush(probe *pr, int k)
{
    verify(pr, k, pr->pos, pr->cnt);
    pr->cnt = 0;
}

/* Decodes bucket v of slot k into positions. Every decoded position is
 * bounds-checked: a damaged file gives wrong candidates (then rejected by the
 * distance check), never a bad read. */
static inline __attribute__((always_inline)) void bucket(probe *pr, int k, unsigned v)
{
    const vgi_mih *m = pr->m;
    const uint32_t *off = m->off + (size_t)k * (VGI_BUCKETS + 1);
    const uint16_t *lo = m->lo + (size_t)k * m->n;
    const uint64_t *hib = m->hib + (size_t)k * m->hiwords;
    uint32_t b0 = off[v], nb = off[v + 1] - b0, i = 0;
    if (nb == 0)
        return;
    size_t start = b0 + (size_t)v * h1_of(m->n), w = start >> 6;
    if (w >= m->hiwords)
        return;
    uint64_t bits = hib[w] & (~0ull << (start & 63));
    while (i < nb) {
        while (!bits) {
            if (++w >= m->hiwords)
                return;
            bits = hib[w];
        }
        size_t hi = w * 64 + (size_t)__builtin_ctzll(bits) - start - i;
        size_t p = (hi << 16) | lo[b0 + i];
        bits &= bits - 1;
        i++;
        if (p < m->n)
            pr->pos[pr->cnt++] = (uint32_t)p;
        if (pr->cnt == POS_CHUNK)
            flush(pr, k);
    }
}

/* The bucket two probes ahead: its offsets; the next one: its postings. */
static inline __attribute__((always_inline)) void prefetch_bucket(const probe *pr, int k,
                                                                  unsigned qk, uint32_t t,
                                                                  uint32_t np)
{
    const vgi_mih *m = pr->m;
    const uint32_t *off = m->off + (size_t)k * (VGI_BUCKETS + 1);
    if (t + 2 < np)
        __builtin_prefetch(off + (qk ^ masks[t + 2]));
    if (t + 1 < np) {
        unsigned v = qk ^ masks[t + 1];
        uint32_t b = off[v];
        if (b < m->n) {
            __builtin_prefetch(m->lo + (size_t)k * m->n + b);
            size_t w = (b + (size_t)v * h1_of(m->n)) >> 6;
            if (w < m->hiwords)
                __builtin_prefetch(m->hib + (size_t)k * m->hiwords + w);
        }
    }
}

static inline __attribute__((always_inline)) void query_core(const vgi_mih *m,
                                                             const uint64_t q[4], int radius,
                                                             vgi_sink *s)
{
    probe pr;
    pr.m = m;
    pr.q = q;
    pr.radius = radius;
    pr.sink = s;
    pr.cnt = 0;
    slot_radii(radius, pr.sr);
    for (int k = 0; k < VGI_SLOTS; k++) {
        if (pr.sr[k] < 0)
            continue;
        unsigned qk = vgi_slot(q, k);
        uint32_t np = first[pr.sr[k] + 1];
        for (uint32_t t = 0; t < np; t++) {
            prefetch_bucket(&pr, k, qk, t, np);
            bucket(&pr, k, qk ^ masks[t]);
        }
        flush(&pr, k);
    }
}

static void query_plain(const vgi_mih *m, const uint64_t q[4], int radius, vgi_sink *s)
{
    query_core(m, q, radius, s);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
__attribute__((target("popcnt"))) static void query_popcnt(const vgi_mih *m,
                                                           const uint64_t q[4], int radius,
                                                           vgi_sink *s)
{
    query_core(m, q, radius, s);
}
#endif

void vgi_mih_query(const vgi_mih *m, const uint64_t q[4], int radius, vgi_sink *s)
{
    pthread_once(&masks_once, init_masks);
    if (m->n == 0 || radius < 0 || radius > VG_PDQ_MIH_MAX_RADIUS)
        return;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    if (vgi_simd_resolve(VG_SIMD_AUTO) != VG_SIMD_PLAIN) {
        query_popcnt(m, q, radius, s);
        return;
    }
#endif
    query_plain(m, q, radius, s);
}

typedef struct scan_ctx {
    const vgi_mih *m;
    vgi_sink *s;
} scan_ctx;

static void scan_hit(size_t i, int d, void *ctx)
{
    scan_ctx *c = ctx;
    if (!vgi_dead(c->m, i))
        vgi_sink_emit(c->s, c->m->ids[i], d);
}

void vgi_mih_scan(const vgi_mih *m, const uint64_t q[4], int radius, vgi_sink *s)
{
    scan_ctx c = {m, s};
    vgi_scan(VG_SIMD_AUTO, m->codes, m->n, q, radius, scan_hit, &c);
}
