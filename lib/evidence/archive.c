/* archive.c - archives through libarchive: entries as items, nested archives
 * opened from their parent's bytes, limits against decompression bombs. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence_int.h"

#define RATIO_FLOOR (1u << 20) /* the ratio limit applies once this much came out */
#define ARC_BUF 65536

typedef struct arc_ctx {
    vgi_walk *w;
    vg_item *parent;
    struct archive *a;
    uint64_t out;    /* bytes decompressed from this archive */
    int abandoned;   /* a limit tripped: read no further entries */
    char why[400];
    uint8_t buf[ARC_BUF];
} arc_ctx;

int vgi_archive_sniff(const uint8_t *h, size_t n)
{
    static const struct { const char *m; size_t len; int kind; } sig[] = {
        {"PK\x03\x04", 4, 1}, {"PK\x05\x06", 4, 1}, {"PK\x07\x08", 4, 1},
        {"7z\xBC\xAF\x27\x1C", 6, 1}, {"Rar!\x1A\x07", 6, 1}, {"MSCF\0\0\0\0", 8, 1},
        {"\x1F\x8B\x08", 3, 2}, {"\xFD" "7zXZ\0", 6, 2}, {"\x28\xB5\x2F\xFD", 4, 2},
    };
    for (size_t i = 0; i < sizeof sig / sizeof sig[0]; i++)
        if (n >= sig[i].len && memcmp(h, sig[i].m, sig[i].len) == 0)
            return sig[i].kind;
    if (n >= 4 && h[0] == 'B' && h[1] == 'Z' && h[2] == 'h' && h[3] >= '1' && h[3] <= '9')
        return 2;
    if (n >= 262 && memcmp(h + 257, "ustar", 5) == 0)
        return 1;
    return 0;
}

/* ---- the archive reads its input from the parent item ---- */

static la_ssize_t parent_read(struct archive *a, void *ud, const void **buf)
{
    arc_ctx *c = ud;
    size_t got = 0;
    vg_error e;
    if (vg_item_read(c->parent, c->buf, sizeof c->buf, &got, &e) != VG_OK) {
        archive_set_error(a, EIO, "%s", e.msg);
        return -1;
    }
    *buf = c->buf;
    return (la_ssize_t)got;
}

static la_int64_t parent_seek(struct archive *a, void *ud, la_int64_t off, int whence)
{
    arc_ctx *c = ud;
    vgi_item_priv *p = c->parent->priv;
    uint64_t size = p->loaded ? p->mem_len : c->parent->size;
    int64_t to = whence == SEEK_SET ? off : whence == SEEK_CUR ? (int64_t)p->pos + off
                                                                : (int64_t)size + off;
    (void)a;
    if (to < 0 || vgi_item_seek(c->parent, (uint64_t)to) != 0)
        return ARCHIVE_FATAL;
    return to;
}

static int parent_seekable(vg_item *it)
{
    return it->priv->loaded || (it->priv->ops && it->priv->ops->seek && it->size > 0);
}

/* ---- an entry's bytes, counted against the limits ---- */

static vg_status limit(arc_ctx *c, vg_error *err)
{
    vgi_walk *w = c->w;
    uint64_t in = (uint64_t)archive_filter_bytes(c->a, -1);
    if (w->o.max_total_bytes && w->arc_bytes > w->o.max_total_bytes) {
        w->arc_exhausted = 1;
        c->abandoned = 1;
        snprintf(c->why, sizeof c->why, "archives expanded beyond max_total_bytes (%llu) in this walk",
                 (unsigned long long)w->o.max_total_bytes);
    } else if (w->o.max_ratio && c->out > RATIO_FLOOR && c->out / (in ? in : 1) > w->o.max_ratio) {
        c->abandoned = 1;
        snprintf(c->why, sizeof c->why,
                 "decompression bomb: %llu bytes out of %llu in, ratio beyond max_ratio (%llu)",
                 (unsigned long long)c->out, (unsigned long long)in,
                 (unsigned long long)w->o.max_ratio);
    } else {
        return VG_OK;
    }
    return vg_errorf(err, VG_ERR_LIMIT, "%s", c->why);
}

static vg_status entry_read(void *src, void *buf, size_t cap, size_t *got, vg_error *err)
{
    arc_ctx *c = src;
    la_ssize_t n;
    if (c->abandoned)
        return vg_errorf(err, VG_ERR_LIMIT, "%s", c->why);
    n = archive_read_data(c->a, buf, cap);
    if (n < 0)
        return vg_errorf(err, VG_ERR_CORRUPT, "archive data: %s",
                         archive_error_string(c->a) ? archive_error_string(c->a) : "read failed");
    c->out += (uint64_t)n;
    c->w->arc_bytes += (uint64_t)n;
    *got = (size_t)n;
    return limit(c, err);
}

static const vgi_src_ops entry_ops = {entry_read, NULL};

/* The stored name of the one stream of a .gz/.bz2/.xz: the parent's name without its suffix. */
static void raw_name(const vg_item *parent, char *out, size_t cap)
{
    const char *base = strrchr(parent->name, '/');
    char *dot;
    snprintf(out, cap, "%s", base ? base + 1 : parent->name);
    dot = strrchr(out, '.');
    if (dot && dot != out)
        *dot = '\0';
    else
        snprintf(out, cap, "data");
}

