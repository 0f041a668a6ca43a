/* tiff.c - TIFF (first page) through libtiff, from memory.
 *
 * libtiff's default warning and error handlers print to stderr. Since 4.5 a
 * handle can have its own handlers with user data (TIFFOpenOptions), which
 * is how messages reach vg_error here; returning 1 from them stops libtiff
 * from calling the process-global handlers as well. The few messages libtiff
 * still sends only to the global handlers are silenced by setting those to
 * NULL once (pthread_once): vigil is their only user in the process.
 *
 * Pixels of the common case, 8-bit RGB(A) or grey(+alpha) in strips, are
 * handed to the sink as libtiff decodes each strip (read_strips). Everything
 * else comes from the RGBA interface (any photometric, bit depth, planar
 * configuration and compression libtiff knows), read in bands of whole strips
 * or tiles so that memory stays at one band. The requested orientation is set
 * to the file's own, so rows arrive as stored: the Orientation tag is
 * reported, never applied, as for EXIF. The RGBA interface premultiplies
 * unassociated alpha, so such files (tiled, or deeper than 8 bits) give colour
 * composited onto black; the strip path keeps the stored colour.
 *
 * The buffer is handed to libtiff as a read-only memory map (libtiff 4.5
 * fails on uncompressed tiles read through the read procedure: "Invalid tile
 * byte count"). A failure is VG_ERR_TRUNCATED when what libtiff needed lies
 * past the end of the buffer (the first IFD, a strip or tile, or a read that
 * came up short), VG_ERR_CORRUPT otherwise (VG_ERR_UNSUPPORTED when the RGBA
 * interface refuses the photometric/sample layout). */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

#include "image_int.h"

#define TIFF_BAND_BYTES (32u << 20) /* cap on one band of RGBA rows */

typedef struct tiff_src {
    const uint8_t *buf;
    uint64_t len, pos;
    int short_read;
    char msg[256];
} tiff_src;

static tmsize_t t_read(thandle_t h, void *out, tmsize_t n)
{
    tiff_src *s = h;
    uint64_t k = n < 0 ? 0 : (uint64_t)n;

    if (s->pos >= s->len || k > s->len - s->pos) {
        s->short_read = 1;
        k = s->pos >= s->len ? 0 : s->len - s->pos;
    }
    memcpy(out, s->buf + s->pos, (size_t)k);
    s->pos += k;
    return (tmsize_t)k;
}

static tmsize_t t_write(thandle_t h, void *in, tmsize_t n)
{
    (void)h, (void)in, (void)n;
    return 0;
}

static toff_t t_seek(thandle_t h, toff_t off, int whence)
{
    tiff_src *s = h;
    uint64_t base = whence == SEEK_CUR ? s->pos : whence == SEEK_END ? s->len : 0;

    if (off > UINT64_MAX - base)
        return (toff_t)-1;
    s->pos = base + off; /* past the end is allowed; reading there is short */
    return s->pos;
}

static int t_close(thandle_t h)
{
    (void)h;
    return 0;
}

static toff_t t_size(thandle_t h)
{
    return ((tiff_src *)h)->len;
}

static int t_map(thandle_t h, void **base, toff_t *size)
{
    tiff_src *s = h;
    *base = (void *)(uintptr_t)s->buf; /* libtiff never writes to a map (PROT_READ) */
    *size = s->len;
    return 1;
}

static void t_unmap(thandle_t h, void *base, toff_t size)
{
    (void)h, (void)base, (void)size;
}

static int on_error(TIFF *tif, void *ud, const char *module, const char *fmt, va_list ap)
{
    tiff_src *s = ud;
    (void)tif, (void)module;
    if (s && !s->msg[0])
        vsnprintf(s->msg, sizeof s->msg, fmt, ap);
    return 1;
}

static int on_warning(TIFF *tif, void *ud, const char *module, const char *fmt, va_list ap)
{
    (void)tif, (void)ud, (void)module, (void)fmt, (void)ap;
    return 1;
}

