/* lsb.c - runs the LSB-replacement estimators per channel and decides which
 * channels can be trusted.
 *
 * The structural estimators assume a natural, never-lossy cover. They are
 * biased on saturated or flat regions, on palette-like images (few values:
 * the pair statistics are then dominated by the palette, not by noise) and
 * on images decompressed from JPEG, whose 8x8 quantisation grid correlates
 * neighbours in a way the cover model does not foresee. Such channels get a
 * reason instead of a trusted score (thresholds documented in docs/steg.md).
 */
#include <stdlib.h>
#include <string.h>

#include "steg_int.h"

#define MIN_PIXELS 4096
#define SATURATED_SHARE 0.10 /* values at 0 or 255 */
#define FLAT_SHARE 0.50      /* horizontal neighbours equal */
#define MIN_VALUES 64        /* distinct values per channel */
#define MIN_COLOURS 257      /* distinct RGB colours */
#define BLOCKY 1.10          /* 8x8 grid difference ratio */

const char *vg_steg_na_name(vg_steg_na na)
{
    switch (na) {
    case VG_STEG_ANALYSABLE: return "analysable";
    case VG_STEG_NA_SMALL: return "small";
    case VG_STEG_NA_SATURATED: return "saturated";
    case VG_STEG_NA_FLAT: return "flat";
    case VG_STEG_NA_PALETTE: return "palette";
    case VG_STEG_NA_JPEG_ORIGIN: return "jpeg-origin";
    }
    return "unknown";
}

static vg_steg_na channel_na(const vg_steg_pixels *px, int ch)
{
    uint64_t hist[256] = {0}, equal = 0, n = 0;
    int c = px->channels;
    uint32_t step = vgi_row_step(px, 1);
    for (uint32_t y = 0; y < px->height; y += step) {
        const uint8_t *r = vgi_row(px, y) + ch;
        for (uint32_t x = 0; x < px->width; x++) {
            hist[r[x * c]]++;
            equal += x && r[x * c] == r[(x - 1) * c];
        }
        n += px->width;
    }
    int distinct = 0;
    for (int i = 0; i < 256; i++)
        distinct += hist[i] != 0;
    if (distinct < MIN_VALUES)
        return VG_STEG_NA_PALETTE;
    if ((double)(hist[0] + hist[255]) > SATURATED_SHARE * (double)n)
        return VG_STEG_NA_SATURATED;
    if ((double)equal > FLAT_SHARE * (double)n)
        return VG_STEG_NA_FLAT;
    return VG_STEG_ANALYSABLE;
}

/* Distinct RGB colours, counted up to MIN_COLOURS. -1 when out of memory. */
static int few_colours(const vg_steg_pixels *px)
{
    uint8_t *seen = calloc(1u << 21, 1);
    if (!seen)
        return -1;
    int n = 0;
    uint32_t step = vgi_row_step(px, 1);
    for (uint32_t y = 0; y < px->height && n < MIN_COLOURS; y += step) {
        const uint8_t *r = vgi_row(px, y);
        for (uint32_t x = 0; x < px->width && n < MIN_COLOURS; x++) {
            const uint8_t *q = r + (size_t)x * px->channels;
            uint32_t v = (uint32_t)q[0] << 16 | (uint32_t)q[1] << 8 | q[2];
            if (!(seen[v >> 3] & (1u << (v & 7)))) {
                seen[v >> 3] |= (uint8_t)(1u << (v & 7));
                n++;
            }
        }
    }
    free(seen);
    return n < MIN_COLOURS;
}

/* Ratio of the mean absolute neighbour difference across the strongest 8-phase
 * to the mean over the other seven, horizontally and vertically; the smaller
 * of the two. A JPEG grid shows in both directions, texture rarely does. */
static double blockiness(const vg_steg_pixels *px)
{
    double hs[8] = {0}, vs[8] = {0};
    uint64_t hn[8] = {0}, vn[8] = {0};
    int c = px->channels;
    uint32_t step = vgi_row_step(px, 2);
    for (uint32_t y = 0; y + 1 < px->height; y += step) {
        const uint8_t *r = vgi_row(px, y), *d = vgi_row(px, y + 1);
        for (uint32_t x = 0; x + 1 < px->width; x++) {
            hs[x & 7] += abs(r[x * c] - r[(x + 1) * c]);
            hn[x & 7]++;
            vs[y & 7] += abs(r[x * c] - d[x * c]);
            vn[y & 7]++;
        }
    }
    double ratio[2];
    for (int k = 0; k < 2; k++) {
        double *s = k ? vs : hs;
        uint64_t *n = k ? vn : hn;
        int best = 0;
        for (int i = 0; i < 8; i++) {
            s[i] = n[i] ? s[i] / (double)n[i] : 0;
            if (s[i] > s[best])
                best = i;
        }
        double rest = 0;
        int m = 0;
        for (int i = 0; i < 8; i++)
            if (i != best && n[i]) {
                rest += s[i];
                m++;
            }
        ratio[k] = (m && rest > 0) ? s[best] / (rest / m) : 1.0;
    }
    return ratio[0] < ratio[1] ? ratio[0] : ratio[1];
}

static void fill_max(vg_steg_lsb *o)
{
    o->image_na = o->na[0];
    int k = 0;
    for (int ch = 0; ch < o->channels; ch++) {
        if (o->na[ch] != VG_STEG_ANALYSABLE)
            continue;
        o->image_na = VG_STEG_ANALYSABLE;
        k++;
        o->spa_mean += o->spa[ch];
        o->ws_mean += o->ws[ch];
        o->rs_mean += o->rs[ch];
        if (o->spa[ch] > o->spa_max) o->spa_max = o->spa[ch];
        if (o->ws[ch] > o->ws_max) o->ws_max = o->ws[ch];
        if (o->rs[ch] > o->rs_max) o->rs_max = o->rs[ch];
        if (o->chi[ch] > o->chi_max) o->chi_max = o->chi[ch];
    }
    if (k) {
        o->spa_mean /= k;
        o->ws_mean /= k;
        o->rs_mean /= k;
    }
}

vg_status vg_steg_lsb_analyse(const vg_steg_pixels *px, vg_steg_lsb *out, vg_error *err)
{
    if (!px || !out || !px->data || px->channels < 1 || px->channels > 4 ||
        px->stride < (size_t)px->width * px->channels)
        return vg_errorf(err, VG_ERR_ARG, "steg: bad pixel buffer");
    memset(out, 0, sizeof *out);
    out->channels = px->channels >= 3 ? 3 : 1;
    int small = (uint64_t)px->width * px->height < MIN_PIXELS || px->width < 8 || px->height < 8;
    int pal = 0;
    if (!small && out->channels == 3 && (pal = few_colours(px)) < 0)
        return vg_errorf(err, VG_ERR_NOMEM, "steg: out of memory");
    out->blockiness = small ? 1.0 : blockiness(px);
    for (int ch = 0; ch < out->channels; ch++) {
        out->na[ch] = small ? VG_STEG_NA_SMALL : pal ? VG_STEG_NA_PALETTE : channel_na(px, ch);
        if (!out->na[ch] && out->blockiness > BLOCKY)
            out->na[ch] = VG_STEG_NA_JPEG_ORIGIN;
        out->spa[ch] = vg_steg_spa(px, ch);
        out->ws[ch] = vg_steg_ws(px, ch);
        out->rs[ch] = vg_steg_rs(px, ch);
        out->chi[ch] = vg_steg_chi(px, ch);
    }
    fill_max(out);
    return VG_OK;
}
