/* jpeg_dct.c - JPEG-domain statistics from the quantised DCT coefficients:
 * jsteg chi-square, F5 calibration, calibrated histogram distance.
 *
 * Coefficients come from libjpeg-turbo's jpeg_read_coefficients with an error
 * manager of our own that longjmps back instead of exiting. Calibration
 * (Fridrich, Goljan, Hogea, "Steganalysis of JPEG images: breaking the F5
 * algorithm", IH 2002) decompresses the luminance, crops 4 pixels from the top
 * and the left, and takes the DCT of the 8x8 blocks with the file's own
 * quantisation table: the grid no longer matches the one the embedder
 * changed, so the result estimates the cover's histograms.
 */
#include <math.h>
#include <stdlib.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <jpeglib.h>

#include "steg_int.h"

typedef struct jerr {
    struct jpeg_error_mgr pub;
    jmp_buf jb;
    char msg[JMSG_LENGTH_MAX];
} jerr;

static void on_error(j_common_ptr c)
{
    jerr *e = (jerr *)c->err;
    c->err->format_message(c, e->msg);
    longjmp(e->jb, 1);
}

/* Silent, but counted: a warning means damaged data (a truncated file reads
 * as zeros), on which the statistics would be noise, not evidence. */
static void on_message(j_common_ptr c, int level)
{
    if (level < 0)
        c->err->num_warnings++;
}

#define HIST_OFF 2048 /* even, so value pairs (2i,2i+1) stay index pairs */
#define HIST_N 4096
#define LOWMODES 9
static const int LOW[LOWMODES] = {1, 8, 16, 9, 2, 3, 10, 17, 24}; /* zigzag 1..9 */

typedef struct jstats {
    uint64_t *hist;         /* all coefficients, HIST_N bins */
    double obs[LOWMODES][9]; /* luminance low modes, values -4..4 */
    double cal[LOWMODES][9];
    uint64_t obs_blocks, cal_blocks;
    double block_obs, block_cal; /* grid_ratio of the image and of its calibration */
    /* The calibration window, in luminance blocks: at most CAL_BLOCKS blocks
     * around the centre, so the cost of a 12-megapixel file is bounded. */
    uint32_t bx0, by0, wb, hb;
} jstats;

#define CAL_BLOCKS 8192 /* 2^19 pixels, as the spatial estimators */

static void set_window(jstats *s, uint32_t w, uint32_t h)
{
    uint32_t W8 = w / 8, H8 = h / 8;
    s->wb = W8 < 128 ? W8 : 128;
    s->hb = s->wb ? CAL_BLOCKS / s->wb : 0;
    if (s->hb > H8)
        s->hb = H8;
    if (s->wb < 2 || s->hb < 2)
        s->wb = s->hb = 0; /* too small to calibrate */
    s->bx0 = (W8 - s->wb) / 2;
    s->by0 = (H8 - s->hb) / 2;
}

static int in_window(const jstats *s, JDIMENSION r, JDIMENSION b)
{
    return r >= s->by0 && r < s->by0 + s->hb && b >= s->bx0 && b < s->bx0 + s->wb;
}

static int clampv(int v) { return v < -HIST_OFF ? -HIST_OFF : v >= HIST_OFF ? HIST_OFF - 1 : v; }

/* jsteg prefix: coefficients are re-walked in the same order, 1 % steps. */
static double jsteg_prefix(j_decompress_ptr ci, jvirt_barray_ptr *arr, uint64_t total,
                           uint64_t *h)
{
    memset(h, 0, HIST_N * sizeof *h);
    uint64_t seen = 0;
    int step = 1;
    for (int c = 0; c < ci->num_components; c++) {
        jpeg_component_info *cp = &ci->comp_info[c];
        for (JDIMENSION r = 0; r < cp->height_in_blocks; r++) {
            JBLOCKARRAY row = ci->mem->access_virt_barray((j_common_ptr)ci, arr[c], r, 1, FALSE);
            for (JDIMENSION b = 0; b < cp->width_in_blocks; b++) {
                for (int k = 0; k < 64; k++) {
                    h[clampv(row[0][b][k]) + HIST_OFF]++;
                    if (++seen * 100 < (uint64_t)step * total)
                        continue;
                    if (vgi_pairs_p(h, HIST_N, HIST_OFF) < 0.5)
                        return (step - 1) / 100.0;
                    step++;
                }
            }
        }
    }
    return 1.0;
}

