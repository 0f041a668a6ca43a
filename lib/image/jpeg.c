/* jpeg.c - JPEG decoding with libjpeg-turbo, hardened for hostile input.
 *
 * libjpeg reports fatal errors by calling exit() and prints warnings to
 * stderr; both handlers are replaced: errors longjmp back here with their
 * message, warnings are counted silently, except "premature end of file",
 * which stops decoding as VG_ERR_TRUNCATED (libjpeg would go on and paint the
 * rest grey). Costs are bounded before and during decoding: the pixel limit
 * is checked on the header before any pixel buffer exists, libjpeg's own
 * allocations are capped (progressive files buffer every coefficient), and a
 * progress monitor enforces the deadline and a cap on the number of scans
 * (a small file with thousands of progressive scans otherwise costs a full
 * pass over all coefficients per scan: libjpeg-turbo's known CPU hazard).
 *
 * With default options the pixels are exactly what the PDQ reference sees:
 * libjpeg defaults (islow IDCT, fancy upsampling), RGB, then the sink's
 * nearest-neighbour pre-shrink. Rows the shrink does not sample are skipped
 * with jpeg_skip_scanlines where that is exact (see skip_is_exact).
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jerror.h>
#include <jpeglib.h>

#include "image_int.h"

/* libjpeg-turbo's own fuzzers stop at 500 scans; encoders write 10 or so. */
#define JPEG_MAX_SCANS 500
/* libjpeg's working memory; a progressive 200-megapixel 4:2:0 file needs
 * about 600 MB of coefficients. Over the cap libjpeg fails cleanly. */
#define JPEG_MAX_MEMORY (1024L * 1024 * 1024)

typedef struct jdec {
    struct jpeg_decompress_struct cinfo; /* first: libjpeg callbacks cast back */
    struct jpeg_error_mgr jerr;
    struct jpeg_progress_mgr progress;
    jmp_buf jmp;
    const vgi_ctx *ctx;
    vg_status fail; /* what a longjmp means */
    char msg[sizeof(vg_error){0}.msg + JMSG_LENGTH_MAX];
    int corrupt_warnings;
    unsigned ticks;
    vgi_sink sink;
    uint8_t *row;
    uint8_t *rgb; /* CMYK converted */
    size_t exif_len;
    uint8_t exif[65535]; /* the first EXIF APP1 payload */
} jdec;

static vg_status error_status(int code)
{
    switch (code) {
    case JERR_BAD_PRECISION:
    case JERR_NOT_COMPILED:
    case JERR_ARITH_NOTIMPL:
    case JERR_CONVERSION_NOTIMPL: return VG_ERR_UNSUPPORTED;
    case JERR_IMAGE_TOO_BIG: return VG_ERR_LIMIT_PIXELS;
    case JERR_OUT_OF_MEMORY:
    case JERR_NO_BACKING_STORE: return VG_ERR_LIMIT;
    default: return VG_ERR_CORRUPT;
    }
}

static void on_error(j_common_ptr c)
{
    jdec *d = (jdec *)c;
    (*c->err->format_message)(c, d->msg);
    d->fail = error_status(c->err->msg_code);
    longjmp(d->jmp, 1);
}

/* A source that ran dry is truncation, unless garbage already came before. */
static void on_message(j_common_ptr c, int level)
{
    jdec *d = (jdec *)c;

    if (level >= 0)
        return; /* trace messages */
    c->err->num_warnings++;
    if (c->err->msg_code == JWRN_JPEG_EOF) {
        (*c->err->format_message)(c, d->msg);
        d->fail = d->corrupt_warnings ? VG_ERR_CORRUPT : VG_ERR_TRUNCATED;
        longjmp(d->jmp, 1);
    }
    d->corrupt_warnings++;
}

static void on_progress(j_common_ptr c)
{
    jdec *d = (jdec *)c;
    vg_error e;

    if (d->cinfo.input_scan_number > JPEG_MAX_SCANS) {
        snprintf(d->msg, sizeof d->msg, "more than %d scans", JPEG_MAX_SCANS);
        d->fail = VG_ERR_LIMIT;
        longjmp(d->jmp, 1);
    }
    if ((d->ticks++ & 15) == 0 && vgi_check_deadline(d->ctx, &e) != VG_OK) {
        snprintf(d->msg, sizeof d->msg, "%s", e.msg);
        d->fail = VG_ERR_LIMIT_TIME;
        longjmp(d->jmp, 1);
    }
}

