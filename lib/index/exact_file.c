/* exact_file.c - saving the exact index and reading it back.
 *
 * Layout (native little-endian): a 192-byte header (magic "VGEXTIDX",
 * version, endian mark, seed, file size, checksum of what follows, and per
 * kind: slot capacity, live count, deleted slots), then per kind its slots.
 * vg_exact_index_load maps the file read-only and uses the slots in place; a
 * table's first add or removal copies it to the heap. Everything a lookup
 * relies on is checked: capacities, slot counts, and at least 30% empty
 * slots, without which a probe would not end. The control bytes are derived
 * from the slots here, never read from the file.
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
    uint64_t cap, count, deleted, reserved;
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
    const void *ptrs[1 + VG_DIGEST_KINDS];
    size_t lens[1 + VG_DIGEST_KINDS], size = HEADER_SIZE;
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
        h.k[k] = (kind_header){t->cap, t->count, t->deleted, 0};
        ptrs[1 + k] = t->slots;
        lens[1 + k] = t->cap * t->stride;
        vgi_sum_update(&sum, ptrs[1 + k], lens[1 + k]);
        size += lens[1 + k];
    }
    h.file_size = size;
    h.checksum = vgi_sum_final(&sum);
    ptrs[0] = &h;
    lens[0] = sizeof h;
    vg_status st = vgi_write_file(path, ptrs, lens, 1 + VG_DIGEST_KINDS, err);
    pthread_rwlock_unlock(&x->lock);
    return st;
}

static vg_status check_kind(const kind_header *k, int kind, vg_error *err)
{
    int pow2 = k->cap == 0 || (k->cap & (k->cap - 1)) == 0;
    if (!pow2 || k->cap > ((uint64_t)1 << 34) || k->count > k->cap || k->deleted > k->cap ||
        !vgi_exact_fits((size_t)k->cap, (size_t)(k->count + k->deleted)))
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
        vgi_exact_table t;
        vgi_exact_table_init(&t, (vg_digest_kind)k);
        want += h->k[k].cap * t.stride;
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

/* A kind's slots: used in place (read-only mapping; the first change copies
 * them) or copied. Its control bytes are derived here, counting the slots. */
static vg_status read_kind(vg_exact_index *x, int k, const kind_header *kh,
                           const unsigned char **at, int in_place, vg_error *err)
{
    vgi_exact_table *t = &x->t[k];
    size_t bytes = (size_t)kh->cap * t->stride, live = 0, deleted = 0;
    if (kh->cap == 0)
        return VG_OK;
    if (in_place) {
        t->slots = (uint8_t *)(uintptr_t)*at;
        t->mapped = 1;
    } else {
        if (!(t->slots = vgi_big_alloc(bytes, 0)))
            return vg_errorf(err, VG_ERR_NOMEM, "out of memory loading the exact index");
        memcpy(t->slots, *at, bytes);
    }
    *at += bytes;
    t->cap = (size_t)kh->cap;
    if (vgi_exact_fill_ctrl(x, t, &live, &deleted) != 0)
        return vg_errorf(err, VG_ERR_NOMEM, "out of memory loading the exact index");
    t->count = live;
    t->deleted = deleted;
    if (live != kh->count || deleted != kh->deleted)
        return vg_errorf(err, VG_ERR_CORRUPT, "exact index kind %d: slot counts disagree", k);
    return VG_OK;
}

static vg_status load_from(const unsigned char *b, size_t len, unsigned flags, int in_place,
                           vg_exact_index **out, vg_error *err)
{
    file_header h;
    *out = NULL;
    if (len < HEADER_SIZE)
        return vg_errorf(err, VG_ERR_TRUNCATED, "exact index truncated: %zu-byte header", len);
    memcpy(&h, b, sizeof h);
    vg_status st = check_header(&h, len, err);
    if (st != VG_OK)
        return st;
    if (!(flags & VG_INDEX_LOAD_NOVERIFY) &&
        vgi_sum_of(b + HEADER_SIZE, len - HEADER_SIZE) != h.checksum)
        return vg_errorf(err, VG_ERR_CORRUPT, "exact index checksum mismatch");
    vg_exact_index *x = vg_exact_index_new(0, err);
    if (!x)
        return VG_ERR_NOMEM;
    x->seed = h.seed;
    const unsigned char *at = b + HEADER_SIZE;
    for (int k = 0; st == VG_OK && k < VG_DIGEST_KINDS; k++)
        st = read_kind(x, k, &h.k[k], &at, in_place, err);
    if (st != VG_OK) {
        vg_exact_index_free(x);
        return st;
    }
    *out = x;
    return VG_OK;
}

vg_status vg_exact_index_load_buffer(const void *buf, size_t len, unsigned flags,
                                     vg_exact_index **out, vg_error *err)
{
    return load_from(buf, len, flags, 0, out, err);
}

/* The slots stay in the read-only mapping: a library's cached index costs
 * its page cache pages (shared between processes) and 1 byte per slot of
 * control bytes, and loads at the speed of the checksum. */
vg_status vg_exact_index_load(const char *path, unsigned flags, vg_exact_index **out,
                              vg_error *err)
{
    void *map;
    size_t len;
    *out = NULL;
    vg_status st = vgi_map_file(path, &map, &len, err);
    if (st != VG_OK)
        return st;
    st = load_from(map ? map : (const void *)"", len, flags, map != NULL, out, err);
    if (st != VG_OK) {
        if (map)
            munmap(map, len);
        vg_error_prefix(err, path);
        return st;
    }
    (*out)->map = map;
    (*out)->maplen = len;
    return VG_OK;
}