static void count(j_decompress_ptr ci, jvirt_barray_ptr *arr, jstats *s, vg_steg_jpeg *o)
{
    for (int c = 0; c < ci->num_components; c++) {
        jpeg_component_info *cp = &ci->comp_info[c];
        for (JDIMENSION r = 0; r < cp->height_in_blocks; r++) {
            JBLOCKARRAY row = ci->mem->access_virt_barray((j_common_ptr)ci, arr[c], r, 1, FALSE);
            for (JDIMENSION b = 0; b < cp->width_in_blocks; b++) {
                JCOEF *blk = row[0][b];
                for (int k = 0; k < 64; k++)
                    s->hist[clampv(blk[k]) + HIST_OFF]++;
                for (int k = 1; k < 64; k++)
                    o->nonzero_ac += blk[k] != 0;
                if (c || !in_window(s, r, b))
                    continue;
                s->obs_blocks++;
                for (int m = 0; m < LOWMODES; m++)
                    if (blk[LOW[m]] >= -4 && blk[LOW[m]] <= 4)
                        s->obs[m][blk[LOW[m]] + 4]++;
            }
        }
    }
}

/* IJG quality from the luminance table (jcparam.c scaling, inverted). */
static int quality(const JQUANT_TBL *q)
{
    static const int std[64] = {16, 11, 10, 16, 24,  40,  51,  61,  12, 12, 14, 19, 26,
                                58, 60, 55, 14, 13, 16, 24, 40,  57,  69,  56, 14, 17,
                                22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68,  109, 103,
                                77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87,
                                103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99};
    if (!q)
        return 0;
    double s = 0;
    for (int k = 0; k < 64; k++)
        s += 100.0 * q->quantval[k] / std[k];
    s /= 64;
    int qv = s <= 100 ? (int)lrint((200 - s) / 2) : (int)lrint(5000 / s);
    return qv < 1 ? 1 : qv > 100 ? 100 : qv;
}

/* The orthonormal 8-point DCT-II matrix with T.81's scaling (A.3.3). */
static double cs[8][8];
static void cs_init(void)
{
    static int init;
    if (init) /* benign race: every thread writes the same values */
        return;
    for (int u = 0; u < 8; u++)
        for (int x = 0; x < 8; x++)
            cs[u][x] = (u ? 0.5 : 0.5 / sqrt(2.0)) * cos((2 * x + 1) * u * M_PI / 16);
    init = 1;
}

/* Forward 8x8 DCT of the block at (x0,y0) of a grey plane. */
static void fdct(const uint8_t *g, size_t stride, uint32_t x0, uint32_t y0, double *out)
{
    double t[8][8];
    for (int y = 0; y < 8; y++)
        for (int u = 0; u < 8; u++) {
            double a = 0;
            for (int x = 0; x < 8; x++)
                a += cs[u][x] * (g[(size_t)(y0 + y) * stride + x0 + x] - 128.0);
            t[y][u] = a;
        }
    for (int v = 0; v < 8; v++)
        for (int u = 0; u < 8; u++) {
            double a = 0;
            for (int y = 0; y < 8; y++)
                a += cs[v][y] * t[y][u];
            out[v * 8 + u] = a;
        }
}

/* Inverse of fdct into an 8x8 block of out (stride), rounded and clamped as
 * a decoder would. */
static void idct(const double *in, uint8_t *out, size_t stride)
{
    double t[8][8];
    for (int v = 0; v < 8; v++)
        for (int x = 0; x < 8; x++) {
            double a = 0;
            for (int u = 0; u < 8; u++)
                a += cs[u][x] * in[v * 8 + u];
            t[v][x] = a;
        }
    for (int y = 0; y < 8; y++)
        for (int x = 0; x < 8; x++) {
            double a = 128;
            for (int v = 0; v < 8; v++)
                a += cs[v][y] * t[v][x];
            long r = lrint(a);
            out[(size_t)y * stride + x] = (uint8_t)(r < 0 ? 0 : r > 255 ? 255 : r);
        }
}

/* Blockiness of a grey plane on the grid starting at 0: mean absolute
 * difference across block boundaries over the mean inside blocks. */
