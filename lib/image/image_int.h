/* image_int.h - what lib/image's decoders share: the decode context and the
 * row sink that turns decoded rows into a vg_image (channel conversion, PDQ
 * nearest-neighbour pre-shrink, pixel limit), so that each format file does
 * only its own parsing. */
#ifndef VIGIL_IMAGE_INT_H
#define VIGIL_IMAGE_INT_H

#include "vigil/image.h"

typedef struct vgi_ctx {
    const vg_decode_opts *opts; /* never NULL inside lib/image */
    vg_limits limits;           /* resolved: opts->limits or the defaults */
    double deadline;            /* vg_now() value after which to give up; 0 = none */
} vgi_ctx;

/* VG_ERR_LIMIT_TIME with a message once the deadline has passed, else VG_OK.
 * Decoders call it once per row or block. */
vg_status vgi_check_deadline(const vgi_ctx *ctx, vg_error *err);

/* VG_ERR_LIMIT_PIXELS (or VG_ERR_CORRUPT for a zero side) before any
 * allocation, so that a header claiming 100000x100000 costs nothing. */
vg_status vgi_check_dims(const vgi_ctx *ctx, uint64_t w, uint64_t h, const char *fmt,
                         vg_error *err);

/* Assembles output rows. Source rows arrive in any order, each at most once;
 * rows the output does not need may be skipped (vgi_sink_wants_row). */
typedef struct vgi_sink {
    vg_image *img;
    uint32_t src_w, src_h;
    int shrink; /* output is side x side, nearest neighbour */
    uint32_t *xmap; /* output column -> source column, when shrinking */
    /* the preview being gathered (opts->thumb_side), see sink_thumb.c */
    uint32_t tw, th, tstep;
    uint32_t *tsum, *tcount; /* tw * th * 3 sums, tw * th sample counts */
    int tgrey;               /* some rows came grey */
} vgi_sink;

/* Sets img->width/height (when still 0) and allocates the output pixels
 * (img->channels: 1 if opts->grey else 3). src_w x src_h are the dimensions of
 * the rows the decoder will deliver (after any DCT scaling). */
vg_status vgi_sink_init(vgi_sink *s, const vgi_ctx *ctx, vg_image *img, uint32_t src_w,
                        uint32_t src_h, vg_error *err);

/* The preview's part of the sink (sink_thumb.c): start, add a source row,
 * and finish into img->thumb (or free when not every pixel was reached). */
vg_status vgi_thumb_start(vgi_sink *s, uint32_t side, vg_error *err);
void vgi_thumb_row(vgi_sink *s, uint32_t y, const uint8_t *row, int in_channels);
void vgi_thumb_finish(vgi_sink *s);

/* Whether source row y feeds any output row. */
int vgi_sink_wants_row(const vgi_sink *s, uint32_t y);

/* Delivers source row y of src_w pixels with in_channels interleaved 8-bit
 * samples: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA (alpha dropped). */
void vgi_sink_put_row(vgi_sink *s, uint32_t y, const uint8_t *row, int in_channels);

void vgi_sink_done(vgi_sink *s);

/* Format decoders, each in its own file. They fill type, width, height,
 * frames, has_alpha, bit_depth (and orientation where the format carries
 * EXIF), then pixels through a vgi_sink unless opts->header_only. */
vg_status vgi_jpeg_decode(const uint8_t *buf, size_t len, const vgi_ctx *ctx, vg_image *img,
                          vg_error *err);
vg_status vgi_png_decode(const uint8_t *buf, size_t len, const vgi_ctx *ctx, vg_image *img,
                         vg_error *err);
vg_status vgi_gif_decode(const uint8_t *buf, size_t len, const vgi_ctx *ctx, vg_image *img,
                         vg_error *err);
vg_status vgi_webp_decode(const uint8_t *buf, size_t len, const vgi_ctx *ctx, vg_image *img,
                          vg_error *err);
vg_status vgi_bmp_decode(const uint8_t *buf, size_t len, const vgi_ctx *ctx, vg_image *img,
                         vg_error *err);
vg_status vgi_tiff_decode(const uint8_t *buf, size_t len, const vgi_ctx *ctx, vg_image *img,
                          vg_error *err);
vg_status vgi_heif_decode(const uint8_t *buf, size_t len, const vgi_ctx *ctx, vg_image *img,
                          vg_error *err);

/* EXIF orientation (1..8) from a TIFF-structured EXIF block (the bytes after
 * "Exif\0\0" in a JPEG APP1, or a HEIF/WebP/PNG eXIf payload); 0 when absent
 * or unreadable. Never reads outside [buf, buf+len). */
int vgi_exif_orientation(const uint8_t *buf, size_t len);

/* The data of the first PNG chunk of the given type (walking chunk headers
 * only, stopping at IEND or at a chunk that does not fit); NULL if none. */
const uint8_t *vgi_png_chunk(const uint8_t *buf, size_t len, const char type[4], size_t *n);

/* The Exif item of a HEIF/AVIF file's primary image, parsed into *out
 * (vg_exif_read's contract: VG_ERR_NOTFOUND when there is none). */
struct vg_exif;
vg_status vgi_heif_exif(const uint8_t *buf, size_t len, struct vg_exif *out, vg_error *err);

#endif
