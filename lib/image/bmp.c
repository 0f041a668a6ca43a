/* bmp.c - Windows and OS/2 bitmaps, parsed by hand.
 *
 * Headers: BITMAPCOREHEADER (12 bytes, OS/2 1.x: 16-bit sides, 3-byte
 * palette entries), OS/2 2.x (16 or 64), BITMAPINFOHEADER (40, masks after
 * it for BI_BITFIELDS), the Adobe V2/V3 (52/56) and V4/V5 (108/124), all
 * with masks inside. Pixels: 1/2/4/8-bit palette, 16/32-bit with masks
 * (default 5-5-5 and 8-8-8), 24-bit BGR, RLE8 and RLE4; rows bottom-up unless
 * the height is negative. Embedded JPEG/PNG and OS/2 Huffman/RLE24 are
 * VG_ERR_UNSUPPORTED.
 *
 * Every offset and size is checked against the buffer before use; counts
 * come from the header only after they are bounded. Pixel data that starts
 * past the end of the file is VG_ERR_TRUNCATED when the header's file size
 * says the file was longer (or is 0), else VG_ERR_CORRUPT. Uncompressed
 * data must hold every row (the last row's padding may be missing); RLE data
 * that ends before the end-of-bitmap code and the last row is
 * VG_ERR_TRUNCATED. Pixels an RLE delta skips take palette entry 0. */
#include <stdlib.h>
#include <string.h>

#include "image_int.h"

enum { BI_RGB = 0, BI_RLE8 = 1, BI_RLE4 = 2, BI_BITFIELDS = 3, BI_JPEG = 4, BI_PNG = 5,
       BI_ALPHABITFIELDS = 6 };

typedef struct bmp_field {
    uint32_t mask, shift, max;
} bmp_field;

typedef struct bmp_hdr {
    uint32_t off, file_size, hs, pal_start;
    uint32_t w, h;
    int topdown, core;
    unsigned bpp, comp;
    bmp_field f[4]; /* R, G, B, A */
    uint8_t pal[256][3];
} bmp_hdr;

static uint32_t le16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
    return le16(p) | le16(p + 2) << 16;
}

static void set_field(bmp_field *f, uint32_t mask)
{
    f->mask = mask;
    f->shift = 0;
    while (mask && !(mask & 1)) {
        mask >>= 1;
        f->shift++;
    }
    f->max = mask;
}

static uint8_t field(uint32_t v, const bmp_field *f)
{
    if (!f->max)
        return 0;
    return (uint8_t)((((uint64_t)((v & f->mask) >> f->shift)) * 255 + f->max / 2) / f->max);
}

static int mask_bits(uint32_t max)
{
    int n = 0;
    for (; max; max >>= 1)
        n++;
    return n;
}

/* Sides and format fields; the core header has unsigned 16-bit sides. */
static vg_status parse_dims(const uint8_t *d, bmp_hdr *b, vg_error *err)
{
    int32_t w, h;

    if (b->core) {
        b->w = le16(d + 4);
        b->h = le16(d + 6);
        b->bpp = le16(d + 10);
        return VG_OK;
    }
    w = (int32_t)le32(d + 4);
    h = (int32_t)le32(d + 8);
    b->bpp = le16(d + 14);
    b->comp = b->hs >= 20 ? le32(d + 16) : BI_RGB;
    if (w < 0 || h == INT32_MIN)
        return vg_errorf(err, VG_ERR_CORRUPT, "BMP: impossible size %dx%d", w, h);
    b->w = (uint32_t)w;
    b->topdown = h < 0;
    b->h = (uint32_t)(h < 0 ? -h : h);
    return VG_OK;
}

static vg_status check_format(const bmp_hdr *b, vg_error *err)
{
    unsigned bpp = b->bpp, c = b->comp;
    int os2 = b->hs == 16 || b->hs == 64;

    if (bpp != 1 && bpp != 2 && bpp != 4 && bpp != 8 && bpp != 16 && bpp != 24 && bpp != 32)
        return vg_errorf(err, VG_ERR_CORRUPT, "BMP: %u bits per pixel", bpp);
    if (c == BI_JPEG || c == BI_PNG || (os2 && c > BI_RLE4))
        return vg_errorf(err, VG_ERR_UNSUPPORTED, "BMP: compression %u (%s) not supported", c,
                         os2 ? "OS/2 Huffman or RLE24" : "embedded JPEG or PNG");
    if (c > BI_ALPHABITFIELDS)
        return vg_errorf(err, VG_ERR_UNSUPPORTED, "BMP: unknown compression %u", c);
    if ((c == BI_RLE8 && bpp != 8) || (c == BI_RLE4 && bpp != 4) ||
        ((c == BI_BITFIELDS || c == BI_ALPHABITFIELDS) && bpp != 16 && bpp != 32))
        return vg_errorf(err, VG_ERR_CORRUPT, "BMP: compression %u with %u bits per pixel", c,
                         bpp);
    return VG_OK;
}

