/* evidence.h - sources of items: directory trees, archives, disk images, carving.
 *
 * vg_evidence_walk() turns one evidence path into a stream of items, one at a
 * time, handed to a callback: the files of a directory tree, the entries of
 * archives (nested), the allocated and deleted files of the file systems in a
 * disk image (raw, split raw, E01), and pictures carved from unallocated space.
 * Memory stays bounded whatever the evidence size: an item's bytes are read on
 * demand, either whole into memory (vg_item_load, up to max_item_mem) or in a
 * streaming pass (vg_item_read).
 *
 * Evidence is never modified and nothing is written beside it: files are opened
 * O_RDONLY|O_NOFOLLOW (O_NOATIME where permitted), symbolic links are recorded
 * and never followed, devices/FIFOs/sockets are recorded and never read, and
 * names found inside archives or file systems ("../../etc/x", "/abs") are
 * recorded as given and never used to open anything.
 *
 * Problems with one item (permission denied, corrupt archive, zip bomb, a
 * deleted file TSK cannot read) do not end the walk: they arrive at the callback
 * as an item whose status is not VG_OK and whose message names the item and the
 * reason; the walk then goes on with the next item.
 *
 * Order is deterministic: directory entries sorted bytewise by name, archive
 * entries in stored order, file system entries in TSK's walk order, carved items
 * by offset. Two walks of the same evidence yield the same items in the same order.
 */
#ifndef VIGIL_EVIDENCE_H
#define VIGIL_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where an item was found. */
typedef enum vg_source_kind {
    VG_SRC_FILE = 0, /* a file of a directory tree, or the evidence path itself */
    VG_SRC_ARCHIVE,  /* an entry of an archive (zip, 7z, rar, tar, gz, bz2, xz) */
    VG_SRC_DISK,     /* a file of a file system inside a disk image */
    VG_SRC_CARVED,   /* bytes carved from unallocated space (or an unreadable image) */
    VG_SRC_EMBEDDED, /* an object inside a file: a JPEG's EXIF thumbnail */
    VG_SRC_LAST      /* not a kind */
} vg_source_kind;

/* What an item is. Only VG_ITEM_REG items have bytes to read. */
typedef enum vg_item_type {
    VG_ITEM_REG = 0,  /* regular file, archive entry, carved object */
    VG_ITEM_DIR,      /* a directory: yielded only when it carries an error */
    VG_ITEM_SYMLINK,  /* recorded, never followed */
    VG_ITEM_SPECIAL,  /* device, FIFO, socket: recorded, never read */
    VG_ITEM_TYPE_LAST /* not a type */
} vg_item_type;

/* Item flags (bit set). */
enum {
    VG_ITEM_DELETED = 1u << 0,     /* name or metadata unallocated in its file system */
    VG_ITEM_UNALLOC = 1u << 1,     /* bytes come from unallocated space */
    VG_ITEM_CARVED = 1u << 2,      /* found by carving, not by a file system entry */
    VG_ITEM_ENCRYPTED = 1u << 3,   /* content encrypted: bytes not readable */
    VG_ITEM_TRUNCATED = 1u << 4,   /* bytes end before the object's structure does */
    VG_ITEM_CONTAINER = 1u << 5,   /* an archive or disk image: children follow unless SKIP */
    VG_ITEM_IMAGE_HASH_OK = 1u << 6 /* E01 whose stored MD5 was verified (verify_image) */
};

/* Unknown timestamp. */
#define VG_TIME_UNKNOWN INT64_MIN

typedef struct vgi_item_priv vgi_item_priv; /* private to lib/evidence */

/* One item. Owned by the walker and valid only during the callback that
 * receives it (copy what you need to keep); so are parent and its strings. */
