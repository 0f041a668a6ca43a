/* thumb.c - previews: decode small, area-average, optionally grey and blur,
 * encode as JPEG. The blur is what spares an examiner's eyes, so it is strong
 * (three box passes approximate a Gaussian) and done before encoding: the
 * clear picture never leaves this function when blur is asked for. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#include "vigil/thumb.h"

typedef struct plane {
    uint32_t w, h;
    int ch;      /* 1 or 3 */
    uint8_t *px; /* w * h * ch, top row first */
} plane;

/* The JPEG DCT scale that keeps the long side at least twice the preview's,
 * so that the area average still sees real detail. */
static int pick_denom(uint32_t w, uint32_t h, unsigned side)
{
    uint32_t longest = w > h ? w : h;
    for (int d = 8; d > 1; d /= 2)
        if (longest / (uint32_t)d >= 2 * side)
            return d;
    return 1;
}

static vg_status decode(const uint8_t *buf, size_t len, const vg_thumb_opts *o, unsigned side,
                        vg_image *img, vg_error *err)
{
    vg_decode_opts d = {.limits = o->limits, .header_only = 1};
    vg_status st = vg_image_decode(buf, len, &d, img, err);
    if (st != VG_OK)
        return st;
    d.header_only = 0;
    d.grey = o->grey;
    d.scale_denom = img->type == VG_IMAGE_JPEG ? pick_denom(img->width, img->height, side) : 1;
    vg_image_free(img);
    st = vg_image_decode(buf, len, &d, img, err);
    if (st == VG_OK && (!img->pixels || img->pix_width == 0 || img->pix_height == 0)) {
        vg_image_free(img);
        return vg_errorf(err, VG_ERR_CORRUPT, "the picture decoded to no pixels");
    }
    return st;
}

static unsigned luma(const uint8_t *p, int channels)
{
    if (channels < 3)
        return p[0];
    return (77u * p[0] + 150u * p[1] + 29u * p[2] + 128u) >> 8;
}

/* Sum of channel c (or luma when out has one channel and img three) over a
 * source box. */
static uint64_t box_sum(const vg_image *img, uint32_t x0, uint32_t x1, uint32_t y0, uint32_t y1,
                        int c, int out_ch)
{
    uint64_t sum = 0;
    for (uint32_t sy = y0; sy < y1; sy++) {
        const uint8_t *row = img->pixels + (size_t)sy * img->stride;
        for (uint32_t sx = x0; sx < x1; sx++) {
            const uint8_t *p = row + (size_t)sx * (size_t)img->channels;
            sum += out_ch == 1 ? luma(p, img->channels) : p[img->channels < 3 ? 0 : c];
        }
    }
    return sum;
}

/* Area average of img into at most side pixels on the long side. */
static vg_status shrink(const vg_image *img, unsigned side, int ch, plane *g, vg_error *err)
{
    uint32_t w = img->pix_width, h = img->pix_height, longest = w > h ? w : h;
    uint32_t tw = w, th = h;
    if (longest > side) {
        tw = (uint32_t)(((uint64_t)w * side + longest / 2) / longest);
        th = (uint32_t)(((uint64_t)h * side + longest / 2) / longest);
    }
    g->w = tw ? tw : 1;
    g->h = th ? th : 1;
    g->ch = ch;
    g->px = malloc((size_t)g->w * g->h * (size_t)ch);
    if (!g->px)
        return vg_errorf(err, VG_ERR_NOMEM, "no memory for a preview");
    for (uint32_t y = 0; y < g->h; y++) {
        uint32_t y0 = (uint32_t)((uint64_t)y * h / g->h), y1 = (uint32_t)((uint64_t)(y + 1) * h / g->h);
        if (y1 <= y0)
            y1 = y0 + 1;
        for (uint32_t x = 0; x < g->w; x++) {
            uint32_t x0 = (uint32_t)((uint64_t)x * w / g->w), x1 = (uint32_t)((uint64_t)(x + 1) * w / g->w);
            if (x1 <= x0)
                x1 = x0 + 1;
            uint64_t n = (uint64_t)(x1 - x0) * (y1 - y0);
            for (int c = 0; c < ch; c++)
                g->px[((size_t)y * g->w + x) * (size_t)ch + (size_t)c] =
                    (uint8_t)((box_sum(img, x0, x1, y0, y1, c, ch) + n / 2) / n);
        }
    }
    return VG_OK;
}

