/* mih_build.c - building the multi-index main segment.
 *
 * First a counting sort of codes and ids by the narrow slot (its buckets are
 * then runs of codes). Then for each wide slot a counting sort of the
 * positions by the slot's upper 16 bits, with the lower 8 bits as tags.
 * Positions within a bucket come out ascending, which is what the
 * Elias-Fano-style high-bit vector needs (see vgi_mih in index_int.h). Wide
 * slots are independent, so two threads build them.
 */
#include <stdlib.h>
#include <sys/mman.h>

#include "index_int.h"

#define BUILD_THREADS 2

size_t vgi_mih_hiwords(size_t n)
{
    size_t h1 = n ? ((n - 1) >> 16) + 1 : 1;
    return (n + (size_t)VGI_BUCKETS * h1 + 63) / 64;
}

/* Big arrays are read at random by queries: ask for huge pages to spare TLB misses. */
static void *big_alloc(size_t bytes, int zero)
{
    void *p = NULL;
    if (bytes == 0)
        bytes = 1;
    if (posix_memalign(&p, bytes >= (2u << 20) ? (2u << 20) : 64, bytes) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    if (bytes >= (2u << 20))
        madvise(p, bytes, MADV_HUGEPAGE);
#endif
    if (zero)
        memset(p, 0, bytes);
    return p;
}

void *vgi_big_alloc(size_t bytes, int zero)
{
    return big_alloc(bytes, zero);
}

typedef struct build_job {
    vgi_mih *m;
    uint32_t *off;
    uint8_t *tag;
    uint16_t *lo;
    uint64_t *hib;
    int k0, k1;
    int nomem;
} build_job;

/* Wide slot k (1..10): its offsets, tags, low position bits and high bits. */
static int build_slot(build_job *j, int k)
{
    const vgi_mih *m = j->m;
    size_t n = m->n, h1 = n ? ((n - 1) >> 16) + 1 : 1, w = (size_t)(k - 1);
    uint32_t *off = j->off + (size_t)k * (VGI_BUCKETS + 1);
    uint8_t *tag = j->tag + w * n;
    uint16_t *lo = j->lo + w * n;
    uint64_t *hib = j->hib + w * m->hiwords;
    uint32_t *cur = malloc(sizeof(uint32_t) * VGI_BUCKETS);
    if (!cur)
        return -1;
    memset(off, 0, sizeof(uint32_t) * (VGI_BUCKETS + 1));
    for (size_t p = 0; p < n; p++)
        off[(vgi_wide(m->codes + 4 * p, k) >> 8) + 1]++;
    for (size_t v = 0; v < VGI_BUCKETS; v++) {
        off[v + 1] += off[v];
        cur[v] = off[v];
    }
    for (size_t p = 0; p < n; p++) {
        unsigned v = vgi_wide(m->codes + 4 * p, k), b = v >> 8;
        size_t at = cur[b]++;
        size_t bit = at + (size_t)b * h1 + (p >> 16);
        tag[at] = (uint8_t)(v & 0xFFu);
        lo[at] = (uint16_t)(p & 0xFFFFu);
        hib[bit >> 6] |= 1ull << (bit & 63);
    }
    free(cur);
    return 0;
}

static void *build_run(void *arg)
{
    build_job *j = arg;
    for (int k = j->k0; k < j->k1; k++)
        if (build_slot(j, k) != 0)
            j->nomem = 1;
    return NULL;
}

static int build_slots(vgi_mih *m, uint32_t *off, uint8_t *tag, uint16_t *lo, uint64_t *hib)
{
    build_job jobs[BUILD_THREADS];
    pthread_t th[BUILD_THREADS];
    int started[BUILD_THREADS] = {0}, nomem = 0;
    for (int t = 0; t < BUILD_THREADS; t++) {
        jobs[t] = (build_job){m, off, tag, lo, hib, 1 + t * VGI_WIDE / BUILD_THREADS,
                              1 + (t + 1) * VGI_WIDE / BUILD_THREADS, 0};
        /* Small sets are not worth a thread; a failed create runs inline. */
        if (t > 0 && m->n >= 100000)
            started[t] = pthread_create(&th[t], NULL, build_run, &jobs[t]) == 0;
    }
    for (int t = 0; t < BUILD_THREADS; t++)
        if (!started[t])
            build_run(&jobs[t]);
    for (int t = 0; t < BUILD_THREADS; t++) {
        if (started[t])
            pthread_join(th[t], NULL);
        nomem |= jobs[t].nomem;
    }
    return nomem ? -1 : 0;
}

/* Codes and ids in the order of the narrow slot (stable), and that slot's
 * offsets. The sorted copies replace the arrays in m (and in m->heap). */
static int sort_narrow(vgi_mih *m, uint32_t *off)
{
    size_t n = m->n;
    uint64_t *sc = big_alloc(n * 32, 0), *si = malloc((n ? n : 1) * 8);
    uint32_t *cur = malloc(sizeof(uint32_t) * VGI_BUCKETS);
    if (!sc || !si || !cur) {
        free(sc);
        free(si);
        free(cur);
        return -1;
    }
    memset(off, 0, sizeof(uint32_t) * (VGI_BUCKETS + 1));
    for (size_t p = 0; p < n; p++)
        off[vgi_narrow(m->codes + 4 * p) + 1]++;
    for (size_t v = 0; v < VGI_BUCKETS; v++) {
        off[v + 1] += off[v];
        cur[v] = off[v];
    }
    for (size_t p = 0; p < n; p++) {
        size_t at = cur[vgi_narrow(m->codes + 4 * p)]++;
        memcpy(sc + 4 * at, m->codes + 4 * p, 32);
        si[at] = m->ids[p];
    }
    free(cur);
    free(m->heap[0]);
    free(m->heap[1]);
    m->codes = m->heap[0] = sc;
    m->ids = m->heap[1] = si;
    return 0;
}

vg_status vgi_mih_build(vgi_mih *m, uint64_t *codes, uint64_t *ids, size_t n, vg_error *err)
{
    memset(m, 0, sizeof *m);
    m->n = n;
    m->hiwords = vgi_mih_hiwords(n);
    m->codes = m->heap[0] = codes;
    m->ids = m->heap[1] = ids;
    /* Padded to 8 bytes (zeroed) as they are saved; see pdq_file.c. */
    uint32_t *off = big_alloc(VGI_OFF_BYTES, 1);
    uint8_t *tag = big_alloc(VGI_TAG_BYTES(n), 1);
    uint16_t *lo = big_alloc(VGI_LO_BYTES(n), 1);
    uint64_t *hib = big_alloc(sizeof(uint64_t) * VGI_WIDE * m->hiwords, 1);
    m->off = m->heap[2] = off;
    m->tag = m->heap[3] = tag;
    m->lo = m->heap[4] = lo;
    m->hib = m->heap[5] = hib;
    if (!off || !tag || !lo || !hib || sort_narrow(m, off) != 0 ||
        build_slots(m, off, tag, lo, hib) != 0) {
        vgi_mih_free(m);
        return vg_errorf(err, VG_ERR_NOMEM, "out of memory building the PDQ index of %zu hashes",
                         n);
    }
    return VG_OK;
}

void vgi_mih_free(vgi_mih *m)
{
    for (int i = 0; i < 6; i++)
        free(m->heap[i]);
    free(m->dead);
    memset(m, 0, sizeof *m);
}

size_t vgi_mih_memory(const vgi_mih *m)
{
    size_t b = m->n * (32 + 8) + VGI_OFF_BYTES + VGI_TAG_BYTES(m->n) + VGI_LO_BYTES(m->n) +
               sizeof(uint64_t) * VGI_WIDE * m->hiwords;
    if (m->dead)
        b += (m->n + 7) / 8;
    return b;
}
