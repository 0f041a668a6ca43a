/* decode.c - vg_image_decode: limits, identification, dispatch to a format. */
#include <stdlib.h>
#include <string.h>

#include "image_int.h"
#include "vigil/util.h"

void vg_limits_default(vg_limits *l)
{
    l->max_pixels = 200000000ULL;
    l->max_file_bytes = 1ULL << 30;
    l->max_seconds = 60.0;
}

const char *vg_image_type_name(vg_image_type t)
{
    static const char *const names[VG_IMAGE_TYPE_LAST] = {
        "unknown", "jpeg", "png", "gif", "webp", "bmp", "tiff", "heif", "avif"};
    return (unsigned)t < VG_IMAGE_TYPE_LAST ? names[t] : "unknown";
}

void vg_image_free(vg_image *img)
{
    if (!img)
        return;
    free(img->pixels);
    free(img->thumb);
    memset(img, 0, sizeof *img);
}

vg_status vg_image_decode(const uint8_t *buf, size_t len, const vg_decode_opts *opts,
                          vg_image *out, vg_error *err)
{
    static const vg_decode_opts defaults;
    vgi_ctx ctx;
    vg_status st;

    memset(out, 0, sizeof *out);
    ctx.opts = opts ? opts : &defaults;
    if (ctx.opts->limits)
        ctx.limits = *ctx.opts->limits;
    else
        vg_limits_default(&ctx.limits);
    ctx.deadline = ctx.limits.max_seconds > 0 ? vg_now() + ctx.limits.max_seconds : 0;

    if (!buf || len == 0)
        return vg_errorf(err, VG_ERR_EMPTY, "empty file");
    if (ctx.limits.max_file_bytes && len > ctx.limits.max_file_bytes)
        return vg_errorf(err, VG_ERR_LIMIT_SIZE, "file of %zu bytes exceeds the limit of %llu",
                         len, (unsigned long long)ctx.limits.max_file_bytes);

    out->type = vg_image_identify(buf, len);
    switch (out->type) {
    case VG_IMAGE_JPEG: st = vgi_jpeg_decode(buf, len, &ctx, out, err); break;
    case VG_IMAGE_PNG: st = vgi_png_decode(buf, len, &ctx, out, err); break;
    case VG_IMAGE_GIF: st = vgi_gif_decode(buf, len, &ctx, out, err); break;
    case VG_IMAGE_WEBP: st = vgi_webp_decode(buf, len, &ctx, out, err); break;
    case VG_IMAGE_BMP: st = vgi_bmp_decode(buf, len, &ctx, out, err); break;
    case VG_IMAGE_TIFF: st = vgi_tiff_decode(buf, len, &ctx, out, err); break;
    case VG_IMAGE_HEIF:
    case VG_IMAGE_AVIF: st = vgi_heif_decode(buf, len, &ctx, out, err); break;
    default: return vg_errorf(err, VG_ERR_FORMAT, "not an image format vigil knows");
    }
    if (st != VG_OK) {
        /* Callers report what the header told even when decoding failed
         * ("PNG, 100000x100000, over the pixel limit"): keep it, drop pixels. */
        vg_image hdr = *out;
        vg_image_free(out);
        out->type = hdr.type;
        out->width = hdr.width;
        out->height = hdr.height;
        out->frames = hdr.frames;
        out->orientation = hdr.orientation;
        out->has_alpha = hdr.has_alpha;
        out->bit_depth = hdr.bit_depth;
    }
    return st;
}
