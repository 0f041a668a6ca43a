/* pdq.h - PDQ perceptual hashes (Meta's ThreatExchange PDQ, 256 bits).
 *
 * Bit-exact with the C++ reference when given the same pixels: luminance
 * 0.299R + 0.587G + 0.114B, Jarosz tent filter (two box passes) and decimation
 * to 64x64, 16x16 DCT (coefficients 1..16), threshold at the median. The
 * reference pre-shrinks images with a side over 512 to 512x512 by nearest
 * neighbour; vg_image_decode does that when opts.pdq_side = VG_PDQ_SIDE.
 *
 * A vg_pdq holds the 256 bits in the order of the reference's hex string:
 * b[0] is its first two hex digits (DCT row 15, columns 15..8) and the least
 * significant bit of b[31] is DCT coefficient (0,0).
 */
#ifndef VIGIL_PDQ_H
#define VIGIL_PDQ_H

#include <stdint.h>

#include "vigil/image.h"
#include "vigil/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VG_PDQ_SIDE 512   /* the reference's pre-shrink size */
#define VG_PDQ_HEX_LEN 64 /* hex digits, without the NUL */

typedef struct vg_pdq {
    uint8_t b[32];
} vg_pdq;

/* The 8 dihedral variants, in the reference's order. */
typedef enum vg_pdq_variant {
    VG_PDQ_ORIG = 0,
    VG_PDQ_ROT90,
    VG_PDQ_ROT180,
    VG_PDQ_ROT270,
    VG_PDQ_FLIPX,
    VG_PDQ_FLIPY,
    VG_PDQ_FLIP_PLUS1,
    VG_PDQ_FLIP_MINUS1,
    VG_PDQ_VARIANTS /* 8 */
} vg_pdq_variant;

/* "orig", "rot90", "rot180", "rot270", "flipx", "flipy", "flipplus1", "flipminus1". */
const char *vg_pdq_variant_name(vg_pdq_variant v);

/* Sets the decode options PDQ uses: o->pdq_side = VG_PDQ_SIDE and, when fast
 * is 0 ("exact"), full-size RGB decoding, which gives the reference's hash
 * bit for bit; when fast is 1, the cheaper JPEG decode described in
 * docs/pdq.md (hashes a few bits away from exact). Other fields of o are left
 * as they are. */
void vg_pdq_decode_opts(vg_decode_opts *o, int fast);

/* Hashes the decoded pixels of img (1 or 3 channels). out receives the hash
 * (or, when dihedral is set, VG_PDQ_VARIANTS hashes in vg_pdq_variant order,
 * all derived from one DCT); *quality receives 0..100. Images with a side
 * under 5 hash to all zeros with quality 0, as in the reference. */
vg_status vg_pdq_hash(const vg_image *img, int dihedral, vg_pdq *out, int *quality,
                      vg_error *err);

/* Hamming distance, 0..256. */
int vg_pdq_distance(const vg_pdq *a, const vg_pdq *b);

/* Writes 64 lower-case hex digits and a NUL into hex. */
void vg_pdq_to_hex(const vg_pdq *h, char hex[VG_PDQ_HEX_LEN + 1]);

/* Parses exactly 64 hex digits (either case). VG_ERR_SYNTAX otherwise. */
vg_status vg_pdq_from_hex(const char *hex, vg_pdq *h);

#ifdef __cplusplus
}
#endif
#endif
