/* evidence_int.h - what the evidence walker's files share: the walk state, the
 * private part of an item (its byte source), and the source openers. */
#ifndef VIGIL_EVIDENCE_INT_H
#define VIGIL_EVIDENCE_INT_H

#include <stdint.h>
#include <sys/types.h>

#include "vigil/evidence.h"

/* One walk: options, callback, counters shared by every archive in it. */
typedef struct vgi_walk {
    vg_evidence_opts o;
    vg_item_cb cb;
    void *ctx;
    int stopped;            /* the callback said STOP */
    uint64_t arc_bytes;     /* bytes decompressed from archives so far */
    uint64_t arc_entries;   /* archive entries so far */
    int arc_exhausted;      /* a walk-wide archive limit tripped: expand no more */
} vgi_walk;

/* A byte source behind an item: sequential read, optional positional seek. */
typedef struct vgi_src_ops {
    vg_status (*read)(void *src, void *buf, size_t cap, size_t *got, vg_error *err);
    int (*seek)(void *src, uint64_t off); /* NULL: cannot seek; returns 0 or -1 */
} vgi_src_ops;

#define VGI_HEAD 4096

struct vgi_item_priv {
    vgi_walk *w;
    const vgi_src_ops *ops; /* NULL: no bytes (not a regular file, unreadable) */
    void *src;
    uint64_t pos;           /* logical position of the next vg_item_read */
    uint64_t src_pos;       /* position of the source */
    size_t head_len;
    int head_done;          /* head filled (head_len may be < VGI_HEAD at EOF) */
    uint8_t *mem;           /* vg_item_load copy */
    size_t mem_len;
    int loaded;
    int failed;             /* a read failed: bytes unusable */
    char *path_buf;
    char *name_buf;
    char err_buf[512];
    const char *fs_path;    /* on-disk path of a tree file (disk images need it) */
    uint8_t head[VGI_HEAD]; /* the first bytes, kept for sniffing after a read;
                             * last, so that init need not clear it */
};

/* Sets up item and priv: kind, name (copied), path = parent path + sep + name,
 * depth from parent. sep is "/" inside one container, "!/" at a boundary.
 * Returns VG_ERR_NOMEM on failure. */
vg_status vgi_item_init(vg_item *it, vgi_item_priv *p, vgi_walk *w, const vg_item *parent,
                        vg_source_kind kind, const char *name, const char *sep);
/* Frees what vgi_item_init and reads allocated. */
void vgi_item_done(vg_item *it);
/* Marks it as an error item with a message (the path is prefixed). */
void vgi_item_fail(vg_item *it, vg_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Fills the head (first bytes) without losing them for later reads; *len may
 * be short. Returns NULL if the item has no readable bytes. */
const uint8_t *vgi_item_peek(vg_item *it, size_t *len);
/* Positions the next read at off; -1 if the source cannot go there. */
int vgi_item_seek(vg_item *it, uint64_t off);
/* Whether the bytes can be read again from 0 (nested containers need it). */
int vgi_item_rewindable(vg_item *it);

/* Hands it to the callback, then (CONTINUE, within depth) opens it as a
 * container. Returns the callback's answer. */
vg_walk_ret vgi_emit(vgi_walk *w, vg_item *it);
/* Emits an error item named name under parent, without bytes. */
vg_walk_ret vgi_emit_error(vgi_walk *w, const vg_item *parent, vg_source_kind kind,
                           const char *name, const char *sep, vg_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;

/* Emits a JPEG item's EXIF thumbnail as its child, if it has one. */
void vgi_exif_child(vgi_walk *w, vg_item *it);

/* Source openers; each emits the children of it. */
int vgi_archive_sniff(const uint8_t *h, size_t n); /* 0 no, 1 archive, 2 raw compressed */
void vgi_archive_walk(vgi_walk *w, vg_item *it, int kind);
int vgi_disk_sniff(vg_item *it, const uint8_t *h, size_t n);
void vgi_disk_walk(vgi_walk *w, vg_item *it);
vg_status vgi_tree_walk(vgi_walk *w, const char *root, vg_error *err);
vg_status vgi_file_item(vgi_walk *w, int dirfd, const char *fname, const char *rel,
                        const char *fs_path);

/* Random access to a region for the carver: pread returns bytes read (short at
 * the end), -1 on error. */
typedef struct vgi_bytes {
    long (*pread)(void *ctx, uint64_t off, uint8_t *buf, size_t len);
    void *ctx;
    uint64_t size;
    const uint8_t *win;  /* window of the region at win_off */
    uint64_t win_off;
    size_t win_len;
    uint8_t *own;        /* window storage (NULL when the region is one buffer) */
    size_t cap;
} vgi_bytes;

/* Windows over a region read through pread; -1 on NOMEM. Close frees them. */
int vgi_bytes_open(vgi_bytes *b, long (*pread)(void *, uint64_t, uint8_t *, size_t), void *ctx,
                   uint64_t size);
void vgi_bytes_close(vgi_bytes *b);
/* Carves [0, b->size) of a region; hits at region offsets. */
void vgi_carve_region(vgi_bytes *scan, vgi_bytes *parse, uint64_t max_size,
                      vg_carve_cb cb, void *ctx);
/* Parses one candidate at off; returns its length (0: not an object). */
uint64_t vgi_carve_parse(vgi_bytes *b, uint64_t off, uint64_t max, const char **type,
                         int *truncated);
/* Byte at off, -1 past the end. Pointer to up to *avail bytes at off (NULL past end). */
int vgi_byte(vgi_bytes *b, uint64_t off);
const uint8_t *vgi_span(vgi_bytes *b, uint64_t off, size_t *avail);
int vgi_get(vgi_bytes *b, uint64_t off, void *out, size_t n);

#endif
