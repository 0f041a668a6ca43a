/* pdq.c - vg_pdq_hash: PDQ from pixels to 256 bits.
 *
 * Bit-exact with Meta's C++ reference (pdq/cpp) when given the same pixels:
 * every step below repeats the reference's single-precision arithmetic in the
 * same order (float luma, running sums divided by a float count, float DCT
 * sums from k = 0 upwards), because a different rounding anywhere can move a
 * coefficient across the median and flip a bit. tests/pdq checks all of it
 * against hashes produced by the reference itself.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pdq_int.h"

#define CELLS 64 /* the filtered image is decimated to 64x64 */

/* Y = 0.299 R + 0.587 G + 0.114 B in float; grey values are taken as they are
 * (the reference does the same, and the weighted sum of a grey pixel is not
 * always exactly its value in float). */
static void luma(const vg_image *img, float *out)
{
    size_t w = img->pix_width, h = img->pix_height;

    for (size_t y = 0; y < h; y++) {
        const uint8_t *p = img->pixels + y * img->stride;
        float *o = out + y * w;
        if (img->channels == 1) {
            for (size_t x = 0; x < w; x++)
                o[x] = (float)p[x];
            continue;
        }
        for (size_t x = 0; x < w; x++, p += 3)
            o[x] = 0.299f * (float)p[0] + 0.587f * (float)p[1] + 0.114f * (float)p[2];
    }
}

/* Box filter of width w along one row of n values: output i averages inputs
 * i - (w-1)/2 .. i + w/2 (centred for odd w; w = 4 covers i-1..i+2), the
 * window truncated near the ends and divided by the count actually summed. */
static void box_row(const float *in, float *out, size_t n, size_t w)
{
    size_t half = (w + 2) / 2, ri = 0, li = 0, oi = 0;
    float sum = 0.0f, cnt = 0.0f;

    for (; ri < half - 1; ri++) {
        sum += in[ri];
        cnt += 1.0f;
    }
    for (size_t k = 0; k < w - half + 1; k++) {
        sum += in[ri++];
        cnt += 1.0f;
        out[oi++] = sum / cnt;
    }
    for (size_t k = 0; k < n - w; k++) {
        sum += in[ri++];
        sum -= in[li++];
        out[oi++] = sum / cnt;
    }
    for (size_t k = 0; k < half - 1; k++) {
        sum -= in[li++];
        cnt -= 1.0f;
        out[oi++] = sum / cnt;
    }
}

/* The same filter down every column of a rows x cols buffer, computed a
 * whole row at a time (sum holds one running sum per column) so that memory
 * is read in order; each column sees exactly the operations of box_row. */
static void box_cols(const float *in, float *out, size_t rows, size_t cols, size_t w,
                     float *sum)
{
    size_t half = (w + 2) / 2, ri = 0, li = 0, oi = 0;
    float cnt = 0.0f;

    memset(sum, 0, cols * sizeof *sum);
#define ROW(buf, r) ((buf) + (r) * cols)
    for (; ri < half - 1; ri++) {
        const float *a = ROW(in, ri);
        for (size_t x = 0; x < cols; x++)
            sum[x] += a[x];
        cnt += 1.0f;
    }
    for (size_t k = 0; k < w - half + 1; k++, ri++, oi++) {
        const float *a = ROW(in, ri);
        float *o = ROW(out, oi);
        cnt += 1.0f;
        for (size_t x = 0; x < cols; x++) {
            sum[x] += a[x];
            o[x] = sum[x] / cnt;
        }
    }
    for (size_t k = 0; k < rows - w; k++, ri++, li++, oi++) {
        const float *a = ROW(in, ri), *b = ROW(in, li);
        float *o = ROW(out, oi);
        for (size_t x = 0; x < cols; x++) {
            sum[x] += a[x];
            sum[x] -= b[x];
            o[x] = sum[x] / cnt;
        }
    }
    for (size_t k = 0; k < half - 1; k++, li++, oi++) {
        const float *b = ROW(in, li);
        float *o = ROW(out, oi);
        cnt -= 1.0f;
        for (size_t x = 0; x < cols; x++) {
            sum[x] -= b[x];
            o[x] = sum[x] / cnt;
        }
    }
#undef ROW
}

/* Window of the Jarosz filter for one axis: about dim / 64 / 2, rounded up. */
static size_t window(size_t dim)
{
    return (dim + 2 * CELLS - 1) / (2 * CELLS);
}

/* Two passes of (box along rows, box along columns): a tent-like low-pass
 * filter. The result ends in a. */
static void jarosz(float *a, float *b, size_t rows, size_t cols, float *sum)
{
    size_t wr = window(cols), wc = window(rows);

    for (int pass = 0; pass < 2; pass++) {
        for (size_t y = 0; y < rows; y++)
            box_row(a + y * cols, b + y * cols, cols, wr);
        box_cols(b, a, rows, cols, wc, sum);
    }
}

