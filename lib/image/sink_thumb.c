/* sink_thumb.c - a preview gathered while a picture is decoded for PDQ, so
 * that a scan's previews cost no second decode.
 *
 * Each preview pixel averages the decoded pixels that fall in its box, taking
 * every tstep-th column of each row the decoder delivers. When the PDQ
 * pre-shrink lets decoders skip rows, the rows delivered are still spread
 * evenly (at least 512 of them), so every preview row gets several; the
 * column step keeps about four samples per preview column. What the average
 * loses against a full area average is invisible at 160 pixels, and the
 * blurred variant shown by default loses it anyway.
 *
 * Sums fit 32 bits: a preview pixel gets at most (rows delivered per preview
 * row) x (samples per preview column) samples of at most 255, and with rows
 * bounded by 512 when shrinking (by 512 in all when not) and about four
 * columns, that stays far below 2^32 / 255. */
#include <stdlib.h>
#include <string.h>

#include "image_int.h"

vg_status vgi_thumb_start(vgi_sink *s, uint32_t side, vg_error *err)
{
    uint32_t w = s->src_w, h = s->src_h, longest = w > h ? w : h;
    size_t n;

    s->tw = w;
    s->th = h;
    if (longest > side) {
        s->tw = (uint32_t)(((uint64_t)w * side + longest / 2) / longest);
        s->th = (uint32_t)(((uint64_t)h * side + longest / 2) / longest);
    }
    if (!s->tw)
        s->tw = 1;
    if (!s->th)
        s->th = 1;
    s->tstep = w / (s->tw * 4u);
    if (!s->tstep)
        s->tstep = 1;
    n = (size_t)s->tw * s->th;
    s->tsum = calloc(n * 3, sizeof *s->tsum);
    s->tcount = calloc(n, sizeof *s->tcount);
    if (!s->tsum || !s->tcount)
        return vg_errorf(err, VG_ERR_NOMEM, "no memory for a %ux%u preview", s->tw, s->th);
    return VG_OK;
}

void vgi_thumb_row(vgi_sink *s, uint32_t y, const uint8_t *row, int in_channels)
{
    uint32_t ty = (uint32_t)((uint64_t)y * s->th / s->src_h);
    uint32_t *sum = s->tsum + (size_t)ty * s->tw * 3, *count = s->tcount + (size_t)ty * s->tw;
    int colour = in_channels >= 3;

    if (!colour)
        s->tgrey = 1;
    for (uint32_t x = 0; x < s->src_w; x += s->tstep) {
        uint32_t tx = (uint32_t)((uint64_t)x * s->tw / s->src_w);
        const uint8_t *p = row + (size_t)x * (size_t)in_channels;
        sum[3 * tx] += p[0];
        sum[3 * tx + 1] += p[colour ? 1 : 0];
        sum[3 * tx + 2] += p[colour ? 2 : 0];
        count[tx]++;
    }
}

void vgi_thumb_finish(vgi_sink *s)
{
    size_t n = (size_t)s->tw * s->th;
    vg_image *img = s->img;
    int ch = s->tgrey ? 1 : 3;
    uint8_t *px = NULL;

    if (!s->tsum)
        return;
    for (size_t i = 0; i < n; i++)
        if (!s->tcount[i])
            goto out; /* a row never came: a truncated or failed decode */
    if (!(px = malloc(n * (size_t)ch)))
        goto out;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = s->tcount[i];
        for (int k = 0; k < ch; k++)
            px[i * (size_t)ch + (size_t)k] = (uint8_t)((s->tsum[3 * i + (size_t)k] + c / 2) / c);
    }
    free(img->thumb);
    img->thumb = px;
    img->thumb_w = s->tw;
    img->thumb_h = s->th;
    img->thumb_channels = ch;
out:
    free(s->tsum);
    free(s->tcount);
    s->tsum = s->tcount = NULL;
}
