/* exact_file.c - saving the exact index and reading it back.
 *
 * Layout (native little-endian): a 192-byte header (magic "VGEXTIDX",
 * version, endian mark, seed, file size, checksum of what follows, and per
 * kind: slot capacity, live count, deleted slots, records), then per kind its
 * slots (16 bytes each) and its arena records (digest + 8-byte id). The file
 * is read into memory rather than mapped, since adds change the tables in
 * place; 10 M SHA-256 entries (~650 MB) read in well under the 10 s budget.
 * Everything a lookup trusts is checked: capacities, record numbers in every
 * slot, and at least 30% empty slots, without which a probe would not end.
 */
#include <stdlib.h>
#include <sys/mman.h>

#include "exact_int.h"
#include "index_int.h"

#define MAGIC "VGEXTIDX"
#define VERSION 1
#define ENDIAN_MARK 0x01020304u
#define HEADER_SIZE 192

typedef struct kind_header {
    uint64_t cap, count, deleted, nrec;
} kind_header;

typedef struct file_header {
    char magic[8];
    uint32_t version;
    uint32_t endian;
    uint64_t seed;
    uint64_t file_size;
    uint64_t checksum;
    kind_header k[VG_DIGEST_KINDS];
    uint8_t reserved[HEADER_SIZE - 40 - VG_DIGEST_KINDS * 32];
} file_header;

vg_status vg_exact_index_save(vg_exact_index *x, const char *path, vg_error *err)
{
    file_header h;
    const void *ptrs[1 + 2 * VG_DIGEST_KINDS];
    size_t lens[1 + 2 * VG_DIGEST_KINDS], size = HEADER_SIZE;
    vgi_sum sum;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, MAGIC, 8);
    h.version = VERSION;
    h.endian = ENDIAN_MARK;
    pthread_rwlock_rdlock(&x->lock);
    h.seed = x->seed;
    vgi_sum_init(&sum);
    for (int k = 0; k < VG_DIGEST_KINDS; k++) {
        const vgi_exact_table *t = &x->t[k];
        h.k[k] = (kind_header){t->cap, t->count, t->deleted, t->nrec};
        ptrs[1 + 2 * k] = t->slots;
        lens[1 + 2 * k] = t->cap * sizeof *t->slots;
        ptrs[2 + 2 * k] = t->arena;
        lens[2 + 2 * k] = t->nrec * t->rec;
        vgi_sum_update(&sum, ptrs[1 + 2 * k], lens[1 + 2 * k]);
        vgi_sum_update(&sum, ptrs[2 + 2 * k], lens[2 + 2 * k]);
        size += lens[1 + 2 * k] + lens[2 + 2 * k];
    }
    h.file_size = size;
    h.checksum = vgi_sum_final(&sum);
    ptrs[0] = &h;
    lens[0] = sizeof h;
    vg_status st = vgi_write_file(path, ptrs, lens, 1 + 2 * VG_DIGEST_KINDS, err);
    pthread_rwlock_unlock(&x->lock);
    return st;
}

static vg_status check_kind(const kind_header *k, int kind, vg_error *err)
{
    int pow2 = k->cap == 0 || (k->cap & (k->cap - 1)) == 0;
    if (!pow2 || k->cap > ((uint64_t)1 << 33) || k->nrec > VGI_EXACT_MAX ||
        k->count > k->nrec || k->count + k->deleted > k->cap / 10 * 7)
        return vg_errorf(err, VG_ERR_CORRUPT,
                         "exact index kind %d: bad counts (capacity %llu, entries %llu)", kind,
                         (unsigned long long)k->cap, (unsigned long long)k->count);
    return VG_OK;
}

static vg_status check_header(const file_header *h, size_t len, vg_error *err)
{
    if (memcmp(h->magic, MAGIC, 8) != 0)
        return vg_errorf(err, VG_ERR_FORMAT, "not a vigil exact index (bad magic)");
    if (h->version != VERSION || h->endian != ENDIAN_MARK)
        return vg_errorf(err, VG_ERR_FORMAT, "exact index version %u / byte order %#x unsupported",
                         (unsigned)h->version, (unsigned)h->endian);
    uint64_t want = HEADER_SIZE;
    for (int k = 0; k < VG_DIGEST_KINDS; k++) {
        vg_status st = check_kind(&h->k[k], k, err);
        if (st != VG_OK)
            return st;
        size_t rec = (vg_digest_kind_len((vg_digest_kind)k) + 7) / 8 * 8 + 8;
        want += h->k[k].cap * sizeof(vgi_exact_slot) + h->k[k].nrec * rec;
    }
    if (h->file_size != want)
        return vg_errorf(err, VG_ERR_CORRUPT, "exact index header: size %llu, expected %llu",
                         (unsigned long long)h->file_size, (unsigned long long)want);
    if (len < want)
        return vg_errorf(err, VG_ERR_TRUNCATED, "exact index truncated: %zu of %llu bytes", len,
                         (unsigned long long)want);
    if (len > want)
        return vg_errorf(err, VG_ERR_CORRUPT, "exact index has %llu bytes after its end",
                         (unsigned long long)(len - want));
    return VG_OK;
}