/* One byte from libjpeg's source; a source that runs dry longjmps out
 * through on_message (JWRN_JPEG_EOF), so this never loops. */
static unsigned next_byte(j_decompress_ptr c)
{
    struct jpeg_source_mgr *s = c->src;

    while (s->bytes_in_buffer == 0)
        (*s->fill_input_buffer)(c);
    s->bytes_in_buffer--;
    return *s->next_input_byte++;
}

/* APP1 marker processor: keeps the first "Exif\0\0" payload and skips every
 * other APP1. (jpeg_save_markers would keep a copy of all of them: a file
 * of thousands of APP1 segments would double its size in memory.) */
static boolean read_app1(j_decompress_ptr c)
{
    jdec *d = (jdec *)c;
    unsigned hi = next_byte(c), lo = next_byte(c);
    long len = (long)(hi << 8 | lo) - 2;

    if (len < 0)
        ERREXIT(c, JERR_BAD_LENGTH);
    if (d->exif_len == 0 && len > 6) {
        for (long i = 0; i < len; i++)
            d->exif[i] = (uint8_t)next_byte(c);
        if (memcmp(d->exif, "Exif\0\0", 6) == 0)
            d->exif_len = (size_t)len;
    } else if (len > 0) {
        (*c->src->skip_input_data)(c, len);
    }
    return TRUE;
}

static int is_cmyk(j_decompress_ptr c)
{
    return c->jpeg_color_space == JCS_CMYK || c->jpeg_color_space == JCS_YCCK;
}

/* CMYK (libjpeg turns YCCK into CMYK) to RGB. Files with an Adobe marker,
 * which Photoshop and libjpeg write for CMYK, store inverted values (255 =
 * no ink), as every decoder assumes. */
static void cmyk_to_rgb(const uint8_t *in, uint8_t *out, uint32_t n, int inverted)
{
    for (uint32_t x = 0; x < n; x++, in += 4, out += 3) {
        unsigned k = inverted ? in[3] : 255u - in[3];
        for (int i = 0; i < 3; i++) {
            unsigned v = inverted ? in[i] : 255u - in[i];
            out[i] = (uint8_t)((v * k + 127) / 255);
        }
    }
}

static void configure(jdec *d)
{
    j_decompress_ptr c = &d->cinfo;
    unsigned denom = (unsigned)d->ctx->opts->scale_denom, side = d->ctx->opts->pdq_side;

    if (c->jpeg_color_space == JCS_GRAYSCALE)
        c->out_color_space = JCS_GRAYSCALE;
    else if (is_cmyk(c))
        c->out_color_space = JCS_CMYK;
    else
        c->out_color_space = d->ctx->opts->grey ? JCS_GRAYSCALE : JCS_RGB;
    if (denom != 2 && denom != 4 && denom != 8)
        return;
    /* With the PDQ pre-shrink on, scale_denom is a ceiling: the largest
     * denominator that keeps both sides at least pdq_side, so that the
     * shrink still samples a full pdq_side x pdq_side grid. */
    while (side && denom > 1 &&
           ((c->image_width + denom - 1) / denom < side ||
            (c->image_height + denom - 1) / denom < side))
        denom /= 2;
    c->scale_num = 1;
    c->scale_denom = (unsigned)denom;
}

/* Whether jpeg_skip_scanlines gives the rows a full decode would. In
 * libjpeg-turbo 2.1.5 it does not when a single component with vertical
 * sampling factor 2 is decoded alone (a grey 2x2 file, or the Y plane of a
 * 4:2:0 file decoded to grey): rows come out two lines early. tests/pdq
 * checks every layout against a full decode. */
static int skip_is_exact(j_decompress_ptr c)
{
    if (c->max_v_samp_factor == 1)
        return 1;
    return c->num_components == 3 && c->out_color_space == JCS_RGB;
}

/* Reads the rows the sink samples; runs of others are skipped where that is
 * exact (it saves the colour conversion and upsampling of those rows). */
