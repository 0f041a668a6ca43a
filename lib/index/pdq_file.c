/* pdq_file.c - saving a PDQ index to a file and mapping it back.
 *
 * Layout (native little-endian; every section padded with zeros to 8 bytes):
 *   header (128 bytes): magic "VGPDQIDX", version, endian mark, n, hiwords,
 *                       file size, checksum of everything after the header
 *   codes  n * 32 (sorted by the narrow slot)   ids n * 8
 *   off    11 * 65537 * 4   tag 10 * n   lo 10 * n * 2   hib 10 * hiwords * 8
 * The section sizes follow from n alone, so a header that disagrees with the
 * file's length is caught before anything is read. The arrays are used in
 * place from the mapping (codes are copied to huge pages): a 10 M-hash file
 * (~730 MB) serves as soon as its checksum has been read through. Version 1
 * (sixteen 16-bit slots) is refused, so a cache of it is rebuilt.
 */
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "index_int.h"

#define MAGIC "VGPDQIDX"
#define VERSION 2
#define ENDIAN_MARK 0x01020304u
#define HEADER_SIZE 128

typedef struct file_header {
    char magic[8];
    uint32_t version;
    uint32_t endian;
    uint64_t n;
    uint64_t hiwords;
    uint64_t file_size;
    uint64_t checksum;
    uint8_t reserved[HEADER_SIZE - 48];
} file_header;

typedef struct layout {
    size_t codes, ids, off, tag, lo, hib, end;
} layout;

static layout layout_of(size_t n, size_t hiwords)
{
    layout l;
    l.codes = HEADER_SIZE;
    l.ids = l.codes + n * 32;
    l.off = l.ids + n * 8;
    l.tag = l.off + VGI_OFF_BYTES;
    l.lo = l.tag + VGI_TAG_BYTES(n);
    l.hib = l.lo + VGI_LO_BYTES(n);
    l.end = l.hib + sizeof(uint64_t) * VGI_WIDE * hiwords;
    return l;
}

#define NSECTIONS 6

static void sections(const vgi_mih *m, const void *ptrs[NSECTIONS], size_t lens[NSECTIONS])
{
    layout l = layout_of(m->n, m->hiwords);
    const void *p[NSECTIONS] = {m->codes, m->ids, m->off, m->tag, m->lo, m->hib};
    size_t starts[NSECTIONS + 1] = {l.codes, l.ids, l.off, l.tag, l.lo, l.hib, l.end};
    for (int i = 0; i < NSECTIONS; i++) {
        ptrs[i] = p[i];
        lens[i] = starts[i + 1] - starts[i];
    }
}

/* Compacts until nothing is left outside main (adds may land meanwhile),
 * then writes under the read lock, so that queries go on while it writes. */
vg_status vg_pdq_index_save(vg_pdq_index *p, const char *path, vg_error *err)
{
    vg_status st = VG_OK;
    pthread_mutex_lock(&p->compact_mu);
    for (;;) {
        pthread_rwlock_rdlock(&p->lock);
        if (p->dn == 0 && p->main.ndead == 0 && p->main.off)
            break;
        pthread_rwlock_unlock(&p->lock);
        st = vgi_pdq_compact_unlocked(p, err);
        if (st != VG_OK) {
            pthread_mutex_unlock(&p->compact_mu);
            return st;
        }
    }
    if (st == VG_OK) {
        const vgi_mih *m = &p->main;
        file_header h;
        const void *ptrs[1 + NSECTIONS];
        size_t lens[1 + NSECTIONS];
        vgi_sum sum;
        memset(&h, 0, sizeof h);
        memcpy(h.magic, MAGIC, 8);
        h.version = VERSION;
        h.endian = ENDIAN_MARK;
        h.n = m->n;
        h.hiwords = m->hiwords;
        h.file_size = layout_of(m->n, m->hiwords).end;
        sections(m, ptrs + 1, lens + 1);
        vgi_sum_init(&sum);
        for (int i = 1; i <= NSECTIONS; i++)
            vgi_sum_update(&sum, ptrs[i], lens[i]);
        h.checksum = vgi_sum_final(&sum);
        ptrs[0] = &h;
        lens[0] = sizeof h;
        st = vgi_write_file(path, ptrs, lens, 1 + NSECTIONS, err);
    }
    pthread_rwlock_unlock(&p->lock);
    pthread_mutex_unlock(&p->compact_mu);
    return st;
}

static vg_status check_header(const file_header *h, size_t len, vg_error *err)
{
    if (memcmp(h->magic, MAGIC, 8) != 0)
        return vg_errorf(err, VG_ERR_FORMAT, "not a vigil PDQ index (bad magic)");
    if (h->version != VERSION || h->endian != ENDIAN_MARK)
        return vg_errorf(err, VG_ERR_FORMAT, "PDQ index version %u / byte order %#x unsupported",
                         (unsigned)h->version, (unsigned)h->endian);
    if (h->n > VGI_MAX_HASHES || h->hiwords != vgi_mih_hiwords((size_t)h->n))
        return vg_errorf(err, VG_ERR_CORRUPT, "PDQ index header: bad counts (n %llu)",
                         (unsigned long long)h->n);
    size_t want = layout_of((size_t)h->n, (size_t)h->hiwords).end;
    if (h->file_size != want)
        return vg_errorf(err, VG_ERR_CORRUPT, "PDQ index header: size %llu, expected %zu",
                         (unsigned long long)h->file_size, want);
    if (len < want)
        return vg_errorf(err, VG_ERR_TRUNCATED, "PDQ index truncated: %zu of %zu bytes", len,
                         want);
    if (len > want)
        return vg_errorf(err, VG_ERR_CORRUPT, "PDQ index has %zu bytes after its end",
                         len - want);
    return VG_OK;
}

