/* png.c - PNG (and the first frame of APNG) through libpng, from memory.
 *
 * libpng reports errors by calling an error function that must not return;
 * its default prints to stderr and longjmps (or aborts when no jump buffer is
 * set). Ours records the message and longjmps to the one setjmp in png_run(),
 * whose state lives in a png_job so that nothing is lost across the jump.
 * Reading past the end of the buffer sets a flag, which turns the error into
 * VG_ERR_TRUNCATED; every other libpng error is VG_ERR_CORRUPT.
 *
 * Pixels: palette expanded, grey below 8 bits expanded, 16-bit scaled to 8
 * with rounding, alpha (and tRNS) dropped without compositing. Interlaced
 * images need the whole image in memory (Adam7 fills rows pass by pass);
 * others stream row by row into the sink. */
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image_int.h"

#define PNG_CHUNK_MALLOC_MAX (16u << 20) /* bounds zTXt/iCCP/eXIf inflation */

typedef struct png_job {
    const uint8_t *buf;
    size_t len, pos;
    int short_read;
    char msg[256];
    vgi_sink sink;
    int sink_on;
    uint8_t *rows; /* one row, or the whole image when interlaced */
} png_job;

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* CRC-32 of PNG chunks (ISO 3309, as in PNG annex D), bitwise: it only
 * checks the 17 bytes of IHDR, before libpng has seen them. */
static uint32_t crc32_of(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xffffffffu;
}

/* The IHDR's size claim, checked before libpng sees it, so that a giant
 * header is VG_ERR_LIMIT_PIXELS (with the claimed size reported) rather than
 * libpng's "Invalid IHDR data". Only an intact IHDR (CRC matching) is
 * believed: a damaged one is left to libpng, which reports the CRC error. */
static vg_status check_ihdr(const uint8_t *buf, size_t len, const vgi_ctx *ctx, vg_image *img,
                            vg_error *err)
{
    uint32_t w, h;
    vg_status st;

    if (len < 33 || memcmp(buf + 12, "IHDR", 4) != 0 || crc32_of(buf + 12, 17) != be32(buf + 29))
        return VG_OK;
    w = be32(buf + 16);
    h = be32(buf + 20);
    if (!w || !h || (st = vgi_check_dims(ctx, w, h, "PNG", err)) == VG_OK)
        return VG_OK;
    img->width = w;
    img->height = h;
    return st;
}

static void on_error(png_structp png, png_const_charp msg)
{
    png_job *j = png_get_error_ptr(png);
    snprintf(j->msg, sizeof j->msg, "%s", msg ? msg : "unknown error");
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg; /* benign problems (bad ancillary CRC, unknown sRGB...) are ignored */
}

static void on_read(png_structp png, png_bytep out, size_t n)
{
    png_job *j = png_get_io_ptr(png);
    if (j->len - j->pos < n) {
        j->short_read = 1;
        j->pos = j->len;
        png_error(png, "file ends early");
    }
    memcpy(out, j->buf + j->pos, n);
    j->pos += n;
}

const uint8_t *vgi_png_chunk(const uint8_t *buf, size_t len, const char type[4], size_t *n)
{
    size_t off = 8;

    while (len >= off && len - off >= 12) {
        uint32_t size = be32(buf + off);
        if (size > len - off - 12 || memcmp(buf + off + 4, "IEND", 4) == 0)
            break;
        if (memcmp(buf + off + 4, type, 4) == 0) {
            *n = size;
            return buf + off + 8;
        }
        off += 12 + (size_t)size;
    }
    return NULL;
}

/* What libpng does not give cheaply: the APNG frame count (acTL) and the
 * EXIF orientation (eXIf). */
static void scan_chunks(const uint8_t *buf, size_t len, vg_image *img)
{
    size_t n = 0;
    const uint8_t *d = vgi_png_chunk(buf, len, "acTL", &n);

    if (d && n >= 8 && be32(d) >= 1)
        img->frames = be32(d);
    if ((d = vgi_png_chunk(buf, len, "eXIf", &n)) != NULL)
        img->orientation = vgi_exif_orientation(d, n);
}

