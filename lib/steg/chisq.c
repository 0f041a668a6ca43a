/* chisq.c - the chi-square attack (Westfeld and Pfitzmann, "Attacks on
 * steganographic systems", Information Hiding 1999) and the incomplete gamma
 * function it needs.
 *
 * LSB replacement equalises the counts of each pair of values (2i, 2i+1).
 * Westfeld's statistic sum (n_2i - y_i)^2 / y_i with y_i = (n_2i + n_2i+1)/2
 * (categories with y_i < 5 left out) is compared with chi-square of k-1
 * degrees of freedom; the p-value is near 1 where the pairs are equalised.
 * Evaluated on growing prefixes of the raster-order stream it locates the end
 * of a sequentially embedded message.
 */
#include <math.h>

#include "steg_int.h"

/* Series for P(a,x), x < a+1 (Numerical Recipes 6.2 form). */
static double gamma_p_series(double a, double x)
{
    double sum = 1.0 / a, del = sum, ap = a;
    for (int n = 0; n < 500; n++) {
        ap += 1;
        del *= x / ap;
        sum += del;
        if (fabs(del) < fabs(sum) * 1e-14)
            break;
    }
    return sum * exp(-x + a * log(x) - lgamma(a));
}

/* Continued fraction for Q(a,x), x >= a+1 (modified Lentz). */
static double gamma_q_cf(double a, double x)
{
    double b = x + 1 - a, c = 1e300, d = 1 / b, h = d;
    for (int i = 1; i < 500; i++) {
        double an = -i * (i - a);
        b += 2;
        d = an * d + b;
        if (fabs(d) < 1e-300)
            d = 1e-300;
        c = b + an / c;
        if (fabs(c) < 1e-300)
            c = 1e-300;
        d = 1 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < 1e-14)
            break;
    }
    return exp(-x + a * log(x) - lgamma(a)) * h;
}

double vgi_gamma_q(double a, double x)
{
    if (x <= 0 || a <= 0)
        return 1.0;
    return x < a + 1 ? 1.0 - gamma_p_series(a, x) : gamma_q_cf(a, x);
}

double vgi_pairs_p(const uint64_t *hist, size_t nbins, long skip_bin)
{
    double chi = 0;
    int k = 0;
    for (size_t i = 0; i + 1 < nbins; i += 2) {
        if (skip_bin >= 0 && (size_t)skip_bin / 2 == i / 2)
            continue;
        double y = (double)(hist[i] + hist[i + 1]) / 2.0;
        if (y < 5)
            continue;
        double dlt = (double)hist[i] - y;
        chi += dlt * dlt / y;
        k++;
    }
    if (k < 2)
        return 0.0;
    return vgi_gamma_q((k - 1) / 2.0, chi / 2.0);
}

/* Equalised prefix: steps of 1 % of the stream, stopping at the first prefix
 * whose p-value falls below one half. */
#define CHI_STEPS 100
#define CHI_P 0.5

double vg_steg_chi(const vg_steg_pixels *px, int ch)
{
    if (!px || !px->data || !px->width || !px->height)
        return 0.0;
    uint64_t hist[256] = {0};
    uint64_t total = (uint64_t)px->width * px->height, seen = 0;
    int c = px->channels, step = 1;
    for (uint32_t y = 0; y < px->height; y++) {
        const uint8_t *r = vgi_row(px, y) + ch;
        for (uint32_t x = 0; x < px->width; x++) {
            hist[r[x * c]]++;
            if (++seen * CHI_STEPS < (uint64_t)step * total)
                continue;
            if (vgi_pairs_p(hist, 256, -1) < CHI_P)
                return (step - 1) / (double)CHI_STEPS;
            step++;
        }
    }
    return 1.0;
}
