/* ws.c - Weighted Stego analysis (Fridrich and Goljan, SPIE 5306, 2004) with
 * the improvements of Ker and Boehme ("Revisiting weighted stego-image
 * steganalysis", SPIE 6819, 2008): the 3x3 predictor
 *     F = [-1 2 -1; 2 0 2; -1 2 -1] / 4,
 * weights w = 1/(5 + v) from the local variance v of the four neighbours, and
 * a bias correction for the predictor reading stego rather than cover pixels.
 *
 * With d = s - s' (s' = s with its LSB flipped: +1 odd, -1 even),
 *     p0 = 2 sum w d (s - F(s)) / sum w.
 * A neighbour that was flipped moves F(s) by d_j F-weight, which biases p0 by
 * -p B with B = sum w d F(d) / sum w, so p = p0 / (1 - B).
 */
#include "steg_int.h"

typedef struct ws_acc {
    double num, den, bias;
} ws_acc;

static void ws_row(const uint8_t *up, const uint8_t *mid, const uint8_t *dn, uint32_t w,
                   int c, ws_acc *a)
{
    for (uint32_t x = 1; x + 1 < w; x++) {
        int l = mid[(x - 1) * c], r = mid[(x + 1) * c], u = up[x * c], d = dn[x * c];
        int ul = up[(x - 1) * c], ur = up[(x + 1) * c], dl = dn[(x - 1) * c], dr = dn[(x + 1) * c];
        int s = mid[x * c];
        double pred = (2.0 * (l + r + u + d) - (ul + ur + dl + dr)) / 4.0;
        double mean = (l + r + u + d) / 4.0;
        double var = ((l - mean) * (l - mean) + (r - mean) * (r - mean) +
                      (u - mean) * (u - mean) + (d - mean) * (d - mean)) / 4.0;
        double wt = 1.0 / (5.0 + var);
        int ds = (s & 1) ? 1 : -1;
        int fd = 2 * (((l & 1) ? 1 : -1) + ((r & 1) ? 1 : -1) + ((u & 1) ? 1 : -1) +
                      ((d & 1) ? 1 : -1)) -
                 (((ul & 1) ? 1 : -1) + ((ur & 1) ? 1 : -1) + ((dl & 1) ? 1 : -1) +
                  ((dr & 1) ? 1 : -1));
        a->num += wt * ds * (s - pred);
        a->den += wt;
        a->bias += wt * ds * fd / 4.0;
    }
}

double vg_steg_ws(const vg_steg_pixels *px, int ch)
{
    if (!px || !px->data || px->width < 3 || px->height < 3)
        return 0.0;
    ws_acc a = {0, 0, 0};
    uint32_t step = vgi_row_step(px, 1);
    for (uint32_t y = 1; y + 1 < px->height; y += step)
        ws_row(vgi_row(px, y - 1) + ch, vgi_row(px, y) + ch, vgi_row(px, y + 1) + ch,
               px->width, px->channels, &a);
    if (a.den <= 0)
        return 0.0;
    double p0 = 2.0 * a.num / a.den, B = a.bias / a.den;
    double p = (B < 0.5 && B > -0.5) ? p0 / (1.0 - B) : p0;
    return p < 0 ? 0 : p > 1 ? 1 : p;
}