static double grid_ratio(const uint8_t *g, uint32_t w, uint32_t h, size_t stride)
{
    double bs = 0, is = 0;
    uint64_t bn = 0, in = 0;
    for (uint32_t y = 0; y + 1 < h; y++)
        for (uint32_t x = 0; x + 1 < w; x++) {
            int dh = abs(g[(size_t)y * stride + x] - g[(size_t)y * stride + x + 1]);
            int dv = abs(g[(size_t)y * stride + x] - g[(size_t)(y + 1) * stride + x]);
            if ((x & 7) == 7) bs += dh, bn++; else is += dh, in++;
            if ((y & 7) == 7) bs += dv, bn++; else is += dv, in++;
        }
    return (bn && in && is > 0) ? (bs / bn) / (is / in) : 1.0;
}

/* Calibration over the window: DCT of the image cropped by 4 pixels,
 * quantised with the file's table. Fills the low-mode histograms and, from
 * the re-decoded calibrated blocks, the cover blockiness estimate. */
static void calibrate(const uint8_t *g, uint32_t w, const JQUANT_TBL *q, jstats *s)
{
    if (!s->wb)
        return;
    double f[64];
    uint32_t bw = s->wb - 1, bh = s->hb - 1, x0 = 8 * s->bx0, y0 = 8 * s->by0;
    uint8_t *rc = malloc((size_t)bw * 8 * bh * 8);
    cs_init();
    for (uint32_t by = 0; by < bh; by++)
        for (uint32_t bx = 0; bx < bw; bx++) {
            fdct(g, w, x0 + 4 + bx * 8, y0 + 4 + by * 8, f);
            s->cal_blocks++;
            for (int m = 0; m < LOWMODES; m++) {
                long v = lrint(f[LOW[m]] / q->quantval[LOW[m]]);
                if (v >= -4 && v <= 4)
                    s->cal[m][v + 4]++;
            }
            if (!rc)
                continue;
            for (int k = 0; k < 64; k++)
                f[k] = (double)lrint(f[k] / q->quantval[k]) * q->quantval[k];
            idct(f, rc + (size_t)by * 8 * bw * 8 + bx * 8, (size_t)bw * 8);
        }
    if (rc) {
        s->block_cal = grid_ratio(rc, bw * 8, bh * 8, (size_t)bw * 8);
        s->block_obs = grid_ratio(g + (size_t)y0 * w + x0, 8 * s->wb, 8 * s->hb, w);
        free(rc);
    }
}

/* F5 beta from |c| = 0, 1, 2 of modes (0,1),(1,0),(1,1); least squares form. */
static double f5_beta(const jstats *s)
{
    if (!s->obs_blocks || !s->cal_blocks)
        return 0;
    double sum = 0;
    int n = 0;
    for (int m = 0; m < 3; m++) {
        const double *o = s->obs[m == 0 ? 0 : m == 1 ? 1 : 3], *c = s->cal[m == 0 ? 0 : m == 1 ? 1 : 3];
        double h0 = o[4] / s->obs_blocks, h1 = (o[3] + o[5]) / s->obs_blocks;
        double c0 = c[4] / s->cal_blocks, c1 = (c[3] + c[5]) / s->cal_blocks,
               c2 = (c[2] + c[6]) / s->cal_blocks;
        double den = c1 * c1 + (c2 - c1) * (c2 - c1);
        if (den <= 0)
            continue;
        sum += (c1 * (h0 - c0) + (h1 - c1) * (c2 - c1)) / den;
        n++;
    }
    double b = n ? sum / n : 0;
    return b < 0 ? 0 : b > 1 ? 1 : b;
}

static double calib_dist(const jstats *s)
{
    if (!s->obs_blocks || !s->cal_blocks)
        return 0;
    double d = 0;
    for (int m = 0; m < LOWMODES; m++) {
        double num = 0, den = 0;
        for (int v = 0; v < 9; v++) {
            double a = s->obs[m][v] / s->obs_blocks, b = s->cal[m][v] / s->cal_blocks;
            num += fabs(a - b);
            den += b;
        }
        d += den > 0 ? num / den : 0;
    }
    return d / LOWMODES;
}

