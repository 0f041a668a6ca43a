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

/* Integer form: with S = l+r+u+d and D = the diagonal sum, 4 F(s) = 2S - D,
 * 16 var = 4 (l^2+r^2+u^2+d^2) - S^2, so w = 16 / (80 + 16 var); the LSB
 * signs enter F(d) the same way. Float per row keeps the loop vectorisable. */
static void ws_row(const uint8_t *up, const uint8_t *mid, const uint8_t *dn, uint32_t w,
                   int c, ws_acc *a)
{
    float num = 0, den = 0, bias = 0;
    for (uint32_t x = 1; x + 1 < w; x++) {
        int l = mid[(x - 1) * c], r = mid[(x + 1) * c], u = up[x * c], d = dn[x * c];
        int ul = up[(x - 1) * c], ur = up[(x + 1) * c], dl = dn[(x - 1) * c], dr = dn[(x + 1) * c];
        int s = mid[x * c];
        int S = l + r + u + d, D = ul + ur + dl + dr;
        int var16 = 4 * (l * l + r * r + u * u + d * d) - S * S;
        float wt = 16.0f / (float)(80 + var16);
        int ds = 2 * (s & 1) - 1;
        int ls = 2 * ((l & 1) + (r & 1) + (u & 1) + (d & 1)) - 4;
        int lds = 2 * ((ul & 1) + (ur & 1) + (dl & 1) + (dr & 1)) - 4;
        num += wt * (float)(ds * (4 * s - (2 * S - D)));
        den += wt;
        bias += wt * (float)(ds * (2 * ls - lds));
    }
    a->num += num / 4.0;
    a->den += den;
    a->bias += bias / 4.0;
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
