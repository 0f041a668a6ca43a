/* exif_thumb.c - a JPEG's EXIF thumbnail as a child item: it can show the
 * picture as it was before the main image was edited or replaced. */
#include <stdlib.h>
#include <string.h>

#include "evidence_int.h"

#define HEAD_MAX (2u + 4u * 65538u) /* SOI and up to four segments before APP1 ends */
#define MAX_IFD_ENTRIES 1000

static uint32_t rd16(const uint8_t *p, int le)
{
    return le ? (uint32_t)p[0] | (uint32_t)p[1] << 8 : (uint32_t)p[0] << 8 | p[1];
}

static uint32_t rd32(const uint8_t *p, int le)
{
    return le ? rd16(p, 1) | rd16(p + 2, 1) << 16 : rd16(p, 0) << 16 | rd16(p + 2, 0);
}

/* In a TIFF block t of n bytes: IFD1's thumbnail offset and length. */
static int tiff_thumb(const uint8_t *t, size_t n, size_t *off, size_t *len)
{
    int le;
    uint32_t ifd, cnt, toff = 0, tlen = 0;
    if (n < 8 || !((t[0] == 'I' && t[1] == 'I') || (t[0] == 'M' && t[1] == 'M')))
        return 0;
    le = t[0] == 'I';
    if (rd16(t + 2, le) != 42 || (ifd = rd32(t + 4, le)) > n - 2)
        return 0;
    cnt = rd16(t + ifd, le);
    if (cnt > MAX_IFD_ENTRIES || (uint64_t)ifd + 2 + 12ull * cnt + 4 > n)
        return 0;
    ifd = rd32(t + ifd + 2 + 12 * cnt, le); /* IFD1 follows IFD0 */
    if (ifd == 0 || ifd > n - 2)
        return 0;
    cnt = rd16(t + ifd, le);
    if (cnt > MAX_IFD_ENTRIES || (uint64_t)ifd + 2 + 12ull * cnt > n)
        return 0;
    for (uint32_t i = 0; i < cnt; i++) {
        const uint8_t *e = t + ifd + 2 + 12 * i;
        uint32_t tag = rd16(e, le), v = rd16(e + 2, le) == 3 ? rd16(e + 8, le) : rd32(e + 8, le);
        if (tag == 0x0201)
            toff = v;
        else if (tag == 0x0202)
            tlen = v;
    }
    if (toff == 0 || tlen < 4 || toff > n || tlen > n - toff || t[toff] != 0xFF || t[toff + 1] != 0xD8)
        return 0;
    *off = toff;
    *len = tlen;
    return 1;
}

int vg_exif_thumbnail(const uint8_t *buf, size_t len, size_t *off, size_t *tlen)
{
    size_t pos = 2;
    if (!buf || len < 4 || buf[0] != 0xFF || buf[1] != 0xD8)
        return 0;
    /* Walk the segments before the first scan; APP1 "Exif" holds the TIFF block. */
    while (pos + 4 <= len && buf[pos] == 0xFF) {
        int m = buf[pos + 1];
        size_t seg = (size_t)buf[pos + 2] << 8 | buf[pos + 3];
        if (m == 0xDA || m == 0xD9 || seg < 2 || pos + 2 + seg > len)
            return 0;
        if (m == 0xE1 && seg >= 8 + 8 && !memcmp(buf + pos + 4, "Exif\0\0", 6) &&
            tiff_thumb(buf + pos + 10, seg - 8, off, tlen)) {
            *off += pos + 10;
            return 1;
        }
        pos += 2 + seg;
    }
    return 0;
}

/* ---- the child item reads from a copy of the thumbnail ---- */

typedef struct mem_src {
    const uint8_t *p;
    size_t len, pos;
} mem_src;

static vg_status mem_read(void *src, void *buf, size_t cap, size_t *got, vg_error *err)
{
    mem_src *m = src;
    size_t n = m->len - m->pos < cap ? m->len - m->pos : cap;
    (void)err;
    memcpy(buf, m->p + m->pos, n);
    m->pos += n;
    *got = n;
    return VG_OK;
}

static int mem_seek(void *src, uint64_t off)
{
    mem_src *m = src;
    if (off > m->len)
        return -1;
    m->pos = (size_t)off;
    return 0;
}

static const vgi_src_ops mem_ops = {mem_read, mem_seek};

/* The first bytes of it (up to HEAD_MAX) in a malloc'd buffer, or NULL. */
static uint8_t *read_front(vg_item *it, size_t *n)
{
    uint8_t *b;
    size_t got;
    *n = 0;
    if (!vgi_item_rewindable(it) || vgi_item_seek(it, 0) != 0 || !(b = malloc(HEAD_MAX)))
        return NULL;
    while (*n < HEAD_MAX && vg_item_read(it, b + *n, HEAD_MAX - *n, &got, NULL) == VG_OK && got)
        *n += got;
    vgi_item_seek(it, 0);
    return b;
}

void vgi_exif_child(vgi_walk *w, vg_item *it)
{
    size_t hn, n, off, tlen;
    const uint8_t *h;
    uint8_t *front;
    vg_item c;
    vgi_item_priv p;
    mem_src m;
    if (it->type != VG_ITEM_REG || it->status != VG_OK || it->depth + 1 > w->o.max_depth)
        return;
    if (!(h = vgi_item_peek(it, &hn)) || hn < 4 || h[0] != 0xFF || h[1] != 0xD8 || h[2] != 0xFF)
        return;
    if (it->priv->loaded) { /* the callback loaded it: look in that copy */
        n = it->priv->mem_len;
        front = NULL;
    } else if (!(front = read_front(it, &n))) {
        return;
    }
    if (vg_exif_thumbnail(front ? front : it->priv->mem, n, &off, &tlen) &&
        vgi_item_init(&c, &p, w, it, VG_SRC_EMBEDDED, "$ExifThumbnail.jpg", "!/") == VG_OK) {
        m.p = (front ? front : it->priv->mem) + off;
        m.len = tlen;
        m.pos = 0;
        p.ops = &mem_ops;
        p.src = &m;
        c.size = tlen;
        c.vol_offset = it->vol_offset;
        /* Only a carved parent is contiguous in the image. */
        c.offset = (it->flags & VG_ITEM_CARVED) && it->offset >= 0 ? it->offset + (int64_t)off : -1;
        c.mtime = it->mtime, c.atime = it->atime, c.ctime = it->ctime, c.crtime = it->crtime;
        vgi_emit(w, &c);
        vgi_item_done(&c);
    }
    free(front);
}
