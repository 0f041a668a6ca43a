/* disk.c - disk images through libtsk: volume systems, the file systems in
 * them, allocated and deleted files as items; unallocated space handed to the
 * carver (carve_disk.c). */
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tsk/libtsk.h>

#include "disk_int.h"

/* The image type by magic. TSK's own detection tries libvmdk and libvhdi on
 * every file, and those leak on each refusal. A fixed VHD is raw with a footer. */
static TSK_IMG_TYPE_ENUM img_type(const uint8_t *h, size_t n)
{
    if (n >= 8 && memcmp(h, "EVF\x09\x0D\x0A\xFF\x00", 8) == 0)
        return TSK_IMG_TYPE_EWF_EWF;
    if (n >= 4 && memcmp(h, "KDMV", 4) == 0)
        return TSK_IMG_TYPE_VMDK_VMDK;
    if (n >= 8 && memcmp(h, "conectix", 8) == 0)
        return TSK_IMG_TYPE_VHD_VHD;
    return TSK_IMG_TYPE_RAW;
}

static TSK_IMG_INFO *img_open(vg_item *it)
{
    size_t n;
    const uint8_t *h = vgi_item_peek(it, &n);
    return tsk_img_open_utf8_sing(it->priv->fs_path, h ? img_type(h, n) : TSK_IMG_TYPE_RAW, 0);
}

/* Whether TSK finds a volume system or a file system at the start of the image. */
static int tsk_probe(vg_item *it)
{
    TSK_IMG_INFO *img = img_open(it);
    TSK_VS_INFO *vs;
    TSK_FS_INFO *fs = NULL;
    int found = 0;
    if (img) {
        if ((vs = tsk_vs_open(img, 0, TSK_VS_TYPE_DETECT)) != NULL) {
            found = 1;
            tsk_vs_close(vs);
        } else if ((fs = tsk_fs_open_img(img, 0, TSK_FS_TYPE_DETECT)) != NULL) {
            found = 1;
            tsk_fs_close(fs);
        }
        tsk_img_close(img);
    }
    tsk_error_reset();
    return found;
}

int vgi_disk_sniff(vg_item *it, const uint8_t *h, size_t n)
{
    static const char *const ext[] = {".dd", ".raw", ".img", ".001", ".iso", ".e01"};
    size_t ln = strlen(it->name);
    int named = 0, top = it->parent == NULL && !strcmp(it->name, it->priv->fs_path);
    /* An EWF set is opened from its first segment; later ones (.E02...) are
     * plain items, or every segment would walk the whole set again. */
    if (n >= 11 && memcmp(h, "EVF\x09\x0D\x0A\xFF\x00", 8) == 0)
        return (h[9] | h[10] << 8) == 1;
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        size_t le = strlen(ext[i]);
        named |= ln > le && strncasecmp(it->name + ln - le, ext[i], le) == 0;
    }
    /* The evidence path itself named like an image is walked (and carved) even
     * when TSK finds no file system in it; elsewhere TSK must recognise it. */
    if (top && named)
        return 1;
    return (top || named) && tsk_probe(it);
}

const char *vgi_tsk_msg(void)
{
    const char *m = tsk_error_get();
    return m && *m ? m : "unknown TSK error";
}

/* ---- a file's bytes through tsk_fs_file_read ---- */

typedef struct tsk_src {
    TSK_FS_FILE *f;
    uint64_t pos, size;
} tsk_src;

static vg_status tsk_read(void *src, void *buf, size_t cap, size_t *got, vg_error *err)
{
    tsk_src *s = src;
    ssize_t n;
    size_t want = s->size - s->pos < cap ? (size_t)(s->size - s->pos) : cap;
    *got = 0;
    if (want == 0)
        return VG_OK;
    n = tsk_fs_file_read(s->f, (TSK_OFF_T)s->pos, buf, want, TSK_FS_FILE_READ_FLAG_NONE);
    if (n <= 0) {
        vg_status st = vg_errorf(err, VG_ERR_IO, "TSK cannot read at offset %llu: %s",
                                 (unsigned long long)s->pos, n < 0 ? vgi_tsk_msg() : "no data");
        tsk_error_reset();
        return st;
    }
    s->pos += (uint64_t)n;
    *got = (size_t)n;
    return VG_OK;
}