/* Colour masks: in the header from V2 (52 bytes) on, after a 40-byte header
 * for BI_BITFIELDS, else the defaults for 16 and 32 bits. Sets pal_start. */
static vg_status parse_masks(const uint8_t *buf, size_t len, bmp_hdr *b, vg_error *err)
{
    int bitfields = b->comp == BI_BITFIELDS || b->comp == BI_ALPHABITFIELDS;
    size_t at = 14 + 40;
    unsigned n = 0;

    b->pal_start = 14 + b->hs;
    if (bitfields && b->hs == 40) {
        n = b->comp == BI_ALPHABITFIELDS ? 4 : 3;
        b->pal_start += 4 * n;
        if (len < at + 4 * n)
            return vg_errorf(err, VG_ERR_TRUNCATED, "BMP: file ends in the colour masks");
    } else if (bitfields && b->hs >= 52) {
        n = b->hs >= 56 ? 4 : 3;
    } else if (bitfields) {
        return vg_errorf(err, VG_ERR_CORRUPT, "BMP: bit fields with a %u-byte header", b->hs);
    }
    if (n) {
        for (unsigned i = 0; i < n; i++)
            set_field(&b->f[i], le32(buf + at + 4 * i));
    } else if (b->bpp == 16) {
        set_field(&b->f[0], 0x7c00), set_field(&b->f[1], 0x03e0), set_field(&b->f[2], 0x001f);
    } else {
        set_field(&b->f[0], 0xff0000), set_field(&b->f[1], 0xff00), set_field(&b->f[2], 0xff);
    }
    return VG_OK;
}

static vg_status parse_palette(const uint8_t *buf, size_t len, bmp_hdr *b, vg_error *err)
{
    unsigned entry = b->core ? 3 : 4, max, n = 0;

    if (b->bpp > 8)
        return VG_OK;
    max = 1u << b->bpp;
    if (!b->core && b->hs >= 36)
        n = le32(buf + 14 + 32); /* biClrUsed */
    if (n == 0 || n > max)
        n = max;
    if (b->off >= b->pal_start && (b->off - b->pal_start) / entry < n)
        n = (b->off - b->pal_start) / entry; /* some writers cut the palette short */
    if (len < b->pal_start || (len - b->pal_start) / entry < n)
        return vg_errorf(err, VG_ERR_TRUNCATED, "BMP: file ends in the palette (offset %u)",
                         b->pal_start);
    for (unsigned i = 0; i < n; i++) {
        const uint8_t *p = buf + b->pal_start + (size_t)i * entry;
        b->pal[i][0] = p[2];
        b->pal[i][1] = p[1];
        b->pal[i][2] = p[0];
    }
    return VG_OK;
}

static vg_status parse_header(const uint8_t *buf, size_t len, bmp_hdr *b, vg_error *err)
{
    vg_status st;

    memset(b, 0, sizeof *b);
    if (len < 18)
        return vg_errorf(err, VG_ERR_TRUNCATED, "BMP: file ends in the header (%zu bytes)", len);
    b->file_size = le32(buf + 2);
    b->off = le32(buf + 10);
    b->hs = le32(buf + 14);
    b->core = b->hs == 12;
    if (b->hs < 12 || b->hs > 124 || (b->hs > 12 && b->hs < 16))
        return vg_errorf(err, VG_ERR_CORRUPT, "BMP: header size %u", b->hs);
    if (len - 14 < b->hs)
        return vg_errorf(err, VG_ERR_TRUNCATED, "BMP: file ends in the %u-byte header", b->hs);
    if ((st = parse_dims(buf + 14, b, err)) != VG_OK || (st = check_format(b, err)) != VG_OK ||
        (st = parse_masks(buf, len, b, err)) != VG_OK)
        return st;
    return parse_palette(buf, len, b, err);
}

