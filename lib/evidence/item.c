/* item.c - an item's provenance strings and its bytes: streaming reads over a
 * source, a kept head for sniffing, and whole loads bounded by max_item_mem. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence_int.h"

static char *join3(const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *s = malloc(la + lb + lc + 1);
    if (!s)
        return NULL;
    memcpy(s, a, la);
    memcpy(s + la, b, lb);
    memcpy(s + la + lb, c, lc + 1);
    return s;
}

vg_status vgi_item_init(vg_item *it, vgi_item_priv *p, vgi_walk *w, const vg_item *parent,
                        vg_source_kind kind, const char *name, const char *sep)
{
    memset(it, 0, sizeof *it);
    memset(p, 0, offsetof(vgi_item_priv, head));
    p->w = w;
    p->name_buf = join3(name, "", "");
    p->path_buf = parent ? join3(parent->path, sep, name) : join3(name, "", "");
    if (!p->name_buf || !p->path_buf) {
        free(p->name_buf);
        free(p->path_buf);
        return VG_ERR_NOMEM;
    }
    it->parent = parent;
    it->kind = kind;
    it->type = VG_ITEM_REG;
    it->depth = parent ? parent->depth + (strcmp(sep, "!/") == 0) : 0;
    it->name = p->name_buf;
    it->path = p->path_buf;
    it->offset = -1;
    it->vol_offset = parent ? parent->vol_offset : -1;
    it->mtime = it->atime = it->ctime = it->crtime = VG_TIME_UNKNOWN;
    it->status = VG_OK;
    it->error = p->err_buf;
    it->priv = p;
    return VG_OK;
}

void vgi_item_done(vg_item *it)
{
    vgi_item_priv *p = it->priv;
    free(p->mem);
    free(p->name_buf);
    free(p->path_buf);
    p->mem = NULL;
    p->name_buf = p->path_buf = NULL;
}

void vgi_item_fail(vg_item *it, vg_status st, const char *fmt, ...)
{
    vgi_item_priv *p = it->priv;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    it->status = st;
    snprintf(p->err_buf, sizeof p->err_buf, "%s: %s", it->path, msg);
}

static vg_status fail_read(vg_item *it, vg_status st, vg_error *err)
{
    it->priv->failed = 1;
    return vg_errorf(err, st, "%s", it->error[0] ? it->error : it->path);
}

/* Reads from the source at the logical position, seeking it there first. */
static vg_status src_read(vg_item *it, void *buf, size_t cap, size_t *got, vg_error *err)
{
    vgi_item_priv *p = it->priv;
    vg_error e;
    vg_status st;
    if (p->src_pos != p->pos) {
        if (!p->ops->seek || p->ops->seek(p->src, p->pos) != 0) {
            vgi_item_fail(it, VG_ERR_ARG, "cannot read again from offset %llu: source not seekable",
                          (unsigned long long)p->pos);
            return fail_read(it, VG_ERR_ARG, err);
        }
        p->src_pos = p->pos;
    }
    st = p->ops->read(p->src, buf, cap, got, &e);
    if (st) {
        if (it->status == VG_OK)
            vgi_item_fail(it, st, "%s", e.msg);
        return fail_read(it, st, err);
    }
    p->src_pos += *got;
    return VG_OK;
}

static vg_status fill_head(vg_item *it, vg_error *err)
{
    vgi_item_priv *p = it->priv;
    uint64_t save = p->pos;
    vg_status st = VG_OK;
    p->pos = 0;
    while (p->head_len < VGI_HEAD) {
        size_t got = 0;
        p->pos = p->head_len;
        st = src_read(it, p->head + p->head_len, VGI_HEAD - p->head_len, &got, err);
        if (st || got == 0)
            break;
        p->head_len += got;
    }
    p->head_done = 1;
    p->pos = save;
    return st;
}

vg_status vg_item_read(vg_item *it, void *buf, size_t cap, size_t *got, vg_error *err)
{
    vgi_item_priv *p = it->priv;
    vg_status st;
    *got = 0;
    if (it->type != VG_ITEM_REG || !p->ops)
        return vg_errorf(err, it->status ? it->status : VG_ERR_ARG, "%s: no readable bytes",
                         it->path);
    if (p->failed)
        return fail_read(it, it->status ? it->status : VG_ERR_IO, err);
    if (p->loaded) {
        size_t n = p->mem_len - (size_t)p->pos;
        n = n < cap ? n : cap;
        memcpy(buf, p->mem + p->pos, n);
        p->pos += n;
        *got = n;
        return VG_OK;
    }
    if (!p->head_done && (st = fill_head(it, err)) != VG_OK)
        return st;
    if (p->pos < p->head_len) {
        size_t n = p->head_len - (size_t)p->pos;
        n = n < cap ? n : cap;
        memcpy(buf, p->head + p->pos, n);
        p->pos += n;
        *got = n;
        return VG_OK;
    }
    if (p->head_len < VGI_HEAD)
        return VG_OK; /* the head holds the whole item */
    st = src_read(it, buf, cap, got, err);
    p->pos += *got;
    return st;
}