static pthread_once_t silence_once = PTHREAD_ONCE_INIT;

static void silence_globals(void)
{
    TIFFSetErrorHandler(NULL);
    TIFFSetWarningHandler(NULL);
}

static uint32_t rd(const uint8_t *p, int n, int big)
{
    uint32_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint32_t)p[big ? i : n - 1 - i] << (8 * (n - 1 - i));
    return v;
}

/* Whether the first IFD of a classic TIFF runs past the end of the file. */
static int header_cut(const uint8_t *b, uint64_t len)
{
    int big = b[0] == 'M';
    uint32_t off, n;

    if (len < 8)
        return 1;
    if (rd(b + 2, 2, big) != 42)
        return len < 16; /* BigTIFF: only its header is checked */
    off = rd(b + 4, 4, big);
    if (off >= len || len - off < 2)
        return 1;
    n = rd(b + off, 2, big);
    return len - off - 2 < 12ull * n;
}

/* Whether a strip or tile of the current directory lies past the end. */
static int data_cut(TIFF *tif, uint64_t len)
{
    int tiled = TIFFIsTiled(tif);
    uint32_t n = tiled ? TIFFNumberOfTiles(tif) : TIFFNumberOfStrips(tif);
    uint64_t *offs = NULL, *counts = NULL;

    if (!TIFFGetField(tif, tiled ? TIFFTAG_TILEOFFSETS : TIFFTAG_STRIPOFFSETS, &offs) ||
        !TIFFGetField(tif, tiled ? TIFFTAG_TILEBYTECOUNTS : TIFFTAG_STRIPBYTECOUNTS, &counts) ||
        !offs || !counts)
        return 0;
    for (uint32_t i = 0; i < n; i++)
        if (offs[i] > len || counts[i] > len - offs[i])
            return 1;
    return 0;
}

static vg_status tiff_fail(const tiff_src *s, const char *what, vg_error *err)
{
    return vg_errorf(err, s->short_read ? VG_ERR_TRUNCATED : VG_ERR_CORRUPT, "TIFF: %s: %s", what,
                     s->msg[0] ? s->msg : "failed");
}

static TIFF *tiff_open(tiff_src *s, const vgi_ctx *ctx)
{
    TIFFOpenOptions *o = TIFFOpenOptionsAlloc();
    TIFF *tif;

    if (!o)
        return NULL;
    /* a strip or tile buffer is at most 8 bytes a pixel of the allowed image */
    if (ctx->limits.max_pixels && ctx->limits.max_pixels < (uint64_t)INT64_MAX / 8)
        TIFFOpenOptionsSetMaxSingleMemAlloc(o, (tmsize_t)(ctx->limits.max_pixels * 8 + 65536));
    TIFFOpenOptionsSetErrorHandlerExtR(o, on_error, s);
    TIFFOpenOptionsSetWarningHandlerExtR(o, on_warning, s);
    tif = TIFFClientOpenExt("TIFF", "r", s, t_read, t_write, t_seek, t_close, t_size, t_map,
                            t_unmap, o);
    TIFFOpenOptionsFree(o);
    return tif;
}

static void read_header(TIFF *tif, vg_image *img)
{
    uint32_t w = 0, h = 0;
    uint16_t bps = 1, orient = 0;
    tdir_t n;

    TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w);
    TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h);
    TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bps);
    if (TIFFGetField(tif, TIFFTAG_ORIENTATION, &orient) && orient >= 1 && orient <= 8)
        img->orientation = orient;
    img->width = w;
    img->height = h;
    img->bit_depth = bps;
    n = TIFFNumberOfDirectories(tif);
    img->frames = n ? n : 1;
}

static uint32_t band_rows(TIFF *tif, uint32_t w, uint32_t h)
{
    uint32_t rows = 0, cap = TIFF_BAND_BYTES / 4 / w;

    if (TIFFIsTiled(tif))
        TIFFGetField(tif, TIFFTAG_TILELENGTH, &rows);
    else
        TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &rows);
    if (rows == 0 || rows > h)
        rows = h;
    if (cap == 0)
        cap = 1;
    return rows > cap ? cap : rows;
}

