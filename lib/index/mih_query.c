/* mih_query.c - exact radius search over the main segment by multi-index hashing.
 *
 * Pigeonhole (Norouzi, Punjani, Fleet, TPAMI 2014, generalised form): give
 * slot k a probe radius t_k (-1: not probed) with sum over k of (t_k + 1) at
 * least r + 1. If a code is within r of the query, some slot k is within t_k
 * bits of the query's substring; otherwise the distance would be at least
 * sum (t_k + 1) > r. plan() picks the radii by a cost model: r = 31 probes
 * the narrow slot (16 bits) at 1 and the ten 24-bit slots at 2. At 10 M
 * hashes that streams ~2,600 codes and fetches ~1,800 at random, where
 * sixteen 16-bit slots at radius 1 fetched ~42,000.
 *
 * The narrow slot's buckets are runs of codes (codes are sorted by it), read
 * in order. A wide slot at radius t visits the buckets (upper 16 bits) within
 * j <= t bits of the query's and keeps the entries whose 8 tag bits are
 * within t - j of the query's: only those codes are fetched and verified
 * with the full 256-bit distance.
 *
 * A code can turn up in several slots; it is reported only from the first
 * slot whose probe radius covers it, which needs no per-query memory (so
 * concurrent queries share nothing) and reports each stored hash once.
 */
#include <stdlib.h>

#include "index_int.h"

#define POS_CHUNK 512
#define AHEAD 4 /* buckets between a bucket's prefetch and its scan */

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

/* Cost model, in units of about 0.1 ns, fitted to CPU times measured at
 * 10 M hashes for radii 31..64 (bench/index/RESULTS.md): a bucket visit
 * (random cache lines) 400, a narrow-slot code streamed 10, a tag byte
 * scanned 3, a wide-slot candidate (position decode and a random code
 * fetch) 300, a code in the brute-force scan 11. */
#define COST_BUCKET 400.0
#define COST_STREAMED 10.0
#define COST_TAG 3.0
#define COST_CANDIDATE 300.0
#define COST_SCAN 11.0

static double binom(int n, int k)
{
    double c = 1;
    for (int i = 1; i <= k; i++)
        c = c * (n - k + i) / i;
    return c;
}

/* Values within t bits in a field of `bits` bits. */
static double ball(int bits, int t)
{
    double v = 0;
    for (int i = 0; i <= t && i <= bits; i++)
        v += binom(bits, i);
    return v;
}

static double wide_cost(double n, int t)
{
    if (t < 0)
        return 0;
    double buckets = ball(16, t);
    return buckets * (COST_BUCKET + COST_TAG * n / 65536.0) +
           COST_CANDIDATE * ball(24, t) * n / 16777216.0;
}

/* Radii for query radius r (see the top of the file); returns the model's cost. */
static double plan(size_t n, int r, int rad[VGI_SLOTS])
{
    double best = -1, dn = (double)n;
    for (int t0 = -1; t0 <= 4 && t0 <= r; t0++) {
        int rem = r - t0, s = rem / VGI_WIDE, a = rem % VGI_WIDE, tr[VGI_SLOTS];
        tr[0] = t0;
        double cost = t0 < 0 ? 0 : ball(16, t0) * (COST_BUCKET + COST_STREAMED * dn / 65536.0);
        for (int k = 1; k < VGI_SLOTS; k++) {
            tr[k] = k <= a ? s : s - 1;
            cost += wide_cost(dn, tr[k]);
        }
        if (best < 0 || cost < best) {
            best = cost;
            memcpy(rad, tr, sizeof tr);
        }
    }
    return best;
}

int vgi_mih_worth(const vgi_mih *m, int radius)
{
    int rad[VGI_SLOTS];
    if (radius < 0 || radius > VG_PDQ_MIH_MAX_RADIUS)
        return 0;
    return plan(m->n, radius, rad) < COST_SCAN * (double)m->n;
}

typedef struct probe {
    const vgi_mih *m;
    const uint64_t *q;
    int radius;
    int rad[VGI_SLOTS];
    unsigned qs[VGI_SLOTS]; /* the query's slot values */
    size_t h1;              /* H + 1 of the Elias-Fano high bits */
    vgi_sink *sink;
    double work, budget;
    size_t cnt; /* candidates waiting in pos / slot */
    uint32_t pos[POS_CHUNK];
    uint8_t slot[POS_CHUNK];
    size_t nhits; /* wide-slot entries whose tags passed, position not yet decoded */
    struct hit {
        uint32_t e0, b, e; /* bucket start, bucket, entry in the bucket */
    } hits[POS_CHUNK];
} probe;