/* Offsets must rise from 0 to n in every slot: then every lo[] index is in bounds. */
VGI_NO_COVERAGE static vg_status check_offsets(const vgi_mih *m, vg_error *err)
{
    for (int k = 0; k < VGI_SLOTS; k++) {
        const uint32_t *off = m->off + (size_t)k * (VGI_BUCKETS + 1);
        if (off[0] != 0 || off[VGI_BUCKETS] != m->n)
            return vg_errorf(err, VG_ERR_CORRUPT, "PDQ index slot %d: offsets do not span %zu",
                             k, m->n);
        for (size_t v = 0; v < VGI_BUCKETS; v++)
            if (off[v + 1] < off[v])
                return vg_errorf(err, VG_ERR_CORRUPT,
                                 "PDQ index slot %d: offsets fall at bucket %zu", k, v);
    }
    return VG_OK;
}

static vg_status attach(vg_pdq_index *p, const unsigned char *b, size_t len, unsigned flags,
                        vg_error *err)
{
    file_header h;
    if (len < HEADER_SIZE)
        return vg_errorf(err, VG_ERR_TRUNCATED, "PDQ index truncated: %zu-byte header", len);
    memcpy(&h, b, sizeof h);
    vg_status st = check_header(&h, len, err);
    if (st != VG_OK)
        return st;
    if (!(flags & VG_INDEX_LOAD_NOVERIFY) &&
        vgi_sum_of(b + HEADER_SIZE, len - HEADER_SIZE) != h.checksum)
        return vg_errorf(err, VG_ERR_CORRUPT, "PDQ index checksum mismatch");
    vgi_mih *m = &p->main;
    layout l = layout_of((size_t)h.n, (size_t)h.hiwords);
    m->n = (size_t)h.n;
    m->hiwords = (size_t)h.hiwords;
    m->codes = (const uint64_t *)(const void *)(b + l.codes);
    m->ids = (const uint64_t *)(const void *)(b + l.ids);
    m->off = (const uint32_t *)(const void *)(b + l.off);
    m->tag = b + l.tag;
    m->lo = (const uint16_t *)(const void *)(b + l.lo);
    m->hib = (const uint64_t *)(const void *)(b + l.hib);
    return check_offsets(m, err);
}

vg_status vg_pdq_index_load_buffer(const void *buf, size_t len, unsigned flags,
                                   vg_pdq_index **out, vg_error *err)
{
    *out = NULL;
    if (len < HEADER_SIZE)
        return vg_errorf(err, VG_ERR_TRUNCATED, "PDQ index truncated: %zu-byte header", len);
    if (((uintptr_t)buf & 7) != 0)
        return vg_errorf(err, VG_ERR_ARG, "PDQ index buffer not 8-byte aligned");
    vg_pdq_index *p = vg_pdq_index_new(err);
    if (!p)
        return VG_ERR_NOMEM;
    vg_status st = attach(p, buf, len, flags, err);
    if (st != VG_OK) {
        memset(&p->main, 0, sizeof p->main);
        vg_pdq_index_free(p);
        return st;
    }
    *out = p;
    return VG_OK;
}

/* Candidates are verified by reading codes at random: from file pages that
 * costs a TLB miss each, so the codes move to huge-page heap memory (a
 * 320 MB copy for 10 M hashes, ~0.1 s) and their file pages are dropped. On
 * failure the mapping simply stays in use. */
static void move_codes(vgi_mih *m)
{
    size_t bytes = m->n * 32;
    if (bytes < (2u << 20))
        return;
    uint64_t *c = vgi_big_alloc(bytes, 0);
    if (!c)
        return;
    memcpy(c, m->codes, bytes);
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t from = ((uintptr_t)m->codes + page - 1) & ~(page - 1);
    uintptr_t to = ((uintptr_t)m->codes + bytes) & ~(page - 1);
    m->codes = c;
    m->heap[0] = c;
    if (to > from)
        madvise((void *)from, to - from, MADV_DONTNEED);
}

vg_status vg_pdq_index_load(const char *path, unsigned flags, vg_pdq_index **out,
                            vg_error *err)
{
    void *map;
    size_t len;
    *out = NULL;
    vg_status st = vgi_map_file(path, &map, &len, err);
    if (st != VG_OK)
        return st;
    st = vg_pdq_index_load_buffer(map ? map : "", map ? len : 0, flags, out, err);
    if (st != VG_OK) {
        if (map)
            munmap(map, len);
        vg_error_prefix(err, path);
        return st;
    }
    (*out)->map = map;
    (*out)->maplen = len;
    move_codes(&(*out)->main);
    return VG_OK;
}
