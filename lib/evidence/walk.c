/* walk.c - vg_evidence_walk: the entry point, the hand-over of each item to
 * the callback, and the decision to open an item as a nested container. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "evidence_int.h"

void vg_evidence_opts_default(vg_evidence_opts *o)
{
    memset(o, 0, sizeof *o);
    o->max_depth = 5;
    o->max_ratio = 200;
    o->max_total_bytes = 64ull << 30;
    o->max_entries = 1000000;
    o->max_item_mem = 64u << 20;
    o->max_carve_size = 64u << 20;
    o->archives = 1;
    o->disk_images = 1;
    o->carve = 1;
    o->verify_image = 0;
    o->exif_thumbnails = 1;
}

/* 0: not a container; 1 archive; 2 raw compressed stream; 3 disk image. */
static int container_kind(vgi_walk *w, vg_item *it)
{
    size_t n;
    const uint8_t *h;
    int k;
    if (it->type != VG_ITEM_REG || it->status != VG_OK || (it->flags & VG_ITEM_ENCRYPTED))
        return 0;
    if (!(h = vgi_item_peek(it, &n)) || n == 0)
        return 0;
    if (w->o.archives && (k = vgi_archive_sniff(h, n)) != 0)
        return k;
    if (w->o.disk_images && it->priv->fs_path && vgi_disk_sniff(it, h, n))
        return 3;
    return 0;
}

/* An E01's stored MD5 checked before the callback sees the image; a mismatch
 * marks the image item but its contents are still walked. */
static void verify_image(vg_item *it)
{
    size_t n;
    const uint8_t *h = vgi_item_peek(it, &n);
    vg_error e;
    if (!h || n < 8 || memcmp(h, "EVF\x09\x0D\x0A\xFF\x00", 8) != 0)
        return;
    if (vg_ewf_verify(it->priv->fs_path, NULL, &e) == VG_OK)
        it->flags |= VG_ITEM_IMAGE_HASH_OK;
    else
        vgi_item_fail(it, e.code, "image verification failed: %s", e.msg);
}

static void open_container(vgi_walk *w, vg_item *it, int k)
{
    if (it->depth + 1 > w->o.max_depth) {
        vgi_emit_error(w, it, it->kind, "", "!/", VG_ERR_LIMIT,
                       "not expanded: nesting deeper than max_depth (%u)", w->o.max_depth);
        return;
    }
    if (!vgi_item_rewindable(it)) {
        vgi_emit_error(w, it, it->kind, "", "!/", VG_ERR_LIMIT,
                       "not expanded: streamed by the caller and not loadable (max_item_mem)");
        return;
    }
    vgi_item_seek(it, 0);
    if (k == 3)
        vgi_disk_walk(w, it);
    else if (w->arc_exhausted)
        return;
    else
        vgi_archive_walk(w, it, k);
}

vg_walk_ret vgi_emit(vgi_walk *w, vg_item *it)
{
    vg_walk_ret r;
    int k;
    if (w->stopped)
        return VG_WALK_STOP;
    /* Sniff before the callback so that it sees VG_ITEM_CONTAINER; the head is
     * kept, so this costs no second read. */
    k = container_kind(w, it);
    if (k)
        it->flags |= VG_ITEM_CONTAINER;
    if (k == 3 && w->o.verify_image)
        verify_image(it);
    /* A nested archive whose source cannot seek (an archive entry) is kept in
     * memory when it fits, so that the callback may stream it and it can still
     * be expanded afterwards. */
    if (k && k != 3 && !it->priv->ops->seek && it->size > 0 && it->size <= w->o.max_item_mem) {
        const uint8_t *d;
        size_t n;
        vg_item_load(it, &d, &n, NULL);
    }
    r = w->cb(it, w->ctx);
    if (r == VG_WALK_STOP) {
        w->stopped = 1;
        return r;
    }
    if (r == VG_WALK_CONTINUE && k)
        open_container(w, it, k);
    else if (r == VG_WALK_CONTINUE && w->o.exif_thumbnails && !w->stopped)
        vgi_exif_child(w, it);
    return w->stopped ? VG_WALK_STOP : r;
}

vg_walk_ret vgi_emit_error(vgi_walk *w, const vg_item *parent, vg_source_kind kind,
                           const char *name, const char *sep, vg_status st, const char *fmt, ...)
{
    vg_item it;
    vgi_item_priv p;
    char msg[400];
    va_list ap;
    vg_walk_ret r;
    if (w->stopped)
        return VG_WALK_STOP;
    if (vgi_item_init(&it, &p, w, parent, kind, name, name[0] ? sep : "") != VG_OK)
        return VG_WALK_CONTINUE;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!name[0] && parent) {
        /* An error about the container itself: report it under the container's name. */
        it.depth = parent->depth;
        it.name = parent->name;
    }
    vgi_item_fail(&it, st, "%s", msg);
    r = w->cb(&it, w->ctx);
    if (r == VG_WALK_STOP)
        w->stopped = 1;
    vgi_item_done(&it);
    return r;
}

vg_status vg_evidence_walk(const char *path, const vg_evidence_opts *opts, vg_item_cb cb,
                           void *ctx, vg_error *err)
{
    vgi_walk w;
    struct stat st;
    if (!path || !cb)
        return vg_errorf(err, VG_ERR_ARG, "vg_evidence_walk: path and callback are required");
    memset(&w, 0, sizeof w);
    if (opts)
        w.o = *opts;
    else
        vg_evidence_opts_default(&w.o);
    w.cb = cb;
    w.ctx = ctx;
    if (lstat(path, &st) != 0)
        return vg_errorf(err, VG_ERR_OPEN, "%s: cannot examine: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return vgi_tree_walk(&w, path, err);
    return vgi_file_item(&w, AT_FDCWD, path, path, path);
}