static inline __attribute__((always_inline)) int distance(const uint64_t *c, const uint64_t *q)
{
    return __builtin_popcountll(c[0] ^ q[0]) + __builtin_popcountll(c[1] ^ q[1]) +
           __builtin_popcountll(c[2] ^ q[2]) + __builtin_popcountll(c[3] ^ q[3]);
}

/* Whether a slot before k already covers code c (it is reported there). */
static inline __attribute__((always_inline)) int covered_before(const probe *pr,
                                                                const uint64_t *c, int k)
{
    if (pr->rad[0] >= 0 &&
        __builtin_popcount(vgi_narrow(c) ^ pr->qs[0]) <= pr->rad[0])
        return 1;
    for (int j = 1; j < k; j++)
        if (pr->rad[j] >= 0 && __builtin_popcount(vgi_wide(c, j) ^ pr->qs[j]) <= pr->rad[j])
            return 1;
    return 0;
}

/* The candidates gathered so far; their codes were prefetched when found. */
static inline __attribute__((always_inline)) void flush(probe *pr)
{
    const vgi_mih *m = pr->m;
    for (size_t j = 0; j < pr->cnt; j++) {
        const uint64_t *c = m->codes + 4 * (size_t)pr->pos[j];
        int d = distance(c, pr->q);
        if (d > pr->radius || covered_before(pr, c, pr->slot[j]) || vgi_dead(m, pr->pos[j]))
            continue;
        vgi_sink_emit(pr->sink, m->ids[pr->pos[j]], d);
    }
    pr->cnt = 0;
}

static inline __attribute__((always_inline)) void push(probe *pr, size_t p, int k)
{
    __builtin_prefetch(pr->m->codes + 4 * p);
    pr->pos[pr->cnt] = (uint32_t)p;
    pr->slot[pr->cnt] = (uint8_t)k;
    if (++pr->cnt == POS_CHUNK)
        flush(pr);
}

/* Narrow slot: every code in the buckets within rad[0] bits of the query's. */
static inline __attribute__((always_inline)) void probe_narrow(probe *pr)
{
    const vgi_mih *m = pr->m;
    const uint32_t *off = m->off;
    uint32_t np = first[pr->rad[0] + 1];
    for (uint32_t t = 0; t < np; t++) {
        if (t + 1 < np)
            __builtin_prefetch(m->codes + 4 * (size_t)off[pr->qs[0] ^ masks[t + 1]]);
        unsigned v = pr->qs[0] ^ masks[t];
        size_t b = off[v], e = off[v + 1];
        pr->work += COST_BUCKET + COST_STREAMED * (double)(e - b);
        for (size_t i = b; i < e && e <= m->n; i++) {
            int d = distance(m->codes + 4 * i, pr->q);
            if (d <= pr->radius && !vgi_dead(m, i))
                vgi_sink_emit(pr->sink, m->ids[i], d);
        }
    }
}

/* Tags of 8 entries (bytes of x, already xored with the query's tag) with
 * at most thr bits set, k being 0x7F - thr in every byte: the high bit of
 * each such byte. A byte sum is at most 8 + 0x7F, so none carries over. */
static inline __attribute__((always_inline)) uint64_t tag_hits(uint64_t x, uint64_t k)
{
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return ~(x + k) & 0x8080808080808080ull;
}

/* High bits of entry i of a wide bucket, from the Elias-Fano bits. The walk
 * goes on from the previous entry asked for in the same bucket (c->i, whose
 * bit is the lowest of c->bits in word c->w). Bounds-checked: a damaged file
 * gives a wrong position (dropped if >= n, else rejected by the distance
 * check), never a bad read. */
typedef struct ef_cursor {
    size_t w, start;
    uint64_t bits;
    uint32_t i; /* entry whose bit is the lowest of bits */
    int ok;
} ef_cursor;