static void read_rows(jdec *d)
{
    j_decompress_ptr c = &d->cinfo;
    uint32_t w = c->output_width, h = c->output_height;
    int inverted = c->saw_Adobe_marker, can_skip = skip_is_exact(c);

    while (c->output_scanline < h) {
        uint32_t y = c->output_scanline, run = 0;
        while (can_skip && y + run < h && !vgi_sink_wants_row(&d->sink, y + run))
            run++;
        if (run) {
            jpeg_skip_scanlines(c, run);
            continue;
        }
        JSAMPROW rp = d->row;
        if (jpeg_read_scanlines(c, &rp, 1) != 1)
            ERREXIT(c, JERR_BAD_STATE); /* cannot happen with a memory source */
        if (c->out_color_space == JCS_CMYK) {
            cmyk_to_rgb(d->row, d->rgb, w, inverted);
            vgi_sink_put_row(&d->sink, y, d->rgb, 3);
        } else {
            vgi_sink_put_row(&d->sink, y, d->row, c->output_components);
        }
    }
}

/* Everything after the header; longjmps out on error. */
static vg_status decode_pixels(jdec *d, vg_image *img, vg_error *err)
{
    j_decompress_ptr c = &d->cinfo;
    vg_decode_opts opts = *d->ctx->opts;
    vgi_ctx ctx = *d->ctx;
    vg_status st;

    configure(d);
    jpeg_start_decompress(c);
    /* A grey JPEG stays one channel even when RGB was asked for: the PDQ
     * reference hashes grey pixels as they are. */
    if (c->out_color_space == JCS_GRAYSCALE)
        opts.grey = 1;
    ctx.opts = &opts;
    st = vgi_sink_init(&d->sink, &ctx, img, c->output_width, c->output_height, err);
    if (st != VG_OK)
        return st;
    d->row = malloc((size_t)c->output_width * (size_t)c->output_components);
    d->rgb = malloc((size_t)c->output_width * 3);
    if (!d->row || !d->rgb)
        return vg_errorf(err, VG_ERR_NOMEM, "no memory for a JPEG row of %u pixels",
                         c->output_width);
    read_rows(d);
    return VG_OK;
}

static vg_status run(jdec *d, const uint8_t *buf, size_t len, vg_image *img, vg_error *err)
{
    j_decompress_ptr c = &d->cinfo;
    vg_status st;

    jpeg_mem_src(c, buf, (unsigned long)len);
    jpeg_set_marker_processor(c, JPEG_APP0 + 1, read_app1);
    jpeg_read_header(c, TRUE);
    img->type = VG_IMAGE_JPEG;
    img->width = c->image_width;
    img->height = c->image_height;
    img->frames = 1;
    img->bit_depth = c->data_precision;
    if (d->exif_len)
        img->orientation = vgi_exif_orientation(d->exif + 6, d->exif_len - 6);
    if (d->ctx->opts->header_only)
        return VG_OK;
    st = vgi_check_dims(d->ctx, c->image_width, c->image_height, "JPEG", err);
    if (st != VG_OK)
        return st;
    return decode_pixels(d, img, err);
}

vg_status vgi_jpeg_decode(const uint8_t *buf, size_t len, const vgi_ctx *ctx, vg_image *img,
                          vg_error *err)
{
    jdec *d = calloc(1, sizeof *d);
    vg_status st;

    if (!d)
        return vg_errorf(err, VG_ERR_NOMEM, "no memory for a JPEG decoder");
    d->ctx = ctx;
    d->cinfo.err = jpeg_std_error(&d->jerr);
    d->jerr.error_exit = on_error;
    d->jerr.emit_message = on_message;
    d->progress.progress_monitor = on_progress;
    if (setjmp(d->jmp)) {
        st = vg_errorf(err, d->fail, "JPEG: %s", d->msg);
    } else {
        jpeg_create_decompress(&d->cinfo);
        d->cinfo.mem->max_memory_to_use = JPEG_MAX_MEMORY;
        d->cinfo.progress = &d->progress;
        st = run(d, buf, len, img, err);
    }
    jpeg_destroy_decompress(&d->cinfo);
    vgi_sink_done(&d->sink);
    free(d->row);
    free(d->rgb);
    free(d);
    return st;
}