static void put_band(vgi_sink *sink, const uint32_t *raster, uint8_t *rgb, uint32_t w,
                     uint32_t y0, uint32_t n)
{
    for (uint32_t r = 0; r < n; r++) {
        const uint32_t *px = raster + (size_t)r * w;
        if (!vgi_sink_wants_row(sink, y0 + r))
            continue;
        for (uint32_t x = 0; x < w; x++) {
            rgb[3 * (size_t)x] = (uint8_t)TIFFGetR(px[x]);
            rgb[3 * (size_t)x + 1] = (uint8_t)TIFFGetG(px[x]);
            rgb[3 * (size_t)x + 2] = (uint8_t)TIFFGetB(px[x]);
        }
        vgi_sink_put_row(sink, y0 + r, rgb, 3);
    }
}

static vg_status read_bands(TIFF *tif, TIFFRGBAImage *ri, tiff_src *s, const vgi_ctx *ctx,
                            vgi_sink *sink, vg_error *err)
{
    uint32_t w = ri->width, h = ri->height, band = band_rows(tif, w, h);
    uint32_t *raster = malloc((size_t)w * band * 4);
    uint8_t *rgb = malloc((size_t)w * 3);
    vg_status st = VG_OK;

    if (!raster || !rgb)
        st = vg_errorf(err, VG_ERR_NOMEM, "TIFF: no memory for %u rows of %u pixels", band, w);
    for (uint32_t y0 = 0; st == VG_OK && y0 < h; y0 += band) {
        uint32_t n = h - y0 < band ? h - y0 : band;
        if ((st = vgi_check_deadline(ctx, err)) != VG_OK)
            break;
        ri->row_offset = (int)y0;
        ri->col_offset = 0;
        if (!TIFFRGBAImageGet(ri, raster, w, n)) {
            char what[64];
            s->short_read |= data_cut(tif, s->len);
            snprintf(what, sizeof what, "reading rows %u..%u", y0, y0 + n - 1);
            st = tiff_fail(s, what, err);
            break;
        }
        put_band(sink, raster, rgb, w, y0, n);
    }
    free(raster);
    free(rgb);
    return st;
}

/* Samples per pixel when the strips can go to the sink as they are: 8-bit
 * contiguous RGB(A) or grey(+alpha) in strips; 0 otherwise. */
static int direct_spp(TIFF *tif)
{
    uint16_t bps = 0, spp = 0, photo = 0, planar = PLANARCONFIG_CONTIG;

    if (TIFFIsTiled(tif) || !TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photo))
        return 0;
    TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bps);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
    TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &planar);
    if (bps != 8 || planar != PLANARCONFIG_CONTIG)
        return 0;
    if (photo == PHOTOMETRIC_RGB && (spp == 3 || spp == 4))
        return spp;
    if (photo == PHOTOMETRIC_MINISBLACK && (spp == 1 || spp == 2))
        return spp;
    return 0;
}

/* The direct path: strips decoded by libtiff, rows handed over unchanged,
 * so unassociated alpha is dropped rather than premultiplied. */
