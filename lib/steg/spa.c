/* spa.c - Sample Pair Analysis (Dumitrescu, Wu, Wang, IEEE TSP 51(7), 2003).
 *
 * Over horizontally and vertically adjacent pairs (u,v): X counts pairs with
 * v even and u < v or v odd and u > v, Y the mirror set, K pairs whose 7 high
 * bits agree, P all pairs. In a cover X ~ Y; LSB replacement of a fraction p
 * of samples makes 2K b^2 + 2(2X - P) b + (Y - X) = 0 with b = p/2, whose
 * smaller root gives the estimate (the form Aletheia also uses).
 */
#include <math.h>

#include "steg_int.h"

uint32_t vgi_row_step(const vg_steg_pixels *px, uint32_t band)
{
    uint64_t rows = px->height / band;
    uint64_t want = VGI_STEG_BUDGET / (px->width ? px->width : 1) / band;
    if (want == 0)
        want = 1;
    return rows > want ? (uint32_t)(rows / want) : 1;
}

/* Counts from a joint histogram of pairs. */
static double spa_from_counts(double X, double Y, double K, double P)
{
    if (K <= 0 || P <= 0)
        return 0.0;
    double a = 2 * K, b = 2 * (2 * X - P), c = Y - X;
    double disc = b * b - 4 * a * c;
    if (disc < 0)
        disc = 0;
    double r1 = (-b + sqrt(disc)) / (2 * a), r2 = (-b - sqrt(disc)) / (2 * a);
    double beta = r1 < r2 ? r1 : r2;
    double p = 2 * beta;
    return p < 0 ? 0 : p > 1 ? 1 : p;
}

typedef struct spa_acc {
    uint64_t X, Y, K, P;
} spa_acc;

/* Branch-free so the compiler can vectorise the row loop. */
static inline void pair(spa_acc *a, int u, int v)
{
    int odd = v & 1, even = odd ^ 1, lt = u < v, gt = u > v;
    a->X += (uint64_t)((even & lt) | (odd & gt));
    a->Y += (uint64_t)((even & gt) | (odd & lt));
    a->K += (uint64_t)((u >> 1) == (v >> 1));
    a->P++;
}

double vg_steg_spa(const vg_steg_pixels *px, int ch)
{
    if (!px || !px->data || px->width < 2 || px->height < 2)
        return 0.0;
    spa_acc a = {0, 0, 0, 0};
    int c = px->channels;
    uint32_t step = vgi_row_step(px, 2);
    for (uint32_t y = 0; y + 1 < px->height; y += step) {
        const uint8_t *r0 = vgi_row(px, y) + ch, *r1 = vgi_row(px, y + 1) + ch;
        for (uint32_t x = 0; x + 1 < px->width; x++) {
            pair(&a, r0[x * c], r0[(x + 1) * c]);
            pair(&a, r0[x * c], r1[x * c]);
        }
    }
    return spa_from_counts((double)a.X, (double)a.Y, (double)a.K, (double)a.P);
}
