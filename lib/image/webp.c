/* webp.c - WebP through libwebp: lossy, lossless, alpha, and the first frame
 * of an animation.
 *
 * Still images go through the incremental decoder, fed the buffer in slices,
 * so that the deadline is checked between slices and a file that ends early
 * is told apart (VP8_STATUS_SUSPENDED at the end of the data) from a bad
 * bitstream. Animations go through WebPAnimDecoder, which composites the
 * first frame onto the canvas (transparent, so black once alpha is dropped);
 * it needs the complete file. The demuxer, run on partial data, gives the
 * frame count and the EXIF chunk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <webp/decode.h>
#include <webp/demux.h>

#include "image_int.h"

#define WEBP_SLICE (256u << 10)

static vg_status webp_status(VP8StatusCode c, const char *where, vg_error *err)
{
    switch (c) {
    case VP8_STATUS_OK: return VG_OK;
    case VP8_STATUS_OUT_OF_MEMORY:
        return vg_errorf(err, VG_ERR_NOMEM, "WebP: out of memory %s", where);
    case VP8_STATUS_UNSUPPORTED_FEATURE:
        return vg_errorf(err, VG_ERR_UNSUPPORTED, "WebP: unsupported feature %s", where);
    case VP8_STATUS_SUSPENDED:
    case VP8_STATUS_NOT_ENOUGH_DATA:
        return vg_errorf(err, VG_ERR_TRUNCATED, "WebP: file ends early %s", where);
    default: return vg_errorf(err, VG_ERR_CORRUPT, "WebP: bad bitstream %s", where);
    }
}

/* Frame count and EXIF orientation from the container; tolerates a cut. */
static void read_container(const uint8_t *buf, size_t len, vg_image *img)
{
    WebPData data = {buf, len};
    WebPDemuxState state;
    WebPDemuxer *dmx = WebPDemuxPartial(&data, &state);
    WebPChunkIterator it;

    img->frames = 1;
    if (!dmx)
        return;
    if (WebPDemuxGetI(dmx, WEBP_FF_FRAME_COUNT) > 1)
        img->frames = WebPDemuxGetI(dmx, WEBP_FF_FRAME_COUNT);
    if (WebPDemuxGetChunk(dmx, "EXIF", 1, &it)) {
        img->orientation = vgi_exif_orientation(it.chunk.bytes, it.chunk.size);
        WebPDemuxReleaseChunkIterator(&it);
    }
    WebPDemuxDelete(dmx);
}

static void put_rows(vgi_sink *sink, const uint8_t *px, size_t stride, uint32_t h, int ch)
{
    for (uint32_t y = 0; y < h; y++)
        if (vgi_sink_wants_row(sink, y))
            vgi_sink_put_row(sink, y, px + stride * y, ch);
}

static vg_status feed(WebPIDecoder *idec, const uint8_t *buf, size_t len, const vgi_ctx *ctx,
                      vg_error *err)
{
    size_t n = 0;
    VP8StatusCode c = VP8_STATUS_SUSPENDED;
    vg_status st;
    char where[64];

    while (c == VP8_STATUS_SUSPENDED && n < len) {
        if ((st = vgi_check_deadline(ctx, err)) != VG_OK)
            return st;
        n = len - n > WEBP_SLICE ? n + WEBP_SLICE : len;
        c = WebPIUpdate(idec, buf, n);
    }
    snprintf(where, sizeof where, "(decoding, %zu bytes read)", n);
    return webp_status(c, where, err);
}

