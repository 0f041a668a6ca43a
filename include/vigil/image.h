/* image.h - identifying and decoding images from hostile bytes.
 *
 * Every decoder works on a buffer in memory (the caller read the file once, for
 * the digests too) and honours vg_limits: a file over a limit, or one that fails
 * to decode, yields a vg_status and a message naming the reason; the process
 * never aborts, hangs or runs out of memory on one file.
 *
 * Decoded pixels are 8-bit, interleaved, top row first: 3 channels (RGB) or 1
 * (grey; a grey JPEG comes out grey even without opts.grey, because that is
 * what PDQ's reference hashes). Alpha is dropped (has_alpha tells it was there) and 16-bit samples are
 * reduced to 8, so that every consumer (PDQ, steganalysis, thumbnails) sees one
 * layout. EXIF orientation is reported, never applied: PDQ as the reference
 * defines it hashes the stored pixels.
 */
#ifndef VIGIL_IMAGE_H
#define VIGIL_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vg_image_type {
    VG_IMAGE_UNKNOWN = 0,
    VG_IMAGE_JPEG,
    VG_IMAGE_PNG,
    VG_IMAGE_GIF,
    VG_IMAGE_WEBP,
    VG_IMAGE_BMP,
    VG_IMAGE_TIFF,
    VG_IMAGE_HEIF,
    VG_IMAGE_AVIF,
    VG_IMAGE_TYPE_LAST /* not a type */
} vg_image_type;

/* Limits for hostile input. Zero in a field means "no limit". */
typedef struct vg_limits {
    uint64_t max_pixels;     /* width * height; default 200,000,000 */
    uint64_t max_file_bytes; /* largest file decoded in memory; default 1 GiB */
    double max_seconds;      /* wall time per item; default 60 */
} vg_limits;

/* Fills l with the defaults above. */
void vg_limits_default(vg_limits *l);

/* How to decode. Zero-initialised options mean: full size, RGB, default limits. */
typedef struct vg_decode_opts {
    const vg_limits *limits; /* NULL: defaults */
    /* PDQ pre-shrink: when either side exceeds pdq_side (the reference uses
     * 512), the output is exactly pdq_side x pdq_side, sampled by nearest
     * neighbour with source index floor(x * W / pdq_side), as the PDQ reference
     * does; decoders may skip unneeded rows. 0 = keep full size. */
    uint32_t pdq_side;
    /* JPEG only: DCT-domain scaling by 1/scale_denom (1, 2, 4, 8); 0 = 1.
     * With pdq_side set it is a ceiling: the decoder takes the largest
     * denominator that keeps both sides >= pdq_side. */
    int scale_denom;
    /* Output one grey channel (for JPEG: the Y plane, skipping colour conversion). */
    int grey;
    /* Stop after the header: fill width, height, frames, orientation, no pixels. */
    int header_only;
    /* Also gather a preview of at most thumb_side pixels on the long side
     * (aspect kept) from the rows as they are decoded, so that a preview costs
     * no second decode: an average over a sample of the decoded pixels, at
     * least a few per preview pixel. Filled only when every preview pixel was
     * reached; colour only when the rows came in colour. 0 = none. */
    uint32_t thumb_side;
} vg_decode_opts;

typedef struct vg_image {
    vg_image_type type;
    uint32_t width, height; /* of the stored image (first frame / page) */
    uint32_t frames;        /* frames or pages; 1 for still images */
    int orientation;        /* EXIF orientation 1..8, 0 when absent */
    int has_alpha;          /* the stored image had an alpha channel */
    int bit_depth;          /* bits per sample as stored (8, 16, 1...) */
    /* Decoded pixels (NULL with header_only). */
    uint32_t pix_width, pix_height; /* may differ from width/height (shrink, scale) */
    int channels;                   /* 3 (RGB) or 1 (grey) */
    size_t stride;                  /* bytes per row */
    uint8_t *pixels;                /* owned; freed by vg_image_free */
    /* The preview asked for by thumb_side, or NULL. */
    uint32_t thumb_w, thumb_h;
    int thumb_channels;             /* 3, or 1 when the rows were grey */
    uint8_t *thumb;                 /* owned; freed by vg_image_free */
} vg_image;

/* Type by content (magic bytes), never by name. VG_IMAGE_UNKNOWN if none. */
vg_image_type vg_image_identify(const uint8_t *buf, size_t len);

/* "jpeg", "png", "gif", "webp", "bmp", "tiff", "heif", "avif"; "unknown". */
const char *vg_image_type_name(vg_image_type t);

/* Decodes buf into *out (which the call initialises). On error *out holds no
 * pixels, keeps what the header told (type, width, height, frames...) and err
 * says why: VG_ERR_FORMAT (not an image we know),
 * VG_ERR_TRUNCATED, VG_ERR_CORRUPT, VG_ERR_LIMIT_PIXELS, VG_ERR_LIMIT_SIZE,
 * VG_ERR_LIMIT_TIME, VG_ERR_UNSUPPORTED, VG_ERR_NOMEM. Thread-safe. */
vg_status vg_image_decode(const uint8_t *buf, size_t len, const vg_decode_opts *opts,
                          vg_image *out, vg_error *err);

/* Frees the pixels of img and zeroes it. Safe on a zeroed or freed image. */
void vg_image_free(vg_image *img);

#ifdef __cplusplus
}
#endif
#endif