static int tsk_seek(void *src, uint64_t off)
{
    tsk_src *s = src;
    if (off > s->size)
        return -1;
    s->pos = off;
    return 0;
}

static const vgi_src_ops tsk_ops = {tsk_read, tsk_seek};

static int64_t t_or_unknown(time_t t)
{
    return t ? (int64_t)t : VG_TIME_UNKNOWN; /* TSK writes 0 where the FS keeps no such time */
}

/* Byte offset in the image of the first byte of the default data run. */
static int64_t first_run(TSK_FS_FILE *f)
{
    const TSK_FS_ATTR *a = tsk_fs_file_attr_get(f);
    tsk_error_reset();
    if (!a || !(a->flags & TSK_FS_ATTR_NONRES) || !a->nrd.run)
        return -1;
    if (a->nrd.run->flags & (TSK_FS_ATTR_RUN_FLAG_FILLER | TSK_FS_ATTR_RUN_FLAG_SPARSE))
        return -1;
    return (int64_t)(f->fs_info->offset + (TSK_OFF_T)a->nrd.run->addr * f->fs_info->block_size);
}

static int file_type(TSK_FS_FILE *f, vg_item_type *t)
{
    /* A wiped inode (type 0) says nothing: the name's type decides. */
    int mt = f->meta && f->meta->type != TSK_FS_META_TYPE_UNDEF ? (int)f->meta->type : -1;
    int nt = (int)f->name->type;
    if (mt == TSK_FS_META_TYPE_DIR || mt == TSK_FS_META_TYPE_VIRT || mt == TSK_FS_META_TYPE_VIRT_DIR ||
        nt == TSK_FS_NAME_TYPE_DIR || nt == TSK_FS_NAME_TYPE_VIRT || nt == TSK_FS_NAME_TYPE_VIRT_DIR)
        return 0;
    if (mt == TSK_FS_META_TYPE_LNK || nt == TSK_FS_NAME_TYPE_LNK)
        *t = VG_ITEM_SYMLINK;
    else if (mt == TSK_FS_META_TYPE_REG || (mt < 0 && (nt == TSK_FS_NAME_TYPE_REG || nt == TSK_FS_NAME_TYPE_UNDEF)))
        *t = VG_ITEM_REG;
    else
        *t = VG_ITEM_SPECIAL;
    return 1;
}

static void set_meta(vg_item *it, TSK_FS_FILE *f)
{
    TSK_FS_META *m = f->meta;
    it->meta_addr = (uint64_t)f->name->meta_addr;
    if ((f->name->flags & TSK_FS_NAME_FLAG_UNALLOC) || (m && (m->flags & TSK_FS_META_FLAG_UNALLOC)))
        it->flags |= VG_ITEM_DELETED;
    if (!m)
        return;
    it->size = m->size > 0 ? (uint64_t)m->size : 0;
    it->mtime = t_or_unknown(m->mtime);
    it->atime = t_or_unknown(m->atime);
    it->ctime = t_or_unknown(m->ctime);
    it->crtime = t_or_unknown(m->crtime);
    if (it->type == VG_ITEM_REG)
        it->offset = first_run(f);
}

static TSK_WALK_RET_ENUM fs_file(TSK_FS_FILE *f, const char *a_path, void *ptr)
{
    vgi_vol *v = ptr;
    vg_item it;
    vgi_item_priv p;
    tsk_src src;
    vg_item_type t;
    char name[4096];
    const char *ap = !a_path ? "" : a_path[0] == '/' ? a_path + 1 : a_path;
    if (v->w->stopped)
        return TSK_WALK_STOP;
    if (!f->name || !f->name->name || TSK_FS_ISDOT(f->name->name) || !file_type(f, &t))
        return TSK_WALK_CONT;
    /* A FAT volume label is a directory entry, not a file. */
    if (!f->meta || f->meta->size == 0) {
        size_t ln = strlen(f->name->name);
        if (ln >= 20 && !strcmp(f->name->name + ln - 20, "(Volume Label Entry)"))
            return TSK_WALK_CONT;
    }
    /* NTFS lists unused reserved MFT entries as empty orphans: noise. */
    if (!strncmp(ap, "$OrphanFiles", 12) && (!f->meta || f->meta->size == 0))
        return TSK_WALK_CONT;
    snprintf(name, sizeof name, "%s%s%s", v->prefix, ap,
             f->name->name);
    if (vgi_item_init(&it, &p, v->w, v->image, VG_SRC_DISK, name, "!/") != VG_OK)
        return TSK_WALK_STOP;
    it.type = t;
    it.vol_offset = v->vol_off;
    set_meta(&it, f);
    if (t == VG_ITEM_REG && (!f->meta || f->meta->type == TSK_FS_META_TYPE_UNDEF)) {
        vgi_item_fail(&it, VG_ERR_NOTFOUND,
                      "name whose metadata is missing or wiped: content not recoverable by name");
    } else if (t == VG_ITEM_REG) {
        src.f = f;
        src.pos = 0;
        src.size = it.size;
        p.ops = &tsk_ops;
        p.src = &src;
    }
    vgi_emit(v->w, &it);
    vgi_item_done(&it);
    return v->w->stopped ? TSK_WALK_STOP : TSK_WALK_CONT;
}

