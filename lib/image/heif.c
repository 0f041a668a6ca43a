/* heif.c - HEIF/HEIC and AVIF (primary image) through libheif 1.15.
 *
 * The primary image is decoded with its container transformations (irot,
 * imir, clap) applied: HEIF makes them part of the image, unlike EXIF's
 * orientation, so a reader that skipped them would not see the picture the
 * file holds. For the same reason orientation is reported as 0: the EXIF
 * block inside a HEIF file restates what irot/imir already did, and a
 * consumer applying it would rotate twice.
 *
 * libheif checks the declared sides against its size limit while parsing
 * (heif_context_set_maximum_image_size_limit); we check width x height with
 * vgi_check_dims before decoding. Decoding itself cannot be interrupted, so
 * the deadline is checked before it and after. Samples deeper than 8 bits are
 * reduced to 8 by libheif's colour conversion. */
#include <libheif/heif.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image_int.h"
#include "vigil/exif.h"

static uint64_t be(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

/* Whether the top-level box chain runs past the end of the buffer or ends
 * before any 'meta' box: libheif reports such files as "No 'meta' box" or
 * with other codes, which would otherwise read as corrupt. */
static int boxes_cut(const uint8_t *b, size_t len)
{
    size_t off = 0;
    int meta = 0;

    while (len - off >= 8) {
        uint64_t size = be(b + off, 4), head = 8;
        if (size == 1) {
            if (len - off < 16)
                return 1;
            size = be(b + off + 8, 8);
            head = 16;
        } else if (size == 0) {
            size = len - off; /* to the end of the file */
        }
        if (size < head)
            return 0; /* malformed, not cut */
        meta |= memcmp(b + off + 4, "meta", 4) == 0;
        if (size > len - off)
            return 1;
        off += size;
    }
    return off < len || !meta;
}

static vg_status heif_status(struct heif_error e, const char *what, vg_error *err)
{
    vg_status st = VG_ERR_CORRUPT;
    char msg[256];
    size_t n;

    if (e.code == heif_error_Ok)
        return VG_OK;
    snprintf(msg, sizeof msg, "%s", e.message ? e.message : "error");
    for (n = strlen(msg); n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '); n--)
        msg[n - 1] = '\0';
    if (e.subcode == heif_suberror_End_of_data)
        st = VG_ERR_TRUNCATED;
    else if (e.subcode == heif_suberror_Security_limit_exceeded)
        st = VG_ERR_LIMIT_PIXELS;
    else if (e.code == heif_error_Memory_allocation_error)
        st = VG_ERR_NOMEM;
    else if (e.code == heif_error_Unsupported_feature || e.code == heif_error_Unsupported_filetype)
        st = VG_ERR_UNSUPPORTED;
    return vg_errorf(err, st, "HEIF: %s: %s", what, msg);
}

static vg_status put_image(const struct heif_image *im, const vgi_ctx *ctx, vg_image *img,
                           vg_error *err)
{
    int stride = 0;
    const uint8_t *px = heif_image_get_plane_readonly(im, heif_channel_interleaved, &stride);
    int w = heif_image_get_width(im, heif_channel_interleaved);
    int h = heif_image_get_height(im, heif_channel_interleaved);
    vgi_sink sink;
    vg_status st;

    if (!px || w <= 0 || h <= 0 || stride < 3 * w)
        return vg_errorf(err, VG_ERR_CORRUPT, "HEIF: decoder returned no usable RGB plane");
    img->width = (uint32_t)w; /* clap may have cropped the declared size */
    img->height = (uint32_t)h;
    if ((st = vgi_check_dims(ctx, (uint32_t)w, (uint32_t)h, "HEIF", err)) != VG_OK ||
        (st = vgi_sink_init(&sink, ctx, img, (uint32_t)w, (uint32_t)h, err)) != VG_OK)
        return st;
    for (int y = 0; y < h; y++)
        if (vgi_sink_wants_row(&sink, (uint32_t)y))
            vgi_sink_put_row(&sink, (uint32_t)y, px + (size_t)stride * (size_t)y, 3);
    vgi_sink_done(&sink);
    return VG_OK;
}

static vg_status decode_primary(struct heif_image_handle *hh, const vgi_ctx *ctx, vg_image *img,
                                vg_error *err)
{
    struct heif_image *im = NULL;
    vg_status st;

    if ((st = vgi_check_deadline(ctx, err)) != VG_OK)
        return st;
    st = heif_status(heif_decode_image(hh, &im, heif_colorspace_RGB,
                                       heif_chroma_interleaved_RGB, NULL),
                     "decoding the primary image", err);
    if (st == VG_OK && (st = vgi_check_deadline(ctx, err)) == VG_OK)
        st = put_image(im, ctx, img, err);
    heif_image_release(im);
    return st;
}

static vg_status read_handle(struct heif_context *hc, const vgi_ctx *ctx, vg_image *img,
                             vg_error *err)
{
    struct heif_image_handle *hh = NULL;
    vg_status st;
    int n;

    st = heif_status(heif_context_get_primary_image_handle(hc, &hh), "primary image", err);
    if (st != VG_OK)
        return st;
    n = heif_context_get_number_of_top_level_images(hc);
    img->frames = n > 0 ? (uint32_t)n : 1;
    img->width = (uint32_t)heif_image_handle_get_width(hh);
    img->height = (uint32_t)heif_image_handle_get_height(hh);
    img->has_alpha = heif_image_handle_has_alpha_channel(hh);
    n = heif_image_handle_get_luma_bits_per_pixel(hh);
    img->bit_depth = n > 0 ? n : 8;
    st = vgi_check_dims(ctx, img->width, img->height, "HEIF", err);
    if (st == VG_OK && !ctx->opts->header_only)
        st = decode_primary(hh, ctx, img, err);
    heif_image_handle_release(hh);
    return st;
}

/* libheif registers its codec plugins on first use; heif_init() once, under
 * pthread_once, keeps that out of any race between decoding threads. It is
 * never undone: vigil decodes until the process ends. */
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libheif(void)
{
    heif_init(NULL);
}

vg_status vgi_heif_decode(const uint8_t *buf, size_t len, const vgi_ctx *ctx, vg_image *img,
                          vg_error *err)
{
    struct heif_context *hc;
    uint64_t side = ctx->limits.max_pixels;
    vg_status st;

    pthread_once(&init_once, init_libheif);
    hc = heif_context_alloc();
    if (!hc)
        return vg_errorf(err, VG_ERR_NOMEM, "HEIF: no memory for the context");
    /* a side can be at most max_pixels long (the other being 1) */
    if (side && side < INT_MAX)
        heif_context_set_maximum_image_size_limit(hc, (int)side);
    st = heif_status(heif_context_read_from_memory_without_copy(hc, buf, len, NULL),
                     "reading the container", err);
    if (st == VG_OK)
        st = read_handle(hc, ctx, img, err);
    if (st != VG_OK && st != VG_ERR_TRUNCATED && st != VG_ERR_LIMIT_PIXELS &&
        st != VG_ERR_LIMIT_TIME && boxes_cut(buf, len)) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err ? err->msg : "");
        st = vg_errorf(err, VG_ERR_TRUNCATED, "HEIF: file of %zu bytes ends inside its boxes (%s)",
                       len, why);
    }
    heif_context_free(hc);
    return st;
}

