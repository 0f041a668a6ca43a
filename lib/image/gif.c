/* gif.c - GIF: the first frame through giflib, frames counted by a block walk.
 *
 * What is decoded: the first image composited onto the logical screen, as a
 * viewer shows it before any animation. The canvas is the logical screen,
 * grown to hold the first image when that sticks out (some encoders write a
 * zero or too small screen); the area the image does not cover takes the
 * global colour map's background colour (black when there is none). Pixels
 * of the transparent index keep their colour-map colour, as alpha is dropped
 * everywhere else too. Indices beyond the colour map are black; an image with
 * no colour map at all is read as a grey ramp (index i = grey i).
 *
 * Frames are counted by our own walk of the block structure rather than by
 * giflib, whose DGifGetImageDesc keeps a record of every image (memory grows
 * with the count). The walk is lenient after the first image: a stream that
 * is cut or garbled later still yields the first frame, with the frames seen
 * so far. Up to the end of the first image's data, a cut is
 * VG_ERR_TRUNCATED and a bad block is VG_ERR_CORRUPT. */
#include <gif_lib.h>
#include <string.h>
#include <stdlib.h>

#include "image_int.h"

typedef struct gif_walk {
    uint32_t sw, sh;          /* logical screen */
    int bg;                   /* background index, -1 without a global map */
    uint32_t left, top, w, h; /* first image */
    int transparent;          /* a GCE before the first image sets it */
    uint32_t frames;
    vg_status st;             /* of the walk up to the end of the first image */
    size_t at;                /* the block where the walk stopped */
    size_t len;
} gif_walk;

typedef struct gif_src {
    const uint8_t *buf;
    size_t len, pos;
    int short_read;
} gif_src;

static uint32_t le16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

/* Skips data sub-blocks from *off; 0 when the file ends first. */
static int skip_subblocks(const uint8_t *b, size_t len, size_t *off)
{
    while (*off < len) {
        uint8_t n = b[(*off)++];
        if (n == 0)
            return 1;
        if (len - *off < n)
            return 0;
        *off += n;
    }
    return 0;
}

/* One image descriptor at off (after 0x2C): records the first, skips data. */
static vg_status walk_image(const uint8_t *b, size_t len, size_t *off, gif_walk *g)
{
    const uint8_t *d = b + *off;
    if (len - *off < 9)
        return VG_ERR_TRUNCATED;
    if (g->frames == 0) {
        g->left = le16(d);
        g->top = le16(d + 2);
        g->w = le16(d + 4);
        g->h = le16(d + 6);
    }
    *off += 9;
    if (d[8] & 0x80) {
        size_t ct = 3u << ((d[8] & 7) + 1);
        if (len - *off < ct)
            return VG_ERR_TRUNCATED;
        *off += ct;
    }
    if (len - *off < 1)
        return VG_ERR_TRUNCATED;
    if (b[*off] == 0 || b[*off] > 8) /* pixels have 8 bits at most (GIF89a 22) */
        return VG_ERR_CORRUPT;
    (*off)++;
    if (!skip_subblocks(b, len, off))
        return VG_ERR_TRUNCATED;
    g->frames++; /* complete images only */
    return VG_OK;
}

static vg_status walk_ext(const uint8_t *b, size_t len, size_t *off, gif_walk *g)
{
    if (len - *off < 1)
        return VG_ERR_TRUNCATED;
    if (b[*off] == 0xf9 && g->frames == 0 && len - *off >= 3 && b[*off + 1] >= 1)
        g->transparent = b[*off + 2] & 1;
    (*off)++;
    return skip_subblocks(b, len, off) ? VG_OK : VG_ERR_TRUNCATED;
}

static void walk(const uint8_t *b, size_t len, const vgi_ctx *ctx, gif_walk *g)
{
    size_t off = 13;
    vg_status st = VG_OK;

    memset(g, 0, sizeof *g);
    g->bg = -1;
    g->len = len;
    if (len < 13) {
        g->st = VG_ERR_TRUNCATED;
        return;
    }
    g->sw = le16(b + 6);
    g->sh = le16(b + 8);
    if (b[10] & 0x80) {
        g->bg = b[11];
        off += 3u << ((b[10] & 7) + 1);
    }
    for (uint32_t blocks = 0; st == VG_OK; blocks++) {
        if ((blocks & 1023) == 1023 && vgi_check_deadline(ctx, NULL) != VG_OK) {
            st = VG_ERR_LIMIT_TIME;
            break;
        }
        g->at = off;
        if (off >= len)
            st = VG_ERR_TRUNCATED;
        else if (b[off] == 0x3b)
            break;
        else if (b[off] == 0x2c)
            off++, st = walk_image(b, len, &off, g);
        else if (b[off] == 0x21)
            off++, st = walk_ext(b, len, &off, g);
        else
            st = VG_ERR_CORRUPT;
        if (st != VG_OK && g->frames >= 1) {
            st = VG_OK; /* lenient once the first image is complete */
            break;
        }
    }
    g->st = st;
}