typedef struct vg_item {
    const struct vg_item *parent; /* container this came from; NULL at the top */
    vg_source_kind kind;
    vg_item_type type;
    uint32_t flags;          /* VG_ITEM_* */
    unsigned depth;          /* 0 for the evidence path and files of a tree;
                              * +1 for each container (archive, disk image,
                              * JPEG holding a thumbnail) around it */
    const char *name;        /* path inside the parent as stored: archive entry
                              * name, file system path ("p1/DCIM/x.jpg" inside a
                              * volume system), or for a tree the path relative
                              * to the evidence root; never NULL */
    const char *path;        /* printable chain: the file's path on disk (the
                              * evidence path, or root/relative for a tree), then
                              * each container boundary as "!/":
                              * "disk.E01!/p1/DCIM/a.zip!/b.zip!/c.jpg";
                              * carved: "disk.img!/p1/$Carved/000001101824.jpeg"
                              * (12-digit image offset); thumbnails:
                              * "...c.jpg!/$ExifThumbnail.jpg". An error item
                              * about a container itself has the container's
                              * path and name. */
    uint64_t size;           /* bytes, as the source states it (carved: carve length) */
    int64_t offset;          /* byte offset of the first byte in the outermost
                              * image (carved items; disk files: first data run),
                              * -1 when unknown or not meaningful */
    int64_t vol_offset;      /* byte offset of the file system in the image, -1 if none */
    uint64_t meta_addr;      /* inode / MFT entry / TSK meta address; 0 if none */
    int64_t mtime, atime, ctime, crtime; /* seconds since 1970 UTC, VG_TIME_UNKNOWN */
    const char *carve_type;  /* "jpeg", "png", "gif", "bmp", "webp" for carved items, else NULL */
    const char *link_target; /* symlink target as stored, or NULL */
    vg_status status;        /* VG_OK, or why this item is reported as an error */
    const char *error;       /* message naming the item and the reason; "" when OK */
    vgi_item_priv *priv;
} vg_item;

/* What the callback tells the walker. */
typedef enum vg_walk_ret {
    VG_WALK_CONTINUE = 0, /* go on; descend into this item if it is a container */
    VG_WALK_SKIP,         /* go on, but do not descend into this item */
    VG_WALK_STOP          /* end the walk now; vg_evidence_walk returns VG_OK */
} vg_walk_ret;

typedef vg_walk_ret (*vg_item_cb)(vg_item *item, void *ctx);

/* Walk options. Start from vg_evidence_opts_default(); 0 in a limit = no limit. */
typedef struct vg_evidence_opts {
    unsigned max_depth;       /* container nesting (archive in archive...); default 5 */
    uint64_t max_ratio;       /* archive output bytes / input bytes consumed; default 200
                               * (enforced once an archive has produced 1 MiB) */
    uint64_t max_total_bytes; /* bytes decompressed from archives in one walk; default 64 GiB */
    uint64_t max_entries;     /* archive entries in one walk; default 1,000,000 */
    size_t max_item_mem;      /* largest item vg_item_load holds; default 64 MiB */
    uint64_t max_carve_size;  /* largest carved object; default 64 MiB */
    int archives;             /* descend into archives; default 1 */
    int disk_images;          /* open disk images (raw by name/.E01 by magic); default 1 */
    int carve;                /* carve unallocated space of disk images; default 1 */
    int verify_image;         /* verify an E01's stored MD5 before walking it; default 0 */
    int exif_thumbnails;      /* a JPEG's EXIF thumbnail follows it as a child item
                               * "<jpeg path>!/$ExifThumbnail.jpg"; default 1 */
} vg_evidence_opts;

/* Fills o with the defaults above. */
void vg_evidence_opts_default(vg_evidence_opts *o);