static vg_status decode_still(const uint8_t *buf, size_t len, const vgi_ctx *ctx,
                              vg_image *img, vg_error *err)
{
    WebPDecBuffer out;
    WebPIDecoder *idec;
    vgi_sink sink;
    int last_y = 0, w = 0, h = 0, stride = 0;
    const uint8_t *px;
    vg_status st;

    WebPInitDecBuffer(&out);
    out.colorspace = MODE_RGB; /* alpha is dropped by the decoder itself */
    idec = WebPINewDecoder(&out);
    if (!idec)
        return vg_errorf(err, VG_ERR_NOMEM, "WebP: no memory for the decoder");
    st = feed(idec, buf, len, ctx, err);
    px = st == VG_OK ? WebPIDecGetRGB(idec, &last_y, &w, &h, &stride) : NULL;
    if (st == VG_OK && (!px || last_y != h || (uint32_t)w != img->width ||
                        (uint32_t)h != img->height))
        st = vg_errorf(err, VG_ERR_CORRUPT, "WebP: decoded %dx%d, header said %ux%u", w, h,
                       img->width, img->height);
    if (st == VG_OK && (st = vgi_sink_init(&sink, ctx, img, (uint32_t)w, (uint32_t)h, err)) ==
                           VG_OK) {
        put_rows(&sink, px, (size_t)stride, (uint32_t)h, 3);
        vgi_sink_done(&sink);
    }
    WebPIDelete(idec);
    WebPFreeDecBuffer(&out);
    return st;
}

static vg_status decode_anim(const uint8_t *buf, size_t len, const vgi_ctx *ctx, vg_image *img,
                             vg_error *err)
{
    WebPData data = {buf, len};
    WebPAnimDecoderOptions o;
    WebPAnimDecoder *dec;
    WebPAnimInfo info;
    WebPDemuxState state;
    WebPDemuxer *dmx;
    uint8_t *px = NULL;
    int ts;
    vgi_sink sink;
    vg_status st;

    if (!WebPAnimDecoderOptionsInit(&o))
        return vg_errorf(err, VG_ERR_INTERNAL, "WebP: animation decoder version mismatch");
    o.color_mode = MODE_RGBA;
    o.use_threads = 0;
    if ((st = vgi_check_deadline(ctx, err)) != VG_OK) /* the decoder cannot be interrupted */
        return st;
    dec = WebPAnimDecoderNew(&data, &o);
    if (!dec) {
        dmx = WebPDemuxPartial(&data, &state);
        WebPDemuxDelete(dmx);
        return vg_errorf(err, state == WEBP_DEMUX_PARSE_ERROR ? VG_ERR_CORRUPT : VG_ERR_TRUNCATED,
                         "WebP: animation container %s",
                         state == WEBP_DEMUX_PARSE_ERROR ? "is malformed" : "ends early");
    }
    if (!WebPAnimDecoderGetInfo(dec, &info) || info.canvas_width != img->width ||
        info.canvas_height != img->height)
        st = vg_errorf(err, VG_ERR_CORRUPT, "WebP: animation canvas disagrees with the header");
    else if (!WebPAnimDecoderGetNext(dec, &px, &ts))
        st = vg_errorf(err, VG_ERR_CORRUPT, "WebP: first animation frame does not decode");
    else if ((st = vgi_sink_init(&sink, ctx, img, info.canvas_width, info.canvas_height,
                                 err)) == VG_OK) {
        put_rows(&sink, px, (size_t)info.canvas_width * 4, info.canvas_height, 4);
        vgi_sink_done(&sink);
    }
    WebPAnimDecoderDelete(dec);
    return st;
}

vg_status vgi_webp_decode(const uint8_t *buf, size_t len, const vgi_ctx *ctx, vg_image *img,
                          vg_error *err)
{
    WebPBitstreamFeatures f;
    vg_status st;

    st = webp_status(WebPGetFeatures(buf, len, &f), "in the header", err);
    if (st != VG_OK)
        return st;
    img->width = (uint32_t)f.width;
    img->height = (uint32_t)f.height;
    img->has_alpha = f.has_alpha;
    img->bit_depth = 8;
    read_container(buf, len, img);
    if ((st = vgi_check_dims(ctx, img->width, img->height, "WebP", err)) != VG_OK ||
        ctx->opts->header_only)
        return st;
    if (f.has_animation)
        return decode_anim(buf, len, ctx, img, err);
    return decode_still(buf, len, ctx, img, err);
}