static int gif_read(GifFileType *gf, GifByteType *out, int n)
{
    gif_src *s = gf->UserData;
    size_t k = (size_t)(n < 0 ? 0 : n);
    if (k > s->len - s->pos) {
        k = s->len - s->pos;
        s->short_read = 1;
    }
    memcpy(out, s->buf + s->pos, k);
    s->pos += k;
    return (int)k;
}

static vg_status gif_fail(int code, const gif_src *s, vg_error *err)
{
    const char *why = GifErrorString(code);
    vg_status st = code == D_GIF_ERR_NOT_ENOUGH_MEM ? VG_ERR_NOMEM
                   : s->short_read                  ? VG_ERR_TRUNCATED
                                                    : VG_ERR_CORRUPT;
    return vg_errorf(err, st, "GIF: %s at offset %zu", why ? why : "error", s->pos);
}

/* Advances giflib to the first image descriptor. */
static int seek_first_image(GifFileType *gf)
{
    GifRecordType rt;
    int code;
    GifByteType *ext;

    for (;;) {
        if (DGifGetRecordType(gf, &rt) == GIF_ERROR)
            return GIF_ERROR;
        if (rt == IMAGE_DESC_RECORD_TYPE)
            return DGifGetImageDesc(gf);
        if (rt != EXTENSION_RECORD_TYPE) {
            gf->Error = D_GIF_ERR_NO_IMAG_DSCR;
            return GIF_ERROR;
        }
        if (DGifGetExtension(gf, &code, &ext) == GIF_ERROR)
            return GIF_ERROR;
        while (ext)
            if (DGifGetExtensionNext(gf, &ext) == GIF_ERROR)
                return GIF_ERROR;
    }
}

static void fill_bg(uint8_t *row, uint32_t n, const ColorMapObject *cm, int bg)
{
    uint8_t c[3] = {0, 0, 0};
    if (cm && bg >= 0 && bg < cm->ColorCount) {
        c[0] = cm->Colors[bg].Red;
        c[1] = cm->Colors[bg].Green;
        c[2] = cm->Colors[bg].Blue;
    }
    for (uint32_t x = 0; x < n; x++)
        memcpy(row + 3 * (size_t)x, c, 3);
}

static void paint(uint8_t *dst, const GifPixelType *idx, uint32_t n, const ColorMapObject *cm)
{
    for (uint32_t x = 0; x < n; x++, dst += 3) {
        int i = idx[x];
        if (!cm)
            dst[0] = dst[1] = dst[2] = (uint8_t)i;
        else if (i < cm->ColorCount)
            dst[0] = cm->Colors[i].Red, dst[1] = cm->Colors[i].Green, dst[2] = cm->Colors[i].Blue;
        else
            dst[0] = dst[1] = dst[2] = 0;
    }
}

typedef struct gif_frame {
    GifFileType *gf;
    const gif_walk *w;
    vgi_sink *sink;
    uint8_t *bgrow, *row;
    GifPixelType *line;
    uint32_t cw, ch;
} gif_frame;

/* Source row of the n-th line in stream order (GIF89a appendix E interlace). */
static uint32_t line_row(uint32_t n, uint32_t h, int interlaced)
{
    static const uint32_t start[4] = {0, 4, 2, 1}, step[4] = {8, 8, 4, 2};
    if (!interlaced)
        return n;
    for (int p = 0; p < 4; p++) {
        uint32_t rows = h > start[p] ? (h - start[p] + step[p] - 1) / step[p] : 0;
        if (n < rows)
            return start[p] + n * step[p];
        n -= rows;
    }
    return h;
}

