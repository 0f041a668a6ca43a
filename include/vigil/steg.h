/* steg.h - steganalysis: structural findings, LSB-replacement estimators,
 * JPEG-domain statistics and a combined verdict per image.
 *
 * Three layers, each usable alone:
 *   1. vg_steg_structural() parses the raw bytes of a JPEG, PNG, GIF, BMP or
 *      WebP (bounds-checked parsers of their own, no decoder) and reports data
 *      appended after the image, embedded file signatures (polyglots), odd or
 *      oversized metadata and known tool marks, each located by offset and
 *      length in the input, so a caller can cut the payload out with
 *      buf + offset, length.
 *   2. vg_steg_lsb() runs Sample Pair Analysis, Weighted Stego, RS analysis and
 *      the sequential chi-square attack per channel of an 8-bit pixel buffer.
 *      Each returns an estimated LSB-replacement payload in bits per channel
 *      value; a channel that is saturated, flat or palette-like, or an image
 *      that carries JPEG 8x8 blocking, is marked not analysable.
 *   3. vg_steg_jpeg() reads the DCT coefficients of a JPEG (libjpeg-turbo) and
 *      computes the jsteg chi-square, the F5 calibration estimate and a
 *      calibrated histogram distance.
 * vg_steg_analyse() decodes the image (vg_image_decode) and combines all three.
 * Nothing here prints, exits or keeps global state; every function is
 * thread-safe and bounded in memory by the input and vg_limits.
 */
#ifndef VIGIL_STEG_H
#define VIGIL_STEG_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/image.h"
#include "vigil/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- 1. structural ---------------------------------------------------- */

typedef enum vg_steg_kind {
    VG_STEG_APPENDED = 1, /* bytes after the end of the image structure */
    VG_STEG_EMBEDDED = 2, /* a foreign file signature inside the image (polyglot) */
    VG_STEG_SEGMENT = 3,  /* oversized or odd metadata (COM, APPn, ICC, XMP, text chunk) */
    VG_STEG_TOOLMARK = 4  /* a known steganography tool's fingerprint */
} vg_steg_kind;

typedef struct vg_steg_finding {
    vg_steg_kind kind;
    uint64_t offset;  /* first byte of the payload in the input */
    uint64_t length;  /* bytes of payload; offset + length <= input length */
    double entropy;   /* Shannon entropy of those bytes, bits per byte (0..8) */
    char type[16];    /* the payload's own type by magic: "zip", "rar", "7z",
                       * "pdf", "elf", "pe", "gzip", "jpeg", "png", "gif",
                       * "text", "zeros", "data" */
    char detail[112]; /* what was found, e.g. "data after JPEG EOI" */
} vg_steg_finding;

/* A growable list; zero-initialise before first use, free with
 * vg_steg_findings_free(). */
typedef struct vg_steg_findings {
    vg_steg_finding *v;
    size_t n, cap;
} vg_steg_findings;

void vg_steg_findings_free(vg_steg_findings *f);

/* Appends to *out the structural findings of buf (JPEG, PNG, GIF, BMP, WebP;
 * other types get only the polyglot scan over the whole buffer). A malformed
 * image is not an error: when its structure breaks before the end marker the
 * walk stops and no trailer is claimed (where the image would have ended is
 * unknown); findings before that point stand. Trailers under 4096 bytes that
 * are only 0x00/0xFF/line-end padding are not reported. Returns VG_OK,
 * VG_ERR_ARG (NULL out, or NULL buf with len > 0) or VG_ERR_NOMEM (out keeps
 * what was found before). At most VG_STEG_MAX_FINDINGS findings per call. */
#define VG_STEG_MAX_FINDINGS 64
vg_status vg_steg_structural(const uint8_t *buf, size_t len, vg_steg_findings *out,
                             vg_error *err);

/* Shannon entropy of len bytes, bits per byte; 0 for len 0. */
double vg_steg_entropy(const uint8_t *buf, size_t len);

