/* carve_disk.c - carving a disk image: runs of unallocated blocks of a file
 * system (or a whole volume TSK cannot read) go through the carver, and each
 * object found becomes an item whose bytes are read from the image. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disk_int.h"

#define MAX_RUNS (1u << 22) /* 64 MiB of run records: beyond, carve what we have */

typedef struct region {
    vgi_vol *v;
    uint64_t base; /* image offset of the region */
} region;

static long img_pread(void *ctx, uint64_t off, uint8_t *buf, size_t len)
{
    region *r = ctx;
    ssize_t n = tsk_img_read(r->v->img, (TSK_OFF_T)(r->base + off), (char *)buf, len);
    if (n < 0)
        tsk_error_reset();
    return (long)n;
}

typedef struct carved_src {
    TSK_IMG_INFO *img;
    uint64_t start, len, pos;
} carved_src;

static vg_status carved_read(void *src, void *buf, size_t cap, size_t *got, vg_error *err)
{
    carved_src *s = src;
    size_t want = s->len - s->pos < cap ? (size_t)(s->len - s->pos) : cap;
    ssize_t n;
    *got = 0;
    if (want == 0)
        return VG_OK;
    n = tsk_img_read(s->img, (TSK_OFF_T)(s->start + s->pos), buf, want);
    if (n <= 0) {
        vg_status st = vg_errorf(err, VG_ERR_IO, "image read failed at offset %llu: %s",
                                 (unsigned long long)(s->start + s->pos), vgi_tsk_msg());
        tsk_error_reset();
        return st;
    }
    s->pos += (uint64_t)n;
    *got = (size_t)n;
    return VG_OK;
}

static int carved_seek(void *src, uint64_t off)
{
    carved_src *s = src;
    if (off > s->len)
        return -1;
    s->pos = off;
    return 0;
}

static const vgi_src_ops carved_ops = {carved_read, carved_seek};

static int on_hit(const vg_carve_hit *hit, void *ctx)
{
    region *r = ctx;
    vgi_vol *v = r->v;
    vg_item it;
    vgi_item_priv p;
    carved_src src;
    char name[128];
    uint64_t abs = r->base + hit->offset;
    snprintf(name, sizeof name, "%s$Carved/%012llu.%s", v->prefix, (unsigned long long)abs, hit->type);
    if (vgi_item_init(&it, &p, v->w, v->image, VG_SRC_CARVED, name, "!/") != VG_OK)
        return 1;
    it.flags = VG_ITEM_CARVED | VG_ITEM_UNALLOC | (hit->truncated ? VG_ITEM_TRUNCATED : 0);
    it.offset = (int64_t)abs;
    it.size = hit->length;
    it.vol_offset = v->vol_off;
    it.carve_type = hit->type;
    src.img = v->img;
    src.start = abs;
    src.len = hit->length;
    src.pos = 0;
    p.ops = &carved_ops;
    p.src = &src;
    vgi_emit(v->w, &it);
    vgi_item_done(&it);
    return v->w->stopped;
}

void vgi_carve_range(vgi_vol *v, uint64_t off, uint64_t len)
{
    region r = {v, off};
    vgi_bytes scan, parse;
    if (len == 0 || v->w->stopped)
        return;
    if (off + len > (uint64_t)v->img->size)
        len = off < (uint64_t)v->img->size ? (uint64_t)v->img->size - off : 0;
    if (vgi_bytes_open(&scan, img_pread, &r, len) == 0 &&
        vgi_bytes_open(&parse, img_pread, &r, len) == 0) {
        vgi_carve_region(&scan, &parse, v->w->o.max_carve_size, on_hit, &r);
        vgi_bytes_close(&parse);
    }
    vgi_bytes_close(&scan);
}

typedef struct runs {
    uint64_t (*r)[2]; /* first block, count */
    size_t n, cap;
} runs;

static TSK_WALK_RET_ENUM on_block(const TSK_FS_BLOCK *b, void *ptr)
{
    runs *rs = ptr;
    uint64_t a = (uint64_t)b->addr;
    if (rs->n && rs->r[rs->n - 1][0] + rs->r[rs->n - 1][1] == a) {
        rs->r[rs->n - 1][1]++;
        return TSK_WALK_CONT;
    }
    if (rs->n == rs->cap) {
        size_t nc = rs->cap ? rs->cap * 2 : 256;
        void *nr = nc <= MAX_RUNS ? realloc(rs->r, nc * sizeof *rs->r) : NULL;
        if (!nr)
            return TSK_WALK_STOP;
        rs->r = nr;
        rs->cap = nc;
    }
    rs->r[rs->n][0] = a;
    rs->r[rs->n][1] = 1;
    rs->n++;
    return TSK_WALK_CONT;
}

void vgi_carve_unalloc(vgi_vol *v, TSK_FS_INFO *fs)
{
    runs rs = {NULL, 0, 0};
    if (tsk_fs_block_walk(fs, fs->first_block, fs->last_block,
                          TSK_FS_BLOCK_WALK_FLAG_UNALLOC | TSK_FS_BLOCK_WALK_FLAG_AONLY, on_block,
                          &rs) != 0)
        tsk_error_reset();
    for (size_t i = 0; i < rs.n && !v->w->stopped; i++)
        vgi_carve_range(v, (uint64_t)fs->offset + rs.r[i][0] * fs->block_size,
                        rs.r[i][1] * fs->block_size);
    free(rs.r);
}