/* One stored row of w pixels to RGB. */
static void row_rgb(const bmp_hdr *b, const uint8_t *src, uint8_t *dst)
{
    unsigned bpp = b->bpp;

    for (uint32_t x = 0; x < b->w; x++, dst += 3) {
        uint32_t v;
        if (bpp <= 8) {
            size_t bit = (size_t)x * bpp;
            v = (src[bit / 8] >> (8 - bpp - bit % 8)) & ((1u << bpp) - 1);
            memcpy(dst, b->pal[v], 3);
            continue;
        }
        if (bpp == 24) {
            const uint8_t *p = src + (size_t)x * 3;
            dst[0] = p[2], dst[1] = p[1], dst[2] = p[0];
            continue;
        }
        v = bpp == 16 ? le16(src + (size_t)x * 2) : le32(src + (size_t)x * 4);
        dst[0] = field(v, &b->f[0]), dst[1] = field(v, &b->f[1]), dst[2] = field(v, &b->f[2]);
    }
}

/* The output row of stored row s (stored bottom-up unless top-down). */
static uint32_t out_row(const bmp_hdr *b, uint32_t s)
{
    return b->topdown ? s : b->h - 1 - s;
}

static vg_status decode_plain(const uint8_t *buf, size_t len, const bmp_hdr *b, vgi_sink *sink,
                              uint8_t *rgb, const vgi_ctx *ctx, vg_error *err)
{
    uint64_t stride = (((uint64_t)b->w * b->bpp + 31) / 32) * 4, need;
    vg_status st;

    if (b->h > 1 && stride > (len - b->off) / (b->h - 1)) /* also keeps need from wrapping */
        return vg_errorf(err, VG_ERR_TRUNCATED,
                         "BMP: pixel data at offset %u needs %u rows of %llu bytes, file has %zu",
                         b->off, b->h, (unsigned long long)stride, len - b->off);
    need = stride * (b->h - 1) + ((uint64_t)b->w * b->bpp + 7) / 8;
    if (len - b->off < need)
        return vg_errorf(err, VG_ERR_TRUNCATED,
                         "BMP: pixel data at offset %u needs %llu bytes, file has %zu", b->off,
                         (unsigned long long)need, len - b->off);
    for (uint32_t s = 0; s < b->h; s++) {
        uint32_t y = out_row(b, s);
        if (!vgi_sink_wants_row(sink, y))
            continue;
        if ((st = vgi_check_deadline(ctx, err)) != VG_OK)
            return st;
        row_rgb(b, buf + b->off + stride * s, rgb);
        vgi_sink_put_row(sink, y, rgb, 3);
    }
    return VG_OK;
}

typedef struct rle_state {
    const bmp_hdr *b;
    vgi_sink *sink;
    uint8_t *idx, *rgb; /* one row of indices, one of RGB */
    uint32_t x, s;      /* position: column, stored row */
} rle_state;

static void rle_emit(rle_state *r)
{
    uint32_t y = out_row(r->b, r->s);
    if (vgi_sink_wants_row(r->sink, y)) {
        for (uint32_t x = 0; x < r->b->w; x++)
            memcpy(r->rgb + 3 * (size_t)x, r->b->pal[r->idx[x]], 3);
        vgi_sink_put_row(r->sink, y, r->rgb, 3);
    }
    memset(r->idx, 0, r->b->w);
    r->s++;
    r->x = 0;
}

static void rle_put(rle_state *r, unsigned v)
{
    if (r->x < r->b->w)
        r->idx[r->x] = (uint8_t)v;
    r->x++;
}

/* Escape 0 n: end of line (0), of bitmap (1), delta (2), else n literals.
 * Returns 1 to go on, 0 at the end, -1 when the data ends early. */