static inline __attribute__((always_inline)) void ef_start(ef_cursor *c, const uint64_t *hib,
                                                          size_t hiwords, size_t start)
{
    c->start = start;
    c->w = start >> 6;
    c->i = 0;
    c->ok = c->w < hiwords;
    c->bits = c->ok ? hib[c->w] & (~0ull << (start & 63)) : 0;
}

static inline __attribute__((always_inline)) size_t ef_high(ef_cursor *c, const uint64_t *hib,
                                                           size_t hiwords, uint32_t i)
{
    uint32_t rem = i - c->i;
    for (;;) {
        uint32_t have = (uint32_t)__builtin_popcountll(c->bits);
        if (rem < have)
            break;
        rem -= have;
        if (++c->w >= hiwords) {
            c->ok = 0;
            return SIZE_MAX;
        }
        c->bits = hib[c->w];
    }
    while (rem--)
        c->bits &= c->bits - 1;
    c->i = i;
    return c->w * 64 + (size_t)__builtin_ctzll(c->bits) - c->start - i;
}

typedef struct wide_slot {
    const uint32_t *off;
    const uint8_t *tag;
    const uint16_t *lo;
    const uint64_t *hib;
} wide_slot;

static inline __attribute__((always_inline)) wide_slot wide_of(const vgi_mih *m, int k)
{
    size_t w = (size_t)(k - 1);
    wide_slot s = {m->off + (size_t)k * (VGI_BUCKETS + 1), m->tag + w * m->n,
                   m->lo + w * m->n, m->hib + w * m->hiwords};
    return s;
}

/* Positions of the gathered hits of wide slot s; their low and high bits
 * were prefetched when the tags matched, so these loads overlap. */
static inline __attribute__((always_inline)) void decode_hits(probe *pr, const wide_slot *s,
                                                             int k)
{
    const vgi_mih *m = pr->m;
    ef_cursor cur = {0, 0, 0, 0, 0};
    uint32_t b = UINT32_MAX;
    for (size_t j = 0; j < pr->nhits; j++) {
        const struct hit *h = &pr->hits[j];
        if (h->b != b || h->e < cur.i) {
            b = h->b;
            ef_start(&cur, s->hib, m->hiwords, h->e0 + (size_t)b * pr->h1);
        }
        size_t hi = cur.ok ? ef_high(&cur, s->hib, m->hiwords, h->e) : SIZE_MAX;
        size_t p = (hi << 16) | s->lo[h->e0 + h->e];
        if (cur.ok && p < m->n)
            push(pr, p, k);
    }
    pr->nhits = 0;
}

/* Entries of bucket b of wide slot k whose tags are within thr bits of qt. */
static inline __attribute__((always_inline)) void scan_bucket(probe *pr, const wide_slot *s,
                                                             int k, unsigned b, unsigned qt,
                                                             int thr)
{
    const vgi_mih *m = pr->m;
    size_t e0 = s->off[b], cnt = s->off[b + 1] - e0;
    pr->work += COST_BUCKET + COST_TAG * (double)cnt;
    if (cnt == 0 || e0 + cnt > m->n)
        return;
    uint64_t kk = thr >= 8 ? 0 : (uint64_t)(0x7F - thr) * 0x0101010101010101ull;
    uint64_t qx = (uint64_t)qt * 0x0101010101010101ull;
    /* The bucket's high bits: cnt + H + 1 bits from its start, one or two lines. */
    size_t start = e0 + (size_t)b * pr->h1;
    const uint64_t *hib0 = s->hib + (start >> 6), *hib1 = s->hib + ((start + cnt + pr->h1) >> 6);
    for (size_t i = 0; i < cnt; i += 8) {
        uint64_t x = 0, h;
        if (cnt - i >= 8) {
            memcpy(&x, s->tag + e0 + i, 8);
            h = thr >= 8 ? 0x8080808080808080ull : tag_hits(x ^ qx, kk);
        } else {
            memcpy(&x, s->tag + e0 + i, cnt - i);
            h = thr >= 8 ? 0x8080808080808080ull : tag_hits(x ^ qx, kk);
            h &= (1ull << (8 * (cnt - i))) - 1;
        }
        while (h) {
            uint32_t e = (uint32_t)(i + ((unsigned)__builtin_ctzll(h) >> 3));
            h &= h - 1;
            pr->work += COST_CANDIDATE;
            __builtin_prefetch(s->lo + e0 + e);
            __builtin_prefetch(hib0);
            if (((uintptr_t)hib0 ^ (uintptr_t)hib1) >= 64)
                __builtin_prefetch(hib1);
            pr->hits[pr->nhits++] = (struct hit){(uint32_t)e0, b, e};
            if (pr->nhits == POS_CHUNK)
                decode_hits(pr, s, k);
        }
    }
}

