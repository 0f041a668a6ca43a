/* pdq_jarosz.c - the Jarosz filter of PDQ: two passes of a box filter along
 * rows then columns, a cheap approximation of a tent filter that averages
 * each pixel over the cell of the 64x64 grid it will be sampled from.
 *
 * Bit-exact with the reference: every output is its running sum divided by
 * the float count of values in the window, and every running sum sees the
 * reference's additions and subtractions in the reference's order; only the
 * layout of the work differs (many sums advanced side by side in vector
 * lanes), which IEEE arithmetic does not notice.
 */
#include <string.h>

#include "pdq_int.h"

/* Four floats: one SSE register (GCC and clang lower it to whatever the
 * target has). Each lane does exactly the scalar operation, so results stay
 * bit-exact. */
typedef float v4f __attribute__((vector_size(16)));

static v4f load4(const float *p)
{
    v4f v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* One step of a running box sum over n parallel lanes: sum += add (unless
 * NULL), sum -= sub (unless NULL), then out = sum / cnt (unless NULL). */
static void box_step(float *sum, const float *add, const float *sub, float *out, float cnt,
                     size_t n)
{
    size_t x = 0;

    for (; x + 4 <= n; x += 4) {
        v4f v = load4(sum + x);
        if (add)
            v += load4(add + x);
        if (sub)
            v -= load4(sub + x);
        memcpy(sum + x, &v, sizeof v);
        if (out) {
            v4f q = v / cnt;
            memcpy(out + x, &q, sizeof q);
        }
    }
    for (; x < n; x++) {
        if (add)
            sum[x] += add[x];
        if (sub)
            sum[x] -= sub[x];
        if (out)
            out[x] = sum[x] / cnt;
    }
}

/* Box filter of width w down every column of a rows x cols buffer, a whole
 * row at a time (sum holds one running sum per column). Output row i
 * averages input rows i - (w-1)/2 .. i + w/2 (centred for odd w; w = 4 covers
 * i-1..i+2), the window truncated near the ends and divided by the count
 * actually summed. The sequence of float operations per column is the
 * reference's: add the entering value, then subtract the leaving one. */
static void box_cols(const float *in, float *out, size_t rows, size_t cols, size_t w,
                     float *sum)
{
    size_t half = (w + 2) / 2, ri = 0, li = 0, oi = 0;
    float cnt = 0.0f;

    memset(sum, 0, cols * sizeof *sum);
    for (; ri < half - 1; ri++, cnt += 1.0f)
        box_step(sum, in + ri * cols, NULL, NULL, 0.0f, cols);
    for (size_t k = 0; k < w - half + 1; k++, ri++, oi++) {
        cnt += 1.0f;
        box_step(sum, in + ri * cols, NULL, out + oi * cols, cnt, cols);
    }
    for (size_t k = 0; k < rows - w; k++, ri++, li++, oi++)
        box_step(sum, in + ri * cols, in + li * cols, out + oi * cols, cnt, cols);
    for (size_t k = 0; k < half - 1; k++, li++, oi++) {
        cnt -= 1.0f;
        box_step(sum, NULL, in + li * cols, out + oi * cols, cnt, cols);
    }
}

/* Copies columns [x0, cols) of a block of n rows (row stride `stride`) into a
 * strip laid out column by column, VGI_PDQ_LANES values per column, or back
 * (to_strip = 0). */
static void strip_copy(float *rows, size_t stride, float *strip, size_t n, size_t x0,
                       size_t cols, int to_strip)
{
    for (size_t x = x0; x < cols; x++)
        for (size_t r = 0; r < n; r++) {
            if (to_strip)
                strip[x * VGI_PDQ_LANES + r] = rows[r * stride + x];
            else
                rows[r * stride + x] = strip[x * VGI_PDQ_LANES + r];
        }
}

#if defined(__SSE__) && !defined(VG_NO_SIMD) /* -DVG_NO_SIMD tests the portable path */
#include <xmmintrin.h>

/* The same for whole blocks of VGI_PDQ_LANES rows, 4x4 tiles transposed in
 * registers: element by element the copy is dominated by stalls. Returns the
 * first column left for strip_copy. */
static size_t strip_copy_fast(float *rows, size_t stride, float *strip, size_t cols,
                              int to_strip)
{
    size_t x = 0;

    for (; x + 4 <= cols; x += 4)
        for (size_t g = 0; g < VGI_PDQ_LANES; g += 4) {
            float *rp = rows + g * stride + x, *sp = strip + x * VGI_PDQ_LANES + g;
            __m128 a, b, c, d;
            if (to_strip) {
                a = _mm_loadu_ps(rp);
                b = _mm_loadu_ps(rp + stride);
                c = _mm_loadu_ps(rp + 2 * stride);
                d = _mm_loadu_ps(rp + 3 * stride);
            } else {
                a = _mm_loadu_ps(sp);
                b = _mm_loadu_ps(sp + VGI_PDQ_LANES);
                c = _mm_loadu_ps(sp + 2 * VGI_PDQ_LANES);
                d = _mm_loadu_ps(sp + 3 * VGI_PDQ_LANES);
            }
            _MM_TRANSPOSE4_PS(a, b, c, d);
            float *o = to_strip ? sp : rp;
            size_t step = to_strip ? VGI_PDQ_LANES : stride;
            _mm_storeu_ps(o, a);
            _mm_storeu_ps(o + step, b);
            _mm_storeu_ps(o + 2 * step, c);
            _mm_storeu_ps(o + 3 * step, d);
        }
    return x;
}
#else
static size_t strip_copy_fast(float *rows, size_t stride, float *strip, size_t cols,
                              int to_strip)
{
    return 0;
}
#endif

/* Box filter of width w along every row. A running sum along one row is a
 * single chain of dependent additions, so VGI_PDQ_LANES rows are gathered
 * into a strip (column x of the strip holds their x-th values side by side),
 * filtered "down" the strip as box_cols does, and scattered back.
 * strip and strip_out hold cols * VGI_PDQ_LANES floats. */
static void box_rows(float *in, float *out, size_t rows, size_t cols, size_t w,
                     float *strip, float *strip_out, float *sum)
{
    for (size_t y0 = 0; y0 < rows; y0 += VGI_PDQ_LANES) {
        size_t n = rows - y0 < VGI_PDQ_LANES ? rows - y0 : VGI_PDQ_LANES, x0 = 0;
        float *src = in + y0 * cols, *dst = out + y0 * cols;
        if (n < VGI_PDQ_LANES)
            memset(strip, 0, cols * VGI_PDQ_LANES * sizeof *strip);
        else
            x0 = strip_copy_fast(src, cols, strip, cols, 1);
        strip_copy(src, cols, strip, n, x0, cols, 1);
        box_cols(strip, strip_out, cols, VGI_PDQ_LANES, w, sum);
        x0 = n < VGI_PDQ_LANES ? 0 : strip_copy_fast(dst, cols, strip_out, cols, 0);
        strip_copy(dst, cols, strip_out, n, x0, cols, 0);
    }
}

/* Window of the box filter along an axis: half a cell of the 64x64 grid,
 * rounded up (512 -> 4, 1004 -> 8). */
static size_t window(size_t dim)
{
    return (dim + 127) / 128;
}

void vgi_pdq_jarosz(float *a, float *b, size_t rows, size_t cols, float *t)
{
    size_t wr = window(cols), wc = window(rows);
    float *strip = t, *strip_out = t + cols * VGI_PDQ_LANES, *sum = t + 2 * cols * VGI_PDQ_LANES;

    for (int pass = 0; pass < 2; pass++) {
        box_rows(a, b, rows, cols, wr, strip, strip_out, sum);
        box_cols(b, a, rows, cols, wc, sum);
    }
}