/* One volume (partition, or the whole image): its file system, else carving. */
static void walk_volume(vgi_vol *v, uint64_t len)
{
    TSK_FS_INFO *fs = tsk_fs_open_img(v->img, (TSK_OFF_T)v->vol_off, TSK_FS_TYPE_DETECT);
    if (!fs) {
        vgi_emit_error(v->w, v->image, VG_SRC_DISK, v->prefix[0] ? v->prefix : "", "!/",
                       VG_ERR_FORMAT, "no file system TSK reads at offset %lld: %s",
                       (long long)v->vol_off, vgi_tsk_msg());
        tsk_error_reset();
        if (v->w->o.carve)
            vgi_carve_range(v, (uint64_t)v->vol_off, len);
        return;
    }
    if (tsk_fs_dir_walk(fs, fs->root_inum,
                        TSK_FS_DIR_WALK_FLAG_ALLOC | TSK_FS_DIR_WALK_FLAG_UNALLOC |
                            TSK_FS_DIR_WALK_FLAG_RECURSE,
                        fs_file, v) != 0 && !v->w->stopped) {
        vgi_emit_error(v->w, v->image, VG_SRC_DISK, v->prefix[0] ? v->prefix : "", "!/",
                       VG_ERR_CORRUPT, "file system walk ended early: %s", vgi_tsk_msg());
    }
    tsk_error_reset();
    if (v->w->o.carve && !v->w->stopped)
        vgi_carve_unalloc(v, fs);
    tsk_fs_close(fs);
}

static void walk_vs(vgi_vol *v, TSK_VS_INFO *vs)
{
    unsigned idx = 0;
    for (TSK_PNUM_T i = 0; i < vs->part_count && !v->w->stopped; i++) {
        const TSK_VS_PART_INFO *part = tsk_vs_part_get(vs, i);
        uint64_t off, len;
        if (!part)
            continue;
        off = (uint64_t)part->start * vs->block_size + (uint64_t)vs->offset;
        len = (uint64_t)part->len * vs->block_size;
        if (part->flags & TSK_VS_PART_FLAG_ALLOC) {
            snprintf(v->prefix, sizeof v->prefix, "p%u/", ++idx);
            v->vol_off = (int64_t)off;
            walk_volume(v, len);
        } else if ((part->flags & TSK_VS_PART_FLAG_UNALLOC) && v->w->o.carve) {
            snprintf(v->prefix, sizeof v->prefix, "unpartitioned/");
            v->vol_off = -1;
            vgi_carve_range(v, off, len);
        }
    }
}

void vgi_disk_walk(vgi_walk *w, vg_item *it)
{
    vgi_vol v;
    TSK_VS_INFO *vs;
    memset(&v, 0, sizeof v);
    v.w = w;
    v.image = it;
    v.img = img_open(it);
    if (!v.img) {
        vgi_emit_error(w, it, VG_SRC_DISK, "", "!/", VG_ERR_FORMAT, "cannot open disk image: %s",
                       vgi_tsk_msg());
        tsk_error_reset();
        return;
    }
    if ((vs = tsk_vs_open(v.img, 0, TSK_VS_TYPE_DETECT)) != NULL) {
        walk_vs(&v, vs);
        tsk_vs_close(vs);
    } else {
        tsk_error_reset();
        v.vol_off = 0;
        walk_volume(&v, (uint64_t)v.img->size);
    }
    tsk_img_close(v.img);
}