/* Every slot empty, deleted, or naming a record that exists; counts agree. */
static vg_status check_slots(const vgi_exact_table *t, int kind, vg_error *err)
{
    size_t live = 0, deleted = 0;
    for (size_t i = 0; i < t->cap; i++) {
        uint32_t r = t->slots[i].rec1;
        if (r == VGI_DELETED)
            deleted++;
        else if (r != VGI_EMPTY && r - 1 >= t->nrec)
            return vg_errorf(err, VG_ERR_CORRUPT, "exact index kind %d: slot %zu names record %u",
                             kind, i, r);
        else if (r != VGI_EMPTY)
            live++;
    }
    if (live != t->count || deleted != t->deleted)
        return vg_errorf(err, VG_ERR_CORRUPT, "exact index kind %d: slot counts disagree", kind);
    return VG_OK;
}

static vg_status read_kind(vg_exact_index *x, int k, const kind_header *kh,
                           const unsigned char **at, vg_error *err)
{
    vgi_exact_table *t = &x->t[k];
    size_t slots = (size_t)kh->cap * sizeof *t->slots, arena = (size_t)kh->nrec * t->rec;
    t->slots = kh->cap ? vgi_big_alloc(slots, 0) : NULL;
    t->arena = kh->nrec ? vgi_big_alloc(arena, 0) : NULL;
    if ((kh->cap && !t->slots) || (kh->nrec && !t->arena))
        return vg_errorf(err, VG_ERR_NOMEM, "out of memory loading the exact index");
    if (slots)
        memcpy(t->slots, *at, slots);
    if (arena)
        memcpy(t->arena, *at + slots, arena);
    *at += slots + arena;
    t->cap = (size_t)kh->cap;
    t->count = (size_t)kh->count;
    t->deleted = (size_t)kh->deleted;
    t->nrec = t->arena_cap = (size_t)kh->nrec;
    return check_slots(t, k, err);
}

vg_status vg_exact_index_load_buffer(const void *buf, size_t len, unsigned flags,
                                     vg_exact_index **out, vg_error *err)
{
    const unsigned char *b = buf;
    file_header h;
    *out = NULL;
    if (len < HEADER_SIZE)
        return vg_errorf(err, VG_ERR_TRUNCATED, "exact index truncated: %zu-byte header", len);
    memcpy(&h, b, sizeof h);
    vg_status st = check_header(&h, len, err);
    if (st != VG_OK)
        return st;
    if (!(flags & VG_INDEX_LOAD_NOVERIFY)) {
        vgi_sum sum;
        vgi_sum_init(&sum);
        vgi_sum_update(&sum, b + HEADER_SIZE, len - HEADER_SIZE);
        if (vgi_sum_final(&sum) != h.checksum)
            return vg_errorf(err, VG_ERR_CORRUPT, "exact index checksum mismatch");
    }
    vg_exact_index *x = vg_exact_index_new(0, err);
    if (!x)
        return VG_ERR_NOMEM;
    x->seed = h.seed;
    const unsigned char *at = b + HEADER_SIZE;
    for (int k = 0; st == VG_OK && k < VG_DIGEST_KINDS; k++)
        st = read_kind(x, k, &h.k[k], &at, err);
    if (st != VG_OK) {
        vg_exact_index_free(x);
        return st;
    }
    *out = x;
    return VG_OK;
}

vg_status vg_exact_index_load(const char *path, unsigned flags, vg_exact_index **out,
                              vg_error *err)
{
    void *map;
    size_t len;
    *out = NULL;
    vg_status st = vgi_map_file(path, &map, &len, err);
    if (st != VG_OK)
        return st;
    st = vg_exact_index_load_buffer(map ? map : "", len, flags, out, err);
    if (map)
        munmap(map, len);
    if (st != VG_OK)
        vg_error_prefix(err, path);
    return st;
}
