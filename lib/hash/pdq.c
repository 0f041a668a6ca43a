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
#include <pthread.h>
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
    float wr[256], wg[256], wb[256]; /* the products, rounded as the reference rounds them */

    for (int v = 0; v < 256; v++) {
        wr[v] = 0.299f * (float)v;
        wg[v] = 0.587f * (float)v;
        wb[v] = 0.114f * (float)v;
    }
    for (size_t y = 0; y < h; y++) {
        const uint8_t *p = img->pixels + y * img->stride;
        float *o = out + y * w;
        if (img->channels == 1) {
            for (size_t x = 0; x < w; x++)
                o[x] = (float)p[x];
            continue;
        }
        for (size_t x = 0; x < w; x++, p += 3)
            o[x] = wr[p[0]] + wg[p[1]] + wb[p[2]];
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

/* Scratch memory: about 2 MB for a 512x512 image, kept per thread between
 * calls because fresh pages from the kernel cost as much as filtering them. */
#define SCRATCH_KEEP \
    ((size_t)2 * VG_PDQ_SIDE * VG_PDQ_SIDE + VGI_PDQ_JAROSZ_SCRATCH(VG_PDQ_SIDE, VG_PDQ_SIDE))

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;
static int scratch_key_ok;

static void scratch_init(void)
{
    scratch_key_ok = pthread_key_create(&scratch_key, free) == 0;
}

static float *scratch_get(size_t n)
{
    if (n <= SCRATCH_KEEP) {
        float *p;
        pthread_once(&scratch_once, scratch_init);
        if (scratch_key_ok) {
            p = pthread_getspecific(scratch_key);
            if (!p && (p = malloc(SCRATCH_KEEP * sizeof *p)) &&
                pthread_setspecific(scratch_key, p) != 0) {
                free(p);
                p = NULL;
            }
            if (p)
                return p;
        }
    }
    return malloc(n * sizeof(float));
}

static void scratch_put(float *p)
{
    if (!scratch_key_ok || p != pthread_getspecific(scratch_key))
        free(p);
}

/* Luma, filter and decimation: the 64x64 image the hash is computed from. */
static vg_status downsample(const vg_image *img, float out[CELLS][CELLS], vg_error *err)
{
    size_t w = img->pix_width, h = img->pix_height, n;
    float *a, *b, *t;

    if (w > (SIZE_MAX / sizeof(float) - VGI_PDQ_JAROSZ_SCRATCH(w, h)) / 2 / h)
        return vg_errorf(err, VG_ERR_LIMIT_PIXELS, "image of %zux%zu is too large to hash", w, h);
    n = 2 * w * h + VGI_PDQ_JAROSZ_SCRATCH(w, h);
    a = scratch_get(n);
    if (!a)
        return vg_errorf(err, VG_ERR_NOMEM, "no memory to hash a %zux%zu image", w, h);
    b = a + w * h;
    t = b + w * h;
    luma(img, a);
    if (w == CELLS && h == CELLS) {
        memcpy(out, a, sizeof(float) * CELLS * CELLS);
    } else {
        vgi_pdq_jarosz(a, b, h, w, t);
        decimate(a, h, w, out);
    }
    scratch_put(a);
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