static int rle_escape(rle_state *r, const uint8_t *d, size_t len, size_t *p, unsigned n)
{
    int rle4 = r->b->comp == BI_RLE4;
    uint32_t dy;

    if (n == 0) {
        rle_emit(r);
        return 1;
    }
    if (n == 1)
        return 0;
    if (n == 2) {
        if (len - *p < 2)
            return -1;
        r->x += d[*p];
        dy = d[*p + 1];
        *p += 2;
        for (; dy && r->s < r->b->h; dy--) {
            uint32_t x = r->x;
            rle_emit(r);
            r->x = x;
        }
        return 1;
    }
    size_t bytes = rle4 ? (n + 1) / 2 : n;
    bytes += bytes & 1; /* literal runs are padded to 16 bits */
    if (len - *p < bytes)
        return -1;
    for (unsigned i = 0; i < n; i++)
        rle_put(r, rle4 ? (d[*p + i / 2] >> (i & 1 ? 0 : 4)) & 15 : d[*p + i]);
    *p += bytes;
    return 1;
}

static vg_status decode_rle(const uint8_t *buf, size_t len, const bmp_hdr *b, vgi_sink *sink,
                            uint8_t *rgb, const vgi_ctx *ctx, vg_error *err)
{
    rle_state r = {b, sink, calloc(1, b->w), rgb, 0, 0};
    const uint8_t *d = buf + b->off;
    size_t n = len - b->off, p = 0;
    int go = 1;
    uint32_t ops = 0;
    vg_status st = VG_OK;

    if (!r.idx)
        return vg_errorf(err, VG_ERR_NOMEM, "BMP: no memory for a row of %u pixels", b->w);
    while (go > 0 && r.s < b->h) {
        if ((++ops & 4095) == 0 && (st = vgi_check_deadline(ctx, err)) != VG_OK)
            break;
        if (n - p < 2) {
            go = -1;
            break;
        }
        unsigned count = d[p], v = d[p + 1];
        p += 2;
        if (count == 0) {
            go = rle_escape(&r, d, n, &p, v);
            continue;
        }
        for (unsigned i = 0; i < count; i++)
            rle_put(&r, b->comp == BI_RLE4 ? (i & 1 ? v & 15 : v >> 4) : v);
    }
    while (st == VG_OK && go >= 0 && r.s < b->h)
        rle_emit(&r); /* rows after the end-of-bitmap code stay entry 0 */
    free(r.idx);
    if (st == VG_OK && go < 0)
        st = vg_errorf(err, VG_ERR_TRUNCATED, "BMP: RLE data ends at offset %zu in row %u",
                       (size_t)b->off + p, r.s);
    return st;
}

static vg_status check_offset(const bmp_hdr *b, size_t len, vg_error *err)
{
    if (b->off < b->pal_start && !(b->bpp > 8 && b->off >= 14 + b->hs))
        return vg_errorf(err, VG_ERR_CORRUPT, "BMP: pixel data offset %u inside the headers",
                         b->off);
    if (b->off >= len)
        return vg_errorf(err, b->file_size == 0 || b->file_size > len ? VG_ERR_TRUNCATED
                                                                      : VG_ERR_CORRUPT,
                         "BMP: pixel data offset %u is past the end of the %zu-byte file",
                         b->off, len);
    return VG_OK;
}

vg_status vgi_bmp_decode(const uint8_t *buf, size_t len, const vgi_ctx *ctx, vg_image *img,
                         vg_error *err)
{
    bmp_hdr b;
    vgi_sink sink;
    uint8_t *rgb;
    vg_status st;

    if ((st = parse_header(buf, len, &b, err)) != VG_OK)
        return st;
    img->width = b.w;
    img->height = b.h;
    img->frames = 1;
    img->has_alpha = b.f[3].max != 0;
    img->bit_depth = b.bpp <= 8 ? (int)b.bpp : b.bpp == 24 ? 8 : mask_bits(b.f[1].max);
    if ((st = vgi_check_dims(ctx, b.w, b.h, "BMP", err)) != VG_OK || ctx->opts->header_only)
        return st;
    if ((st = check_offset(&b, len, err)) != VG_OK)
        return st;
    if ((st = vgi_sink_init(&sink, ctx, img, b.w, b.h, err)) != VG_OK)
        return st;
    rgb = malloc((size_t)b.w * 3);
    if (!rgb)
        st = vg_errorf(err, VG_ERR_NOMEM, "BMP: no memory for a row of %u pixels", b.w);
    else if (b.comp == BI_RLE8 || b.comp == BI_RLE4)
        st = decode_rle(buf, len, &b, &sink, rgb, ctx, err);
    else
        st = decode_plain(buf, len, &b, &sink, rgb, ctx, err);
    free(rgb);
    vgi_sink_done(&sink);
    return st;
}