/* One box blur of radius r along n samples at stride step (edges clamped). */
static void box_line(uint8_t *p, size_t n, size_t step, int r, uint8_t *tmp)
{
    long sum = 0, div = 2L * r + 1;
    for (size_t i = 0; i < n; i++)
        tmp[i] = p[i * step];
    for (long k = -r; k <= r; k++)
        sum += tmp[k < 0 ? 0 : ((size_t)k >= n ? n - 1 : (size_t)k)];
    for (size_t i = 0; i < n; i++) {
        p[i * step] = (uint8_t)((sum + div / 2) / div);
        long out = (long)i - r, in = (long)i + r + 1;
        sum -= tmp[out < 0 ? 0 : (size_t)out];
        sum += tmp[(size_t)in >= n ? n - 1 : (size_t)in];
    }
}

static vg_status blur(plane *g, vg_error *err)
{
    uint32_t longest = g->w > g->h ? g->w : g->h;
    int r = (int)(longest / 16) > 1 ? (int)(longest / 16) : 1;
    size_t ch = (size_t)g->ch;
    uint8_t *tmp = malloc(longest);
    if (!tmp)
        return vg_errorf(err, VG_ERR_NOMEM, "no memory for a preview");
    for (int pass = 0; pass < 3; pass++)
        for (size_t c = 0; c < ch; c++) {
            for (uint32_t y = 0; y < g->h; y++)
                box_line(g->px + (size_t)y * g->w * ch + c, g->w, ch, r, tmp);
            for (uint32_t x = 0; x < g->w; x++)
                box_line(g->px + (size_t)x * ch + c, g->h, (size_t)g->w * ch, r, tmp);
        }
    free(tmp);
    return VG_OK;
}

typedef struct jerr {
    struct jpeg_error_mgr mgr;
    jmp_buf jb;
} jerr;

static void jerr_exit(j_common_ptr c)
{
    longjmp(((jerr *)c->err)->jb, 1);
}

static vg_status encode(const plane *g, int quality, uint8_t **jpeg, size_t *jpeg_len,
                        vg_error *err)
{
    struct jpeg_compress_struct c;
    jerr je;
    unsigned char *volatile mem = NULL;
    unsigned long memlen = 0;

    c.err = jpeg_std_error(&je.mgr);
    je.mgr.error_exit = jerr_exit;
    if (setjmp(je.jb)) {
        jpeg_destroy_compress(&c);
        free(mem);
        return vg_errorf(err, VG_ERR_INTERNAL, "encoding a preview failed");
    }
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, (unsigned char **)&mem, &memlen);
    c.image_width = g->w;
    c.image_height = g->h;
    c.input_components = g->ch;
    c.in_color_space = g->ch == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, quality, TRUE);
    jpeg_start_compress(&c, TRUE);
    while (c.next_scanline < c.image_height) {
        JSAMPROW row = g->px + (size_t)c.next_scanline * g->w * (size_t)g->ch;
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    *jpeg = mem;
    *jpeg_len = memlen;
    return VG_OK;
}

/* Turns g as EXIF orientation o (2..8) says: output pixel (x, y) takes the
 * source pixel the table maps it to (5..8 swap the sides). */