static void set_entry_meta(vg_item *it, struct archive_entry *e, char *target)
{
    unsigned type = archive_entry_filetype(e);
    it->size = archive_entry_size_is_set(e) && archive_entry_size(e) > 0
                   ? (uint64_t)archive_entry_size(e) : 0;
    /* libarchive's zip reader marks every time as set, 0 when the archive
     * holds none (a zip's ctime, mostly): 1970-01-01 00:00:00 exactly is no
     * file's real time, so 0 stays unknown rather than become a false date. */
    if (archive_entry_mtime_is_set(e) && archive_entry_mtime(e) != 0)
        it->mtime = archive_entry_mtime(e);
    if (archive_entry_atime_is_set(e) && archive_entry_atime(e) != 0)
        it->atime = archive_entry_atime(e);
    if (archive_entry_ctime_is_set(e) && archive_entry_ctime(e) != 0)
        it->ctime = archive_entry_ctime(e);
    if (archive_entry_birthtime_is_set(e) && archive_entry_birthtime(e) != 0)
        it->crtime = archive_entry_birthtime(e);
    if (type == AE_IFLNK) {
        it->type = VG_ITEM_SYMLINK;
        snprintf(target, 4096, "%s", archive_entry_symlink(e) ? archive_entry_symlink(e) : "");
        it->link_target = target;
    } else if (type != AE_IFREG && type != 0) {
        it->type = VG_ITEM_SPECIAL;
    } else if (archive_entry_hardlink(e)) {
        snprintf(target, 4096, "%s", archive_entry_hardlink(e));
        it->link_target = target;
    }
}

/* One entry as an item. Returns 0 to go on, -1 to end this archive. */
static int do_entry(arc_ctx *c, struct archive_entry *e, int raw, unsigned idx)
{
    vg_item it;
    vgi_item_priv p;
    char name[4096], target[4096];
    const char *nm = archive_entry_pathname_utf8(e);
    if (!nm)
        nm = archive_entry_pathname(e);
    if (raw)
        raw_name(c->parent, name, sizeof name);
    else if (nm)
        snprintf(name, sizeof name, "%s", nm);
    else
        snprintf(name, sizeof name, "<unnamed-%u>", idx);
    if (archive_entry_filetype(e) == AE_IFDIR)
        return 0;
    if (vgi_item_init(&it, &p, c->w, c->parent, VG_SRC_ARCHIVE, name, "!/") != VG_OK)
        return -1;
    set_entry_meta(&it, e, target);
    if (it.type == VG_ITEM_REG && archive_entry_is_data_encrypted(e)) {
        it.flags |= VG_ITEM_ENCRYPTED;
        vgi_item_fail(&it, VG_ERR_ENCRYPTED, "encrypted entry: content not read");
    } else if (it.type == VG_ITEM_REG) {
        p.ops = &entry_ops;
        p.src = c;
    }
    vgi_emit(c->w, &it);
    vgi_item_done(&it);
    return c->w->stopped || c->abandoned ? -1 : 0;
}

static struct archive *open_reader(arc_ctx *c, int kind)
{
    struct archive *a = archive_read_new();
    if (!a)
        return NULL;
    /* Only built-in decoders: filter_all would also run external programs
     * (lrzip, lzop...) on hostile bytes. */
    archive_read_support_filter_gzip(a);
    archive_read_support_filter_bzip2(a);
    archive_read_support_filter_xz(a);
    archive_read_support_filter_lzma(a);
    archive_read_support_filter_zstd(a);
    archive_read_support_format_zip(a);
    archive_read_support_format_7zip(a);
    archive_read_support_format_rar(a);
    archive_read_support_format_rar5(a);
    archive_read_support_format_tar(a);
    archive_read_support_format_cab(a);
    if (kind == 2)
        archive_read_support_format_raw(a);
    archive_read_set_read_callback(a, parent_read);
    if (parent_seekable(c->parent))
        archive_read_set_seek_callback(a, parent_seek);
    archive_read_set_callback_data(a, c);
    return a;
}

void vgi_archive_walk(vgi_walk *w, vg_item *it, int kind)
{
    arc_ctx *c = calloc(1, sizeof *c);
    struct archive_entry *e;
    unsigned idx = 0;
    int r;
    if (!c)
        return;
    c->w = w;
    c->parent = it;
    if (!(c->a = open_reader(c, kind)) || archive_read_open1(c->a) != ARCHIVE_OK) {
        vgi_emit_error(w, it, it->kind, "", "!/", VG_ERR_CORRUPT, "cannot open archive: %s",
                       c->a && archive_error_string(c->a) ? archive_error_string(c->a) : "unknown");
        goto done;
    }
    while ((r = archive_read_next_header(c->a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
        int raw = archive_format(c->a) == ARCHIVE_FORMAT_RAW;
        if (w->arc_exhausted)
            break; /* reported where it tripped */
        if (w->o.max_entries && ++w->arc_entries > w->o.max_entries) {
            w->arc_exhausted = 1;
            vgi_emit_error(w, it, it->kind, "", "!/", VG_ERR_LIMIT,
                           "archive entries beyond max_entries (%llu) in this walk: rest not read",
                           (unsigned long long)w->o.max_entries);
            goto done;
        }
        if (do_entry(c, e, raw, idx++) != 0)
            break;
    }
    if (c->abandoned)
        vgi_emit_error(w, it, it->kind, "", "!/", VG_ERR_LIMIT, "archive abandoned: %s", c->why);
    else if (r != ARCHIVE_EOF && r != ARCHIVE_OK && r != ARCHIVE_WARN && !w->stopped)
        vgi_emit_error(w, it, it->kind, "", "!/", VG_ERR_CORRUPT,
                       "corrupt or truncated archive after %u entries: %s", idx,
                       archive_error_string(c->a) ? archive_error_string(c->a) : "read failed");
done:
    if (c->a)
        archive_read_free(c->a);
    free(c);
}