static vg_status read_rows(png_structp png, png_job *j, const vgi_ctx *ctx, uint32_t h,
                           size_t rowbytes, int passes, int ch, vg_error *err)
{
    vg_status st;
    size_t nrows = passes > 1 ? h : 1;

    if (rowbytes > SIZE_MAX / nrows)
        return vg_errorf(err, VG_ERR_NOMEM, "PNG: %zu rows of %zu bytes do not fit in memory",
                         nrows, rowbytes);
    j->rows = malloc(rowbytes * nrows);
    if (!j->rows)
        return vg_errorf(err, VG_ERR_NOMEM, "PNG: no memory for %zu rows of %zu bytes", nrows,
                         rowbytes);
    for (int p = 0; p < passes; p++) {
        for (uint32_t y = 0; y < h; y++) {
            uint8_t *row = j->rows + (passes > 1 ? rowbytes * y : 0);
            if ((st = vgi_check_deadline(ctx, err)) != VG_OK)
                return st;
            png_read_row(png, row, NULL);
            if (passes == 1 && vgi_sink_wants_row(&j->sink, y))
                vgi_sink_put_row(&j->sink, y, row, ch);
        }
    }
    for (uint32_t y = 0; passes > 1 && y < h; y++)
        if (vgi_sink_wants_row(&j->sink, y))
            vgi_sink_put_row(&j->sink, y, j->rows + rowbytes * y, ch);
    return VG_OK;
}

static void set_transforms(png_structp png, int color, int depth)
{
    if (color == PNG_COLOR_TYPE_PALETTE)
        png_set_palette_to_rgb(png);
    if (color == PNG_COLOR_TYPE_GRAY && depth < 8)
        png_set_expand_gray_1_2_4_to_8(png);
    if (depth == 16)
        png_set_scale_16(png);
    if (color & PNG_COLOR_MASK_ALPHA)
        png_set_strip_alpha(png);
}

static vg_status png_run(png_structp png, png_infop info, png_job *j, const vgi_ctx *ctx,
                         vg_image *img, vg_error *err)
{
    png_uint_32 w, h;
    int depth, color, interlace, passes;
    vg_status st;

    if (setjmp(png_jmpbuf(png)))
        return vg_errorf(err, j->short_read ? VG_ERR_TRUNCATED : VG_ERR_CORRUPT,
                         "PNG: %s at offset %zu", j->msg, j->pos);
    png_read_info(png, info);
    png_get_IHDR(png, info, &w, &h, &depth, &color, &interlace, NULL, NULL);
    img->width = w;
    img->height = h;
    img->bit_depth = depth;
    img->has_alpha = (color & PNG_COLOR_MASK_ALPHA) || png_get_valid(png, info, PNG_INFO_tRNS);
    if ((st = vgi_check_dims(ctx, w, h, "PNG", err)) != VG_OK || ctx->opts->header_only)
        return st;
    set_transforms(png, color, depth);
    passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    if ((st = vgi_sink_init(&j->sink, ctx, img, w, h, err)) != VG_OK)
        return st;
    j->sink_on = 1;
    return read_rows(png, j, ctx, h, png_get_rowbytes(png, info), passes,
                     png_get_channels(png, info), err);
}

vg_status vgi_png_decode(const uint8_t *buf, size_t len, const vgi_ctx *ctx, vg_image *img,
                         vg_error *err)
{
    png_job j;
    png_structp png;
    png_infop info;
    vg_status st;
    uint64_t lim = ctx->limits.max_pixels;

    memset(&j, 0, sizeof j);
    j.buf = buf;
    j.len = len;
    img->frames = 1;
    scan_chunks(buf, len, img);
    if ((st = check_ihdr(buf, len, ctx, img, err)) != VG_OK)
        return st;
    png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &j, on_error, on_warning);
    info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        return vg_errorf(err, VG_ERR_NOMEM, "PNG: no memory for the decoder");
    }
    png_set_read_fn(png, &j, on_read);
    if (!lim || lim > PNG_UINT_31_MAX)
        lim = PNG_UINT_31_MAX;
    png_set_user_limits(png, (png_uint_32)lim, (png_uint_32)lim);
    png_set_chunk_malloc_max(png, PNG_CHUNK_MALLOC_MAX);
    st = png_run(png, info, &j, ctx, img, err);
    png_destroy_read_struct(&png, &info, NULL);
    free(j.rows);
    if (j.sink_on)
        vgi_sink_done(&j.sink);
    return st;
}
