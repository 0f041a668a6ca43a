/* steg_int.h - helpers shared by the files of lib/steg (not public). */
#ifndef VIGIL_STEG_INT_H
#define VIGIL_STEG_INT_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/steg.h"

static inline uint32_t vgi_be16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }
static inline uint32_t vgi_le16(const uint8_t *p) { return (uint32_t)p[1] << 8 | p[0]; }
static inline uint32_t vgi_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline uint32_t vgi_le32(const uint8_t *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* Appends a finding over buf[off, off+n) with its entropy and magic type and a
 * printf-style detail. Returns 0, or -1 when out of memory; silently drops
 * findings past VG_STEG_MAX_FINDINGS. */
int vgi_steg_add(vg_steg_findings *f, const uint8_t *buf, vg_steg_kind kind, size_t off,
                 size_t n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* Reports buf[end, len) as appended data unless it is short zero/0xFF padding.
 * what names the end ("JPEG EOI"). Returns 0 or -1 (out of memory). */
int vgi_steg_trailer(vg_steg_findings *f, const uint8_t *buf, size_t len, size_t end,
                     const char *what);

/* Text that looks like an encoded blob: 1 if s[0,n) is long and base64/hex-like
 * or high in entropy (thresholds in text.c). */
int vgi_steg_blob_text(const uint8_t *s, size_t n);

/* 1 if at least 95 % of s[0,n) is printable ASCII, UTF-8 or whitespace. */
int vgi_steg_printable(const uint8_t *s, size_t n);

/* Format walkers: each appends segment findings and sets *end to the offset
 * one past the image structure (0 when the structure never completed, so no
 * trailer is claimed). Return 0 or -1 (out of memory). */
int vgi_steg_jpeg_walk(const uint8_t *b, size_t n, vg_steg_findings *f, size_t *end);
int vgi_steg_png_walk(const uint8_t *b, size_t n, vg_steg_findings *f, size_t *end);
int vgi_steg_gif_walk(const uint8_t *b, size_t n, vg_steg_findings *f, size_t *end);
int vgi_steg_bmp_walk(const uint8_t *b, size_t n, vg_steg_findings *f, size_t *end);
int vgi_steg_webp_walk(const uint8_t *b, size_t n, vg_steg_findings *f, size_t *end);

/* Searches buf[0, end) for foreign file signatures (ZIP, RAR, 7z, PDF, ELF, PE). */
int vgi_steg_polyglot(const uint8_t *b, size_t end, vg_steg_findings *f);

/* Upper regularised incomplete gamma Q(a, x): the chi-square p-value of
 * statistic x with 2a degrees of freedom is Q(a, x/2). */
double vgi_gamma_q(double a, double x);

/* Chi-square p-value that the pairs (2i,2i+1) of hist[0..nbins) are equalised
 * (Westfeld-Pfitzmann); skip_pair0 leaves out the pair holding index zero0. */
double vgi_pairs_p(const uint64_t *hist, size_t nbins, long skip_bin);

/* Pixel estimators read at most VGI_STEG_BUDGET pixels per channel (2^19,
 * twice a 512x512 image), taken as evenly spaced bands of rows, so a
 * 12-megapixel image costs what a half-megapixel one does; the estimates'
 * variance is already small at that size (bench/steg/RESULTS.md). */
#define VGI_STEG_BUDGET (1u << 19)

/* Row step for bands of `band` consecutive rows within the budget (>= 1). */
uint32_t vgi_row_step(const vg_steg_pixels *px, uint32_t band);

static inline const uint8_t *vgi_row(const vg_steg_pixels *px, uint32_t y)
{
    return px->data + (size_t)y * px->stride;
}

#endif