/* Point-samples the centres of a 64x64 grid of cells. */
static void decimate(const float *in, size_t rows, size_t cols, float out[CELLS][CELLS])
{
    for (int i = 0; i < CELLS; i++) {
        size_t y = (size_t)(((i + 0.5) * (double)rows) / CELLS);
        for (int j = 0; j < CELLS; j++) {
            size_t x = (size_t)(((j + 0.5) * (double)cols) / CELLS);
            out[i][j] = in[y * cols + x];
        }
    }
}

/* The reference's quality: the summed absolute neighbour differences of the
 * 64x64 image, each scaled to 0..100 and truncated, over 90, capped at 100.
 * Flat or nearly flat images score low and hash unreliably. */
static int quality(const float a[CELLS][CELLS])
{
    long sum = 0;

    for (int i = 0; i < CELLS - 1; i++)
        for (int j = 0; j < CELLS; j++) {
            int d = (int)(((a[i][j] - a[i + 1][j]) * 100) / 255);
            sum += labs((long)d);
        }
    for (int i = 0; i < CELLS; i++)
        for (int j = 0; j < CELLS - 1; j++) {
            int d = (int)(((a[i][j] - a[i][j + 1]) * 100) / 255);
            sum += labs((long)d);
        }
    return sum / 90 > 100 ? 100 : (int)(sum / 90);
}

/* D[i][j] = sqrt(2/64) cos(pi/128 (i+1)(2j+1)): DCT-II basis functions 1..16
 * (the DC term is left out), computed in double and stored as float. */
static void dct_matrix(float d[VGI_PDQ_DCT][CELLS])
{
    const double scale = sqrt(2.0 / 64.0);
    const double pi = 3.14159265358979323846;

    for (int i = 0; i < VGI_PDQ_DCT; i++)
        for (int j = 0; j < CELLS; j++)
            d[i][j] = (float)(scale * cos((pi / 2 / 64.0) * (i + 1) * (2 * j + 1)));
}

/* x[0] y[0] + x[1] y[stride] + ... over 64 terms, in float, in that order. */
static float dot(const float *x, const float *y, size_t stride)
{
    float s = 0.0f;
    for (size_t k = 0; k < CELLS; k++)
        s += x[k] * y[k * stride];
    return s;
}

/* out = D a D^T, as (D a) D^T. */
static void dct(const float a[CELLS][CELLS], float out[VGI_PDQ_DCT][VGI_PDQ_DCT])
{
    float d[VGI_PDQ_DCT][CELLS], t[VGI_PDQ_DCT][CELLS];

    dct_matrix(d);
    for (int i = 0; i < VGI_PDQ_DCT; i++)
        for (int j = 0; j < CELLS; j++)
            t[i][j] = dot(d[i], &a[0][j], CELLS);
    for (int i = 0; i < VGI_PDQ_DCT; i++)
        for (int j = 0; j < VGI_PDQ_DCT; j++)
            out[i][j] = dot(t[i], d[j], 1);
}

/* Luma, filter and decimation: the 64x64 image the hash is computed from. */
static vg_status downsample(const vg_image *img, float out[CELLS][CELLS], vg_error *err)
{
    size_t w = img->pix_width, h = img->pix_height;
    float *a, *b, *sum;

    if (w > SIZE_MAX / sizeof(float) / h)
        return vg_errorf(err, VG_ERR_LIMIT_PIXELS, "image of %zux%zu is too large to hash", w, h);
    a = malloc(w * h * sizeof *a);
    b = malloc(w * h * sizeof *b);
    sum = malloc(w * sizeof *sum);
    if (!a || !b || !sum) {
        free(a);
        free(b);
        free(sum);
        return vg_errorf(err, VG_ERR_NOMEM, "no memory to hash a %zux%zu image", w, h);
    }
    luma(img, a);
    if (w == CELLS && h == CELLS) {
        memcpy(out, a, sizeof(float) * CELLS * CELLS);
    } else {
        jarosz(a, b, h, w, sum);
        decimate(a, h, w, out);
    }
    free(a);
    free(b);
    free(sum);
    return VG_OK;
}

vg_status vg_pdq_hash(const vg_image *img, int dihedral, vg_pdq *out, int *quality_out,
                      vg_error *err)
{
    float cells[CELLS][CELLS], coef[VGI_PDQ_DCT][VGI_PDQ_DCT];
    int n = dihedral ? VG_PDQ_VARIANTS : 1;
    vg_status st;

    memset(out, 0, sizeof *out * (size_t)n);
    if (quality_out)
        *quality_out = 0;
    if (!img || !img->pixels || (img->channels != 1 && img->channels != 3) ||
        img->stride < (size_t)img->pix_width * (size_t)img->channels)
        return vg_errorf(err, VG_ERR_ARG, "PDQ needs decoded 8-bit grey or RGB pixels");
    if (img->pix_width < 5 || img->pix_height < 5)
        return VG_OK; /* the reference's answer for tiny images: zeros, quality 0 */
    st = downsample(img, cells, err);
    if (st != VG_OK)
        return st;
    if (quality_out)
        *quality_out = quality(cells);
    dct(cells, coef);
    if (dihedral)
        vgi_pdq_dihedral(coef, out);
    else
        vgi_pdq_threshold(coef, out);
    return VG_OK;
}
