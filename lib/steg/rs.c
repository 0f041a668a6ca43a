/* rs.c - RS analysis (Fridrich, Goljan, Du, "Reliable detection of LSB
 * steganography in color and grayscale images", ACM MM&Sec 2001).
 *
 * Groups of four horizontal neighbours, mask M = [0 1 1 0], discrimination
 * f = sum |x_{i+1} - x_i|. F1 flips the LSB (2n <-> 2n+1), F-1 shifts the
 * other way (2n <-> 2n-1). A group is regular when flipping by the mask
 * raises f, singular when it lowers it. With d0, d1 = R_M - S_M on the image
 * and on its LSB-flipped copy and n0, n1 the same for -M:
 *     2(d1 + d0) z^2 + (n0 - n1 - d1 - 3 d0) z + (d0 - n0) = 0,
 * the root of smaller magnitude gives p = z / (z - 1/2).
 */
#include <math.h>
#include <stdlib.h>

#include "steg_int.h"

static int fl1(int x) { return x ^ 1; }
static int flm1(int x) { return ((x + 1) ^ 1) - 1; }

static int disc(const int *g)
{
    return abs(g[1] - g[0]) + abs(g[2] - g[1]) + abs(g[3] - g[2]);
}

/* Adds +1 (regular) or -1 (singular) for group g under mask M and -M. */
static void classify(const int *g, long *dm, long *dn)
{
    int f0 = disc(g);
    int a[4] = {g[0], fl1(g[1]), fl1(g[2]), g[3]};
    int b[4] = {g[0], flm1(g[1]), flm1(g[2]), g[3]};
    int fa = disc(a), fb = disc(b);
    *dm += (fa > f0) - (fa < f0);
    *dn += (fb > f0) - (fb < f0);
}

double vg_steg_rs(const vg_steg_pixels *px, int ch)
{
    if (!px || !px->data || px->width < 4 || px->height < 1)
        return 0.0;
    long d0 = 0, n0 = 0, d1 = 0, n1 = 0, groups = 0;
    int c = px->channels;
    uint32_t step = vgi_row_step(px, 1);
    for (uint32_t y = 0; y < px->height; y += step) {
        const uint8_t *r = vgi_row(px, y) + ch;
        for (uint32_t x = 0; x + 4 <= px->width; x += 4) {
            int g[4] = {r[x * c], r[(x + 1) * c], r[(x + 2) * c], r[(x + 3) * c]};
            int h[4] = {g[0] ^ 1, g[1] ^ 1, g[2] ^ 1, g[3] ^ 1};
            classify(g, &d0, &n0);
            classify(h, &d1, &n1);
            groups++;
        }
    }
    if (!groups)
        return 0.0;
    double D0 = (double)d0 / groups, D1 = (double)d1 / groups;
    double N0 = (double)n0 / groups, N1 = (double)n1 / groups;
    double a = 2 * (D1 + D0), b = N0 - N1 - D1 - 3 * D0, cc = D0 - N0;
    double z;
    if (fabs(a) < 1e-12) {
        z = fabs(b) < 1e-12 ? 0 : -cc / b;
    } else {
        double dd = b * b - 4 * a * cc;
        if (dd < 0)
            dd = 0;
        double z1 = (-b + sqrt(dd)) / (2 * a), z2 = (-b - sqrt(dd)) / (2 * a);
        z = fabs(z1) < fabs(z2) ? z1 : z2;
    }
    if (fabs(z - 0.5) < 1e-12)
        return 1.0;
    double p = z / (z - 0.5);
    return p < 0 ? 0 : p > 1 ? 1 : p;
}