static vg_status put_frame(gif_frame *f, const gif_src *src, const vgi_ctx *ctx, vg_error *err)
{
    const GifImageDesc *d = &f->gf->Image;
    const ColorMapObject *cm = d->ColorMap ? d->ColorMap : f->gf->SColorMap;
    uint32_t top = (uint32_t)d->Top, left = (uint32_t)d->Left, h = (uint32_t)d->Height;
    vg_status st;

    fill_bg(f->bgrow, f->cw, f->gf->SColorMap, f->w->bg);
    for (uint32_t y = 0; y < f->ch; y++)
        if ((y < top || y >= top + h) && vgi_sink_wants_row(f->sink, y))
            vgi_sink_put_row(f->sink, y, f->bgrow, 3);
    for (uint32_t n = 0; n < h; n++) {
        uint32_t y = top + line_row(n, h, d->Interlace);
        if ((st = vgi_check_deadline(ctx, err)) != VG_OK)
            return st;
        if (DGifGetLine(f->gf, f->line, d->Width) == GIF_ERROR)
            return gif_fail(f->gf->Error, src, err);
        if (!vgi_sink_wants_row(f->sink, y))
            continue;
        memcpy(f->row, f->bgrow, (size_t)f->cw * 3);
        paint(f->row + (size_t)left * 3, f->line, (uint32_t)d->Width, cm);
        vgi_sink_put_row(f->sink, y, f->row, 3);
    }
    return VG_OK;
}

static vg_status decode_first(GifFileType *gf, const gif_src *src, const gif_walk *w,
                              const vgi_ctx *ctx, vg_image *img, vg_error *err)
{
    gif_frame f = {gf, w, NULL, NULL, NULL, NULL, img->width, img->height};
    vgi_sink sink;
    vg_status st;

    if (seek_first_image(gf) == GIF_ERROR)
        return gif_fail(gf->Error, src, err);
    if ((uint32_t)gf->Image.Width != w->w || (uint32_t)gf->Image.Height != w->h ||
        (uint32_t)gf->Image.Left != w->left || (uint32_t)gf->Image.Top != w->top)
        return vg_errorf(err, VG_ERR_INTERNAL, "GIF: image descriptor read differently");
    if ((st = vgi_sink_init(&sink, ctx, img, f.cw, f.ch, err)) != VG_OK)
        return st;
    f.sink = &sink;
    f.bgrow = malloc((size_t)f.cw * 3);
    f.row = malloc((size_t)f.cw * 3);
    f.line = malloc((size_t)w->w);
    if (f.bgrow && f.row && f.line)
        st = put_frame(&f, src, ctx, err);
    else
        st = vg_errorf(err, VG_ERR_NOMEM, "GIF: no memory for a row of %u pixels", f.cw);
    free(f.bgrow);
    free(f.row);
    free(f.line);
    vgi_sink_done(&sink);
    return st;
}

static vg_status walk_status(const gif_walk *w, vg_error *err)
{
    if (w->st == VG_ERR_TRUNCATED)
        return vg_errorf(err, w->st,
                         "GIF: file ends at offset %zu, in the block at %zu, before the end "
                         "of the first image", w->len, w->at);
    if (w->st == VG_ERR_LIMIT_TIME)
        return vg_errorf(err, w->st, "GIF: counting frames took too long (at offset %zu)",
                         w->at);
    if (w->st != VG_OK)
        return vg_errorf(err, w->st, "GIF: bad block or LZW code size at offset %zu", w->at);
    if (w->frames == 0)
        return vg_errorf(err, VG_ERR_CORRUPT, "GIF: no image in the file");
    if (w->w == 0 || w->h == 0)
        return vg_errorf(err, VG_ERR_CORRUPT, "GIF: first image is %ux%u", w->w, w->h);
    return VG_OK;
}

vg_status vgi_gif_decode(const uint8_t *buf, size_t len, const vgi_ctx *ctx, vg_image *img,
                         vg_error *err)
{
    gif_walk w;
    gif_src src = {buf, len, 0, 0};
    GifFileType *gf;
    int e = 0;
    vg_status st;

    walk(buf, len, ctx, &w);
    if ((st = walk_status(&w, err)) != VG_OK)
        return st;
    img->frames = w.frames;
    img->bit_depth = 8;
    img->has_alpha = w.transparent;
    img->width = w.sw > w.left + w.w ? w.sw : w.left + w.w;
    img->height = w.sh > w.top + w.h ? w.sh : w.top + w.h;
    if ((st = vgi_check_dims(ctx, img->width, img->height, "GIF", err)) != VG_OK ||
        ctx->opts->header_only)
        return st;
    gf = DGifOpen(&src, gif_read, &e);
    if (!gf)
        return gif_fail(e, &src, err);
    st = decode_first(gf, &src, &w, ctx, img, err);
    DGifCloseFile(gf, &e);
    return st;
}