int vgi_item_seek(vg_item *it, uint64_t off)
{
    vgi_item_priv *p = it->priv;
    if (p->loaded) {
        if (off > p->mem_len)
            return -1;
    } else if (!(p->head_done && off <= p->head_len) && off != p->src_pos && !p->ops->seek) {
        return -1;
    }
    p->pos = off;
    return 0;
}

int vgi_item_rewindable(vg_item *it)
{
    vgi_item_priv *p = it->priv;
    return p->ops && !p->failed &&
           (p->loaded || p->ops->seek || p->src_pos == 0 || (p->head_done && p->pos <= p->head_len &&
                                                             p->src_pos == p->head_len));
}

const uint8_t *vgi_item_peek(vg_item *it, size_t *len)
{
    vgi_item_priv *p = it->priv;
    *len = 0;
    if (it->type != VG_ITEM_REG || !p->ops || p->failed)
        return NULL;
    if (p->loaded) {
        *len = p->mem_len < VGI_HEAD ? p->mem_len : VGI_HEAD;
        return p->mem;
    }
    if (!p->head_done) {
        if (p->src_pos != 0 && !p->ops->seek)
            return NULL; /* streamed past the start already */
        if (fill_head(it, NULL) != VG_OK)
            return NULL;
    }
    *len = p->head_len;
    return p->head;
}

static vg_status load_rest(vg_item *it, uint8_t **buf, size_t *len, size_t *cap, vg_error *err)
{
    size_t max = it->priv->w->o.max_item_mem;
    for (;;) {
        size_t got;
        vg_status st;
        if (*len == *cap) {
            size_t ncap = *cap ? *cap * 2 : 65536;
            uint8_t *nb;
            if (max && ncap > max + 1)
                ncap = max + 1;
            if (ncap <= *len)
                return vg_errorf(err, VG_ERR_LIMIT_SIZE, "%s: larger than max_item_mem (%zu bytes)",
                                 it->path, max);
            if (!(nb = realloc(*buf, ncap)))
                return vg_errorf(err, VG_ERR_NOMEM, "%s: out of memory loading", it->path);
            *buf = nb;
            *cap = ncap;
        }
        st = vg_item_read(it, *buf + *len, *cap - *len, &got, err);
        if (st)
            return st;
        if (got == 0)
            return VG_OK;
        *len += got;
    }
}

vg_status vg_item_load(vg_item *it, const uint8_t **data, size_t *len, vg_error *err)
{
    vgi_item_priv *p = it->priv;
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    size_t max = p->w->o.max_item_mem;
    vg_status st;
    if (!p->loaded) {
        if (it->type != VG_ITEM_REG || !p->ops)
            return vg_errorf(err, it->status ? it->status : VG_ERR_ARG, "%s: no readable bytes",
                             it->path);
        if (max && it->size > max)
            return vg_errorf(err, VG_ERR_LIMIT_SIZE, "%s: %llu bytes, larger than max_item_mem (%zu)",
                             it->path, (unsigned long long)it->size, max);
        if (vgi_item_seek(it, 0) != 0)
            return vg_errorf(err, VG_ERR_ARG, "%s: already streamed, cannot load", it->path);
        st = load_rest(it, &buf, &n, &cap, err);
        if (st) {
            free(buf);
            if (vgi_item_seek(it, 0) != 0 && !p->failed) {
                /* The stream is consumed: later reads would give a silent tail. */
                p->failed = 1;
                vgi_item_fail(it, st, "load failed and the source cannot rewind");
            }
            return st;
        }
        p->mem = buf;
        p->mem_len = n;
        p->loaded = 1;
    }
    p->pos = 0;
    *data = p->mem ? p->mem : (const uint8_t *)"";
    *len = p->mem_len;
    return VG_OK;
}

const char *vg_source_kind_name(vg_source_kind k)
{
    switch (k) {
    case VG_SRC_FILE: return "file";
    case VG_SRC_ARCHIVE: return "archive";
    case VG_SRC_DISK: return "disk";
    case VG_SRC_CARVED: return "carved";
    case VG_SRC_EMBEDDED: return "embedded";
    case VG_SRC_LAST: break;
    }
    return "unknown";
}

void vg_item_flags_str(uint32_t flags, char *out, size_t cap)
{
    static const char *const names[] = {"deleted",   "unalloc",   "carved",       "encrypted",
                                        "truncated", "container", "image-hash-ok"};
    size_t used = 0;
    if (cap == 0)
        return;
    out[0] = '\0';
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (flags & (1u << i)) {
            int n = snprintf(out + used, cap - used, "%s%s", used ? "|" : "", names[i]);
            if (n < 0 || (size_t)n >= cap - used)
                return;
            used += (size_t)n;
        }
    }
}