/* The type of a payload by its first bytes ("zip", ..., "data"); never NULL. */
const char *vg_steg_magic(const uint8_t *buf, size_t len);

/* ---- 2. spatial LSB replacement --------------------------------------- */

/* An 8-bit interleaved pixel buffer (as vg_image holds); not owned. */
typedef struct vg_steg_pixels {
    const uint8_t *data;
    uint32_t width, height;
    int channels; /* 1..4; only the first 3 are analysed */
    size_t stride;
} vg_steg_pixels;

/* Why a channel's estimates are not trusted (0 = analysable). */
typedef enum vg_steg_na {
    VG_STEG_ANALYSABLE = 0,
    VG_STEG_NA_SMALL = 1,      /* fewer than 4096 pixels */
    VG_STEG_NA_SATURATED = 2,  /* too many values at 0 or 255 */
    VG_STEG_NA_FLAT = 3,       /* too many equal neighbours (graphics, flat fills) */
    VG_STEG_NA_PALETTE = 4,    /* too few distinct values or colours */
    VG_STEG_NA_JPEG_ORIGIN = 5 /* 8x8 blocking: decompressed from a JPEG */
} vg_steg_na;

/* "analysable", "small", "saturated", "flat", "palette", "jpeg-origin". */
const char *vg_steg_na_name(vg_steg_na na);

typedef struct vg_steg_lsb {
    int channels;        /* analysed channels (1 or 3) */
    vg_steg_na na[3];    /* per channel */
    vg_steg_na image_na; /* VG_STEG_ANALYSABLE if any channel is */
    /* Estimated LSB-replacement payload, bits per channel value (0..1),
     * per channel; computed even when not analysable. */
    double spa[3], ws[3], rs[3];
    /* Sequential chi-square attack: fraction of the channel's raster-order
     * stream, from its start, whose value histogram has pairs (2i,2i+1)
     * equalised (p-value >= 0.5); 0 when even the first 1 % is not. */
    double chi[3];
    /* Maxima and means over analysable channels (0 when none is). An
     * embedder that uses every channel moves the mean as much as the max,
     * while cover noise in the mean is smaller; one-channel embedding shows
     * in the max. */
    double spa_max, ws_max, rs_max, chi_max;
    double spa_mean, ws_mean, rs_mean;
    double blockiness; /* 8x8 grid difference ratio; ~1.0 never-lossy, > 1.1 JPEG-origin */
} vg_steg_lsb;

/* Runs SPA, WS, RS and chi-square on px. VG_ERR_ARG for a bad buffer
 * (NULL data, channels outside 1..4, stride too small), VG_ERR_NOMEM. */
vg_status vg_steg_lsb_analyse(const vg_steg_pixels *px, vg_steg_lsb *out, vg_error *err);

/* The single estimators on channel ch of px; each returns the payload
 * estimate in bits per value, clamped to [0, 1]. */
double vg_steg_spa(const vg_steg_pixels *px, int ch);
double vg_steg_ws(const vg_steg_pixels *px, int ch);
double vg_steg_rs(const vg_steg_pixels *px, int ch);
double vg_steg_chi(const vg_steg_pixels *px, int ch);

/* ---- 3. JPEG domain ---------------------------------------------------- */

typedef struct vg_steg_jpeg {
    uint32_t width, height;
    uint64_t nonzero_ac;  /* AC coefficients != 0, all components (bpnzAC's base) */
    /* jsteg-style chi-square over all components' coefficients, pairs
     * (2i,2i+1) without (0,1): fraction of the stream from its start that is
     * equalised (as vg_steg_lsb.chi) and the p-value of the whole stream. */
    double jsteg_prefix, jsteg_p;
    /* F5 calibration (Fridrich, Goljan, Hogea 2002): estimated fraction of
     * changed non-zero AC coefficients (beta), from modes (0,1),(1,0),(1,1). */
    double f5_beta;
    /* Calibrated histogram distance: mean over the 9 lowest AC modes of the
     * relative L1 difference between the histogram of values -4..4 and the
     * calibrated one. Embedding that spreads changes (OutGuess, steghide)
     * raises it. */
    double calib_dist;
    /* Calibrated blockiness: the luminance's 8x8 grid ratio (mean absolute
     * difference across block edges over the mean inside blocks) minus the
     * same ratio of the calibrated, re-quantised and re-decoded image. DCT
     * embedding adds discontinuities at block edges. */
    double calib_block;
    int quality_hint; /* approximate IJG quality from the luminance table, 0 unknown */
} vg_steg_jpeg;