/* Walks the evidence at path: a directory, or a file. A file is opened as an
 * archive when its first bytes are those of zip, 7z, rar, tar, cab, gzip, bzip2,
 * xz or zstd; as a disk image when it is an EWF (E01) image, or TSK finds a
 * volume system or file system in it and it is the evidence path itself or is
 * named *.dd, *.raw, *.img, *.001, *.iso (the evidence path named so is walked
 * and carved even when TSK finds nothing); otherwise it is one plain item.
 * opts NULL means defaults. Returns VG_OK when the walk ran to the end or the
 * callback said STOP, even if some items carried errors; an error (and err
 * filled) only when path itself cannot be examined at all (it does not exist,
 * lstat fails, bad options). */
vg_status vg_evidence_walk(const char *path, const vg_evidence_opts *opts,
                           vg_item_cb cb, void *ctx, vg_error *err);

/* Reads the next up to cap bytes of a VG_ITEM_REG item into buf: a streaming
 * pass from the first byte (after vg_item_load, the pass restarts over the
 * loaded copy). *got = 0 at the end. On error returns the code and fills err;
 * the item's bytes are then unusable. Only from inside the callback. */
vg_status vg_item_read(vg_item *item, void *buf, size_t cap, size_t *got, vg_error *err);

/* Loads the whole item into memory: *data points to *len bytes owned by the
 * walker, valid until the callback returns. VG_ERR_LIMIT_SIZE if the item is
 * larger than max_item_mem; VG_ERR_ARG if the item is not VG_ITEM_REG, or a
 * streaming pass over an archive entry already consumed bytes. */
vg_status vg_item_load(vg_item *item, const uint8_t **data, size_t *len, vg_error *err);

/* Printable names of kinds and flags ("disk", "deleted|carved"), for reports. */
const char *vg_source_kind_name(vg_source_kind k);
/* Writes the names of the set flags joined by '|' into out (NUL-terminated). */
void vg_item_flags_str(uint32_t flags, char *out, size_t cap);

/* ---- carving, usable on any buffer (the walker uses it on unallocated space) ---- */

typedef struct vg_carve_hit {
    const char *type;   /* "jpeg", "png", "gif", "bmp", "webp" */
    uint64_t offset;    /* of the first byte, from the start of the buffer */
    uint64_t length;    /* to the object's true end (parsed, not magic-to-footer) */
    int truncated;      /* structure broken before its end: length covers the valid part */
} vg_carve_hit;

/* Called for each object found, in offset order; return nonzero to stop. */
typedef int (*vg_carve_cb)(const vg_carve_hit *hit, void *ctx);

/* Finds JPEG, PNG, GIF, BMP and WebP objects in buf by parsing each candidate
 * to its end: JPEG markers (an APP1 EXIF thumbnail does not end the carve),
 * PNG chunks with CRCs, GIF blocks, BMP header sizes, WebP RIFF chunks. Objects
 * do not overlap: the search resumes after each object found. max_size bounds
 * one object (0: no bound). Never reads outside buf. */
void vg_carve_mem(const uint8_t *buf, size_t len, uint64_t max_size, vg_carve_cb cb, void *ctx);

/* Finds the EXIF thumbnail (IFD1 JPEGInterchangeFormat) inside the APP1
 * segment of a JPEG's first bytes. Returns 1 and sets *off, *len (a JPEG that
 * starts FF D8 and lies within the APP1 segment and buf) if there is one, else
 * 0. Reads nothing outside buf; IFD counts and offsets are bounded. */
int vg_exif_thumbnail(const uint8_t *buf, size_t len, size_t *off, size_t *tlen);

/* ---- E01 ---- */

/* Computes the MD5 of the media in an EWF image (path: its first segment; the
 * others are found by name) and compares it with the stored MD5. Returns VG_OK
 * when they match; VG_ERR_CORRUPT (message with both values) when they differ;
 * VG_ERR_NOTFOUND when no MD5 is stored; VG_ERR_OPEN/IO on failure. md5_hex
 * (33 bytes, may be NULL) receives the computed value. */
vg_status vg_ewf_verify(const char *path, char md5_hex[33], vg_error *err);

#ifdef __cplusplus
}
#endif
#endif