/* The Exif item starts with a 4-byte offset to the TIFF header (ISO/IEC
 * 23008-12 annex A.2.1). */
static vg_status parse_item(struct heif_image_handle *hh, heif_item_id id, size_t cap,
                            vg_exif *out, vg_error *err)
{
    size_t n = heif_image_handle_get_metadata_size(hh, id);
    uint8_t *b;
    vg_status st;

    if (n < 4 || n > cap)
        return vg_errorf(err, VG_ERR_CORRUPT, "HEIF: Exif item of %zu bytes", n);
    if (!(b = malloc(n)))
        return vg_errorf(err, VG_ERR_NOMEM, "HEIF: no memory for the Exif item");
    st = heif_status(heif_image_handle_get_metadata(hh, id, b), "reading the Exif item", err);
    if (st == VG_OK) {
        uint32_t skip = (uint32_t)be(b, 4);
        st = skip <= n - 4 ? vg_exif_parse(b + 4 + skip, n - 4 - skip, out, err)
                           : vg_errorf(err, VG_ERR_CORRUPT, "HEIF: Exif offset %u", skip);
    }
    free(b);
    return st;
}

vg_status vgi_heif_exif(const uint8_t *buf, size_t len, vg_exif *out, vg_error *err)
{
    struct heif_context *hc;
    struct heif_image_handle *hh = NULL;
    heif_item_id id;
    vg_status st;

    pthread_once(&init_once, init_libheif);
    hc = heif_context_alloc();
    if (!hc)
        return vg_errorf(err, VG_ERR_NOMEM, "HEIF: no memory for the context");
    st = heif_status(heif_context_read_from_memory_without_copy(hc, buf, len, NULL),
                     "reading the container", err);
    if (st == VG_OK)
        st = heif_status(heif_context_get_primary_image_handle(hc, &hh), "primary image", err);
    if (st == VG_OK) {
        if (heif_image_handle_get_list_of_metadata_block_IDs(hh, "Exif", &id, 1) == 1)
            st = parse_item(hh, id, len, out, err);
        else
            st = vg_errorf(err, VG_ERR_NOTFOUND, "HEIF: no Exif item");
        heif_image_handle_release(hh);
    }
    heif_context_free(hc);
    return st;
}