/* Decompresses the luminance of buf into a new grey plane. */
static uint8_t *luma(const uint8_t *buf, size_t len, uint32_t *w, uint32_t *h)
{
    struct jpeg_decompress_struct ci;
    jerr e;
    uint8_t *volatile g = NULL;
    ci.err = jpeg_std_error(&e.pub);
    e.pub.error_exit = on_error;
    e.pub.emit_message = on_message;
    if (setjmp(e.jb)) {
        jpeg_destroy_decompress(&ci);
        free(g);
        return NULL;
    }
    jpeg_create_decompress(&ci);
    jpeg_mem_src(&ci, buf, (unsigned long)len);
    jpeg_read_header(&ci, TRUE);
    ci.out_color_space = JCS_GRAYSCALE;
    jpeg_start_decompress(&ci);
    *w = ci.output_width;
    *h = ci.output_height;
    g = malloc((size_t)*w * *h);
    if (!g) {
        jpeg_destroy_decompress(&ci);
        return NULL;
    }
    while (ci.output_scanline < ci.output_height) {
        JSAMPROW row = g + (size_t)ci.output_scanline * *w;
        jpeg_read_scanlines(&ci, &row, 1);
    }
    jpeg_finish_decompress(&ci);
    jpeg_destroy_decompress(&ci);
    return g;
}

static vg_status coef_pass(const uint8_t *buf, size_t len, const vg_limits *lim, jstats *s,
                           vg_steg_jpeg *o, JQUANT_TBL *q0, vg_error *err)
{
    struct jpeg_decompress_struct ci;
    jerr e;
    ci.err = jpeg_std_error(&e.pub);
    e.pub.error_exit = on_error;
    e.pub.emit_message = on_message;
    if (setjmp(e.jb)) {
        jpeg_destroy_decompress(&ci);
        return vg_errorf(err, VG_ERR_CORRUPT, "JPEG coefficients: %s", e.msg);
    }
    jpeg_create_decompress(&ci);
    jpeg_mem_src(&ci, buf, (unsigned long)len);
    jpeg_read_header(&ci, TRUE);
    o->width = ci.image_width;
    o->height = ci.image_height;
    uint64_t maxpx = lim && lim->max_pixels ? lim->max_pixels : 200000000ull;
    if ((uint64_t)ci.image_width * ci.image_height > maxpx) {
        jpeg_destroy_decompress(&ci);
        return vg_errorf(err, VG_ERR_LIMIT_PIXELS, "JPEG %ux%u over the pixel limit",
                         ci.image_width, ci.image_height);
    }
    jvirt_barray_ptr *arr = jpeg_read_coefficients(&ci);
    if (e.pub.num_warnings > 0) {
        jpeg_destroy_decompress(&ci);
        return vg_errorf(err, VG_ERR_CORRUPT,
                         "JPEG data damaged (%ld warnings): DCT statistics not computed",
                         e.pub.num_warnings);
    }
    if (!ci.comp_info[0].quant_table) {
        jpeg_destroy_decompress(&ci);
        return vg_errorf(err, VG_ERR_CORRUPT, "JPEG without a luminance quantisation table");
    }
    *q0 = *ci.comp_info[0].quant_table;
    o->quality_hint = quality(q0);
    set_window(s, ci.image_width, ci.image_height);
    count(&ci, arr, s, o);
    uint64_t total = 0;
    for (int k = 0; k < HIST_N; k++)
        total += s->hist[k];
    o->jsteg_p = vgi_pairs_p(s->hist, HIST_N, HIST_OFF);
    o->jsteg_prefix = jsteg_prefix(&ci, arr, total, s->hist);
    jpeg_finish_decompress(&ci);
    jpeg_destroy_decompress(&ci);
    return VG_OK;
}

vg_status vg_steg_jpeg_stats(const uint8_t *buf, size_t len, const vg_limits *limits,
                             vg_steg_jpeg *out, vg_error *err)
{
    if (!out || !buf)
        return vg_errorf(err, VG_ERR_ARG, "vg_steg_jpeg_stats: NULL argument");
    memset(out, 0, sizeof *out);
    if (len < 4 || buf[0] != 0xff || buf[1] != 0xd8)
        return vg_errorf(err, VG_ERR_FORMAT, "not a JPEG");
    jstats *s = calloc(1, sizeof *s);
    uint64_t *hist = calloc(HIST_N, sizeof *hist);
    if (!s || !hist) {
        free(s);
        free(hist);
        return vg_errorf(err, VG_ERR_NOMEM, "out of memory");
    }
    s->hist = hist;
    JQUANT_TBL q0;
    vg_status st = coef_pass(buf, len, limits, s, out, &q0, err);
    uint32_t w = 0, h = 0;
    uint8_t *g = st ? NULL : luma(buf, len, &w, &h);
    if (g) {
        calibrate(g, w, &q0, s);
        out->f5_beta = f5_beta(s);
        out->calib_dist = calib_dist(s);
        out->calib_block = s->block_obs - s->block_cal;
        free(g);
    }
    free(hist);
    free(s);
    return st;
}
