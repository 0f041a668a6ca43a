/* sink.c - the row sink shared by all decoders: channel conversion and the
 * PDQ reference's 512x512 nearest-neighbour pre-shrink.
 *
 * The pre-shrink reproduces CImg's resize() with interpolation "none" as the
 * PDQ reference calls it: output pixel (x, y) takes source pixel
 * (floor(x * W / side), floor(y * H / side)), aspect ratio discarded. Doing it
 * row by row means a 12-megapixel JPEG never needs its full RGB buffer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image_int.h"
#include "vigil/util.h"

vg_status vgi_check_deadline(const vgi_ctx *ctx, vg_error *err)
{
    if (ctx->deadline > 0 && vg_now() > ctx->deadline)
        return vg_errorf(err, VG_ERR_LIMIT_TIME, "decoding took longer than %.1f s",
                         ctx->limits.max_seconds);
    return VG_OK;
}

vg_status vgi_check_dims(const vgi_ctx *ctx, uint64_t w, uint64_t h, const char *fmt,
                         vg_error *err)
{
    if (w == 0 || h == 0)
        return vg_errorf(err, VG_ERR_CORRUPT, "%s header gives a zero side (%llux%llu)", fmt,
                         (unsigned long long)w, (unsigned long long)h);
    if (ctx->limits.max_pixels && w * h > ctx->limits.max_pixels)
        return vg_errorf(err, VG_ERR_LIMIT_PIXELS,
                         "%s of %llux%llu pixels exceeds the limit of %llu pixels", fmt,
                         (unsigned long long)w, (unsigned long long)h,
                         (unsigned long long)ctx->limits.max_pixels);
    return VG_OK;
}

static uint32_t src_index(uint32_t out, uint32_t src_dim, uint32_t side)
{
    return (uint32_t)(((uint64_t)out * src_dim) / side);
}

vg_status vgi_sink_init(vgi_sink *s, const vgi_ctx *ctx, vg_image *img, uint32_t src_w,
                        uint32_t src_h, vg_error *err)
{
    uint32_t side = ctx->opts->pdq_side;
    uint32_t ow = src_w, oh = src_h;
    size_t bytes;

    memset(s, 0, sizeof *s);
    s->img = img;
    s->src_w = src_w;
    s->src_h = src_h;
    if (img->width == 0) {
        img->width = src_w;
        img->height = src_h;
    }
    if (side && (src_w > side || src_h > side)) {
        s->shrink = 1;
        ow = oh = side;
        s->xmap = malloc(sizeof *s->xmap * side);
        if (!s->xmap)
            return vg_errorf(err, VG_ERR_NOMEM, "no memory for a %u-column map", side);
        for (uint32_t x = 0; x < side; x++)
            s->xmap[x] = src_index(x, src_w, side);
    }
    img->channels = ctx->opts->grey ? 1 : 3;
    img->pix_width = ow;
    img->pix_height = oh;
    img->stride = (size_t)ow * (size_t)img->channels;
    /* with max_pixels = 0 nothing else bounds the product */
    if (oh && img->stride > SIZE_MAX / oh) {
        vgi_sink_done(s);
        return vg_errorf(err, VG_ERR_NOMEM, "no memory for %ux%u pixels", ow, oh);
    }
    bytes = img->stride * oh;
    img->pixels = calloc(1, bytes ? bytes : 1);
    if (!img->pixels) {
        vgi_sink_done(s);
        return vg_errorf(err, VG_ERR_NOMEM, "no memory for %ux%u pixels", ow, oh);
    }
    if (ctx->opts->thumb_side && vgi_thumb_start(s, ctx->opts->thumb_side, err) != VG_OK) {
        vgi_sink_done(s);
        return VG_ERR_NOMEM;
    }
    return VG_OK;
}

int vgi_sink_wants_row(const vgi_sink *s, uint32_t y)
{
    uint32_t side, lo;

    if (!s->shrink)
        return 1;
    side = s->img->pix_height;
    /* smallest output row mapping to source row y or later */
    lo = (uint32_t)(((uint64_t)y * side + s->src_h - 1) / s->src_h);
    return lo < side && src_index(lo, s->src_h, side) == y;
}

/* One pixel of any input layout into out (1 or 3 channels). Grey from colour
 * uses the BT.601 weights PDQ uses, rounded. */
static void convert_px(const uint8_t *p, int in_ch, uint8_t *out, int out_ch)
{
    if (out_ch == 3) {
        if (in_ch <= 2) {
            out[0] = out[1] = out[2] = p[0];
        } else {
            out[0] = p[0];
            out[1] = p[1];
            out[2] = p[2];
        }
    } else {
        if (in_ch <= 2)
            out[0] = p[0];
        else
            out[0] = (uint8_t)((299 * p[0] + 587 * p[1] + 114 * p[2] + 500) / 1000);
    }
}

void vgi_sink_put_row(vgi_sink *s, uint32_t y, const uint8_t *row, int in_channels)
{
    vg_image *img = s->img;
    int oc = img->channels;

    if (y >= s->src_h)
        return;
    if (s->tsum)
        vgi_thumb_row(s, y, row, in_channels);
    if (!s->shrink) {
        uint8_t *dst = img->pixels + (size_t)y * img->stride;
        if (in_channels == oc) {
            memcpy(dst, row, img->stride);
            return;
        }
        for (uint32_t x = 0; x < s->src_w; x++)
            convert_px(row + (size_t)x * in_channels, in_channels, dst + (size_t)x * oc, oc);
        return;
    }
    uint32_t side = img->pix_height;
    uint32_t lo = (uint32_t)(((uint64_t)y * side + s->src_h - 1) / s->src_h);
    uint8_t *first = NULL;
    for (uint32_t oy = lo; oy < side && src_index(oy, s->src_h, side) == y; oy++) {
        uint8_t *dst = img->pixels + (size_t)oy * img->stride;
        if (first) {
            memcpy(dst, first, img->stride);
            continue;
        }
        for (uint32_t x = 0; x < side; x++)
            convert_px(row + (size_t)s->xmap[x] * in_channels, in_channels,
                       dst + (size_t)x * oc, oc);
        first = dst;
    }
}

void vgi_sink_done(vgi_sink *s)
{
    free(s->xmap);
    s->xmap = NULL;
    vgi_thumb_finish(s);
}