/* A bucket AHEAD probes on: its offsets were prefetched AHEAD probes before;
 * now its tags. */
static inline __attribute__((always_inline)) void prefetch_bucket(const wide_slot *s,
                                                                 unsigned qb, uint32_t t,
                                                                 uint32_t np)
{
    if (t + 2 * AHEAD < np)
        __builtin_prefetch(s->off + (qb ^ masks[t + 2 * AHEAD]));
    if (t + AHEAD < np) {
        unsigned b = qb ^ masks[t + AHEAD];
        size_t e0 = s->off[b];
        size_t e1 = s->off[b + 1];
        for (size_t e = e0; e < e1 && e < e0 + 256; e += 64)
            __builtin_prefetch(s->tag + e);
    }
}

/* Wide slot k at radius rad[k]: returns 0 when the work budget ran out. */
static inline __attribute__((always_inline)) int probe_wide(probe *pr, int k)
{
    int t = pr->rad[k];
    if (t < 0)
        return 1;
    wide_slot s = wide_of(pr->m, k);
    unsigned qb = pr->qs[k] >> 8, qt = pr->qs[k] & 0xFFu;
    int jmax = t < 16 ? t : 16;
    uint32_t np = first[jmax + 1];
    for (uint32_t u = 0; u < 2 * AHEAD && u < np; u++)
        __builtin_prefetch(s.off + (qb ^ masks[u]));
    for (int j = 0; j <= jmax; j++)
        for (uint32_t u = first[j]; u < first[j + 1]; u++) {
            prefetch_bucket(&s, qb, u, np);
            scan_bucket(pr, &s, k, qb ^ masks[u], qt, t - j);
            if (pr->work > pr->budget)
                return 0;
        }
    decode_hits(pr, &s, k);
    return 1;
}

static inline __attribute__((always_inline)) int query_core(const vgi_mih *m,
                                                            const uint64_t q[4], int radius,
                                                            int give_up, vgi_sink *s)
{
    probe pr;
    pr.m = m;
    pr.q = q;
    pr.radius = radius;
    pr.sink = s;
    pr.cnt = 0;
    pr.nhits = 0;
    pr.h1 = m->n ? ((m->n - 1) >> 16) + 1 : 1;
    pr.work = 0;
    pr.budget = give_up ? COST_SCAN * (double)m->n : 1e300;
    plan(m->n, radius, pr.rad);
    pr.qs[0] = vgi_narrow(q);
    for (int k = 1; k < VGI_SLOTS; k++)
        pr.qs[k] = vgi_wide(q, k);
    if (pr.rad[0] >= 0)
        probe_narrow(&pr);
    if (pr.work > pr.budget)
        return 0;
    for (int k = 1; k < VGI_SLOTS; k++)
        if (!probe_wide(&pr, k))
            return 0;
    flush(&pr);
    return 1;
}

static int query_plain(const vgi_mih *m, const uint64_t q[4], int radius, int give_up,
                       vgi_sink *s)
{
    return query_core(m, q, radius, give_up, s);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
__attribute__((target("popcnt"))) static int query_popcnt(const vgi_mih *m,
                                                          const uint64_t q[4], int radius,
                                                          int give_up, vgi_sink *s)
{
    return query_core(m, q, radius, give_up, s);
}
#endif

int vgi_mih_query(const vgi_mih *m, const uint64_t q[4], int radius, int give_up, vgi_sink *s)
{
    pthread_once(&masks_once, init_masks);
    if (m->n == 0 || radius < 0 || radius > VG_PDQ_MIH_MAX_RADIUS)
        return 1;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    if (vgi_simd_resolve(VG_SIMD_AUTO) != VG_SIMD_PLAIN)
        return query_popcnt(m, q, radius, give_up, s);
#endif
    return query_plain(m, q, radius, give_up, s);
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