static vg_status read_strips(TIFF *tif, tiff_src *s, int spp, const vgi_ctx *ctx,
                             vgi_sink *sink, vg_error *err)
{
    uint32_t w = sink->src_w, h = sink->src_h, rps = 0;
    size_t row = (size_t)w * (size_t)spp;
    tmsize_t size = TIFFStripSize(tif);
    uint8_t *buf;
    vg_status st = VG_OK;

    TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &rps);
    if (rps == 0 || rps > h)
        rps = h;
    if (size <= 0 || (uint64_t)size < (uint64_t)row * rps)
        return vg_errorf(err, VG_ERR_CORRUPT, "TIFF: strip size %lld for %u rows of %zu bytes",
                         (long long)size, rps, row);
    if (!(buf = malloc((size_t)size)))
        return vg_errorf(err, VG_ERR_NOMEM, "TIFF: no memory for a strip of %lld bytes",
                         (long long)size);
    for (uint32_t y0 = 0, strip = 0; y0 < h; y0 += rps, strip++) {
        uint32_t n = h - y0 < rps ? h - y0 : rps;
        if ((st = vgi_check_deadline(ctx, err)) != VG_OK)
            break;
        if (TIFFReadEncodedStrip(tif, strip, buf, (tmsize_t)(row * n)) < (tmsize_t)(row * n)) {
            char what[48];
            snprintf(what, sizeof what, "reading strip %u", strip);
            s->short_read |= data_cut(tif, s->len);
            st = tiff_fail(s, what, err);
            break;
        }
        for (uint32_t r = 0; r < n; r++)
            if (vgi_sink_wants_row(sink, y0 + r))
                vgi_sink_put_row(sink, y0 + r, buf + row * r, spp);
    }
    free(buf);
    return st;
}

static vg_status tiff_pixels(TIFF *tif, tiff_src *s, const vgi_ctx *ctx, vg_image *img,
                             vg_error *err)
{
    TIFFRGBAImage ri;
    char emsg[1024] = "";
    vgi_sink sink;
    vg_status st;
    int spp = direct_spp(tif);

    if (spp) {
        if ((st = vgi_sink_init(&sink, ctx, img, img->width, img->height, err)) != VG_OK)
            return st;
        st = read_strips(tif, s, spp, ctx, &sink, err);
        vgi_sink_done(&sink);
        return st;
    }
    if (!TIFFRGBAImageOK(tif, emsg))
        return vg_errorf(err, VG_ERR_UNSUPPORTED, "TIFF: %s", emsg);
    if (!TIFFRGBAImageBegin(&ri, tif, 1, emsg))
        return vg_errorf(err, s->short_read || data_cut(tif, s->len) ? VG_ERR_TRUNCATED
                                                                       : VG_ERR_CORRUPT,
                         "TIFF: %s", emsg[0] ? emsg : s->msg);
    ri.req_orientation = ri.orientation; /* rows as stored */
    img->has_alpha = ri.alpha != 0;
    if (ri.width != img->width || ri.height != img->height)
        st = vg_errorf(err, VG_ERR_CORRUPT, "TIFF: image is %ux%u, header said %ux%u", ri.width,
                       ri.height, img->width, img->height);
    else if ((st = vgi_sink_init(&sink, ctx, img, ri.width, ri.height, err)) == VG_OK) {
        st = read_bands(tif, &ri, s, ctx, &sink, err);
        vgi_sink_done(&sink);
    }
    TIFFRGBAImageEnd(&ri);
    return st;
}

vg_status vgi_tiff_decode(const uint8_t *buf, size_t len, const vgi_ctx *ctx, vg_image *img,
                          vg_error *err)
{
    tiff_src s;
    TIFF *tif;
    vg_status st;
    uint16_t extra = 0, *kinds = NULL;

    memset(&s, 0, sizeof s);
    s.buf = buf;
    s.len = len;
    pthread_once(&silence_once, silence_globals);
    tif = tiff_open(&s, ctx);
    if (!tif) {
        s.short_read |= header_cut(buf, len);
        return tiff_fail(&s, "cannot open", err);
    }
    read_header(tif, img);
    if (TIFFGetField(tif, TIFFTAG_EXTRASAMPLES, &extra, &kinds) && extra > 0 && kinds)
        img->has_alpha = kinds[0] == EXTRASAMPLE_ASSOCALPHA || kinds[0] == EXTRASAMPLE_UNASSALPHA;
    st = vgi_check_dims(ctx, img->width, img->height, "TIFF", err);
    if (st == VG_OK && !ctx->opts->header_only)
        st = tiff_pixels(tif, &s, ctx, img, err);
    TIFFClose(tif);
    return st;
}
