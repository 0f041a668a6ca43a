/* thumb.h - small previews of pictures: made once during a scan and stored in
 * the case (colour, clear), and their blurred grey variants for showing to an
 * examiner who has not asked to see the picture.
 *
 * Integer arithmetic throughout: the same bytes and options always give the
 * same JPEG. */
#ifndef VIGIL_THUMB_H
#define VIGIL_THUMB_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/image.h"
#include "vigil/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The longest side of a preview, in pixels. */
#define VG_THUMB_SIDE 160

typedef struct vg_thumb_opts {
    unsigned side;           /* longest side; 0: VG_THUMB_SIDE. Never enlarges */
    int grey;                /* one grey channel (BT.601 luma) */
    int blur;                /* three box blurs of radius side/16: shapes stay,
                              * detail does not */
    int quality;             /* JPEG quality 1..100; 0: 75 */
    const vg_limits *limits; /* for decoding buf; NULL: defaults */
    int upright;             /* turn the preview as its EXIF orientation says,
                              * so the examiner sees what a viewer shows */
} vg_thumb_opts;

/* Decodes the picture in buf (any format vg_image_decode reads; a JPEG at
 * the DCT scale that keeps twice the preview's side), shrinks it by area
 * average and encodes it as a baseline JPEG. On VG_OK *jpeg is malloc'd
 * (caller frees); on error it is NULL and err says why: the decoder's status
 * (a limit, corrupt data), or VG_ERR_NOMEM / VG_ERR_INTERNAL. */
vg_status vg_thumb_make(const uint8_t *buf, size_t len, const vg_thumb_opts *o, uint8_t **jpeg,
                        size_t *jpeg_len, vg_error *err);

/* Encodes the preview a decode gathered (img->thumb, vg_decode_opts
 * thumb_side) with o's grey, blur and quality (side and limits unused).
 * VG_ERR_ARG when img holds no preview. */
vg_status vg_thumb_from_image(const vg_image *img, const vg_thumb_opts *o, uint8_t **jpeg,
                              size_t *jpeg_len, vg_error *err);

#ifdef __cplusplus
}
#endif
#endif