static vg_status orient(plane *g, int o, vg_error *err)
{
    uint32_t w = g->w, h = g->h, ow = o >= 5 ? h : w, oh = o >= 5 ? w : h;
    size_t ch = (size_t)g->ch;
    uint8_t *px;

    if (o < 2 || o > 8)
        return VG_OK;
    if (!(px = malloc((size_t)w * h * ch)))
        return vg_errorf(err, VG_ERR_NOMEM, "no memory for a preview");
    for (uint32_t y = 0; y < oh; y++)
        for (uint32_t x = 0; x < ow; x++) {
            uint32_t sx, sy;
            switch (o) {
            case 2: sx = w - 1 - x; sy = y; break;
            case 3: sx = w - 1 - x; sy = h - 1 - y; break;
            case 4: sx = x; sy = h - 1 - y; break;
            case 5: sx = y; sy = x; break;
            case 6: sx = y; sy = h - 1 - x; break;
            case 7: sx = w - 1 - y; sy = h - 1 - x; break;
            default: sx = w - 1 - y; sy = x; break; /* 8 */
            }
            memcpy(px + ((size_t)y * ow + x) * ch, g->px + ((size_t)sy * w + sx) * ch, ch);
        }
    free(g->px);
    g->px = px;
    g->w = ow;
    g->h = oh;
    return VG_OK;
}

/* Encodes g as o wants it: turned upright, blurred, at o's quality. */
static vg_status finish(plane *g, int orientation, const vg_thumb_opts *o, uint8_t **jpeg,
                        size_t *jpeg_len, vg_error *err)
{
    vg_status st = VG_OK;
    int quality = o->quality >= 1 && o->quality <= 100 ? o->quality : 75;

    if (o->upright)
        st = orient(g, orientation, err);
    if (st == VG_OK && o->blur)
        st = blur(g, err);
    if (st == VG_OK)
        st = encode(g, quality, jpeg, jpeg_len, err);
    return st;
}

vg_status vg_thumb_from_image(const vg_image *img, const vg_thumb_opts *o, uint8_t **jpeg,
                              size_t *jpeg_len, vg_error *err)
{
    vg_thumb_opts def = {0};
    plane g;
    size_t n;
    vg_status st;

    *jpeg = NULL;
    *jpeg_len = 0;
    if (!o)
        o = &def;
    if (!img->thumb || !img->thumb_w || !img->thumb_h)
        return vg_errorf(err, VG_ERR_ARG, "the decode gathered no preview");
    n = (size_t)img->thumb_w * img->thumb_h;
    g.w = img->thumb_w;
    g.h = img->thumb_h;
    g.ch = o->grey || img->thumb_channels < 3 ? 1 : 3;
    if (!(g.px = malloc(n * (size_t)g.ch)))
        return vg_errorf(err, VG_ERR_NOMEM, "no memory for a preview");
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p = img->thumb + i * (size_t)img->thumb_channels;
        if (g.ch == 3)
            memcpy(g.px + 3 * i, p, 3);
        else
            g.px[i] = (uint8_t)luma(p, img->thumb_channels);
    }
    st = finish(&g, img->orientation, o, jpeg, jpeg_len, err);
    free(g.px);
    return st;
}

vg_status vg_thumb_make(const uint8_t *buf, size_t len, const vg_thumb_opts *o, uint8_t **jpeg,
                        size_t *jpeg_len, vg_error *err)
{
    vg_thumb_opts def = {0};
    unsigned side;
    vg_image img;
    plane g = {0, 0, 1, NULL};
    vg_status st;

    *jpeg = NULL;
    *jpeg_len = 0;
    if (!o)
        o = &def;
    side = o->side ? o->side : VG_THUMB_SIDE;
    if ((st = decode(buf, len, o, side, &img, err)) != VG_OK)
        return st;
    st = shrink(&img, side, o->grey || img.channels < 3 ? 1 : 3, &g, err);
    int orientation = img.orientation;
    vg_image_free(&img);
    if (st == VG_OK)
        st = finish(&g, orientation, o, jpeg, jpeg_len, err);
    free(g.px);
    return st;
}