/* Reads buf with jpeg_read_coefficients (baseline, progressive, arithmetic)
 * and computes the statistics; *out is zeroed first. Returns VG_ERR_ARG (NULL
 * buf or out), VG_ERR_FORMAT (no SOI), VG_ERR_CORRUPT (libjpeg refused the
 * data; the message is libjpeg's), VG_ERR_LIMIT_PIXELS (over
 * limits->max_pixels; NULL limits = 200 megapixels) or VG_ERR_NOMEM. The
 * calibration fields stay 0 when the luminance cannot be decompressed. */
vg_status vg_steg_jpeg_stats(const uint8_t *buf, size_t len, const vg_limits *limits,
                             vg_steg_jpeg *out, vg_error *err);

/* ---- 4. combined verdict ------------------------------------------------- */

typedef enum vg_steg_verdict {
    VG_STEG_CLEAN = 0,
    VG_STEG_SUSPICIOUS = 1, /* a statistical detector over its threshold */
    VG_STEG_PAYLOAD = 2     /* a structural finding located a payload */
} vg_steg_verdict;

/* "clean", "suspicious", "payload". */
const char *vg_steg_verdict_name(vg_steg_verdict v);

typedef struct vg_steg_report {
    vg_image_type type;
    vg_steg_verdict verdict;
    char reason[256];        /* the finding or detector and score behind the verdict */
    vg_steg_findings found;  /* structural findings (owned) */
    int has_lsb;             /* lsb filled (never-lossy formats that decoded) */
    vg_steg_lsb lsb;
    int has_jpeg;            /* jpeg filled (JPEG that read) */
    vg_steg_jpeg jpeg;
    vg_status decode_status; /* VG_OK, or why pixels/coefficients were unavailable */
} vg_steg_report;

/* Thresholds, each near the 99th percentile of its score on the benchmark's
 * covers (bench/steg/RESULTS.md, docs/steg.md), i.e. about 1 % false
 * positives per rule on analysable never-compressed PNG covers and on q85
 * JPEG covers. A statistical score over its threshold makes the verdict
 * suspicious; structural findings of kind APPENDED (>= 16 bytes), EMBEDDED or
 * TOOLMARK make it payload, other findings make it suspicious. Spatial rules
 * apply only to analysable images: the WS mean over channels (the best
 * detector on the benchmark) or WS in one channel far over it (one-channel
 * embedding). */
#define VG_STEG_T_WS 0.12      /* lsb.ws_mean */
#define VG_STEG_T_CHANNEL 0.30 /* lsb.ws_max */
#define VG_STEG_T_JSTEG 0.20   /* jpeg.jsteg_prefix */
#define VG_STEG_T_F5 0.50      /* jpeg.f5_beta */
#define VG_STEG_T_BLOCK 0.75   /* jpeg.calib_block */

/* Runs everything that applies to buf and fills *out (which the call
 * initialises; free with vg_steg_report_free). A file that does not decode is
 * not an error: the structural findings stand, decode_status says why pixels
 * were not analysed. Returns VG_ERR_NOMEM, VG_ERR_ARG (NULL out), else VG_OK.
 * limits may be NULL (defaults). */
vg_status vg_steg_analyse(const uint8_t *buf, size_t len, const vg_limits *limits,
                          vg_steg_report *out, vg_error *err);

void vg_steg_report_free(vg_steg_report *r);

#ifdef __cplusplus
}
#endif
#endif
