/* pdq_int.h - what the PDQ files of lib/hash share: the 16x16 DCT output and
 * its thresholding into a hash. */
#ifndef VIGIL_PDQ_INT_H
#define VIGIL_PDQ_INT_H

#include <stddef.h>

#include "vigil/pdq.h"

#define VGI_PDQ_DCT 16 /* coefficients kept per axis */

#define VGI_PDQ_LANES 8 /* rows filtered side by side along their length */

/* Floats of scratch vgi_pdq_jarosz needs besides its two image buffers. */
#define VGI_PDQ_JAROSZ_SCRATCH(cols, rows) \
    ((size_t)2 * VGI_PDQ_LANES * (cols) + ((cols) > (rows) ? (cols) : (rows)) + VGI_PDQ_LANES)

/* Filters the rows x cols image in a in place (b: scratch of the same size,
 * t: VGI_PDQ_JAROSZ_SCRATCH floats), windows floor((side + 127) / 128). */
void vgi_pdq_jarosz(float *a, float *b, size_t rows, size_t cols, float *t);

/* Sets bit (i, j) of out iff dct[i][j] is above the lower median of all 256
 * values, as the reference does. */
void vgi_pdq_threshold(const float dct[VGI_PDQ_DCT][VGI_PDQ_DCT], vg_pdq *out);

/* Fills out[0..VG_PDQ_VARIANTS-1] with the hashes of the 8 dihedral
 * transforms of the image whose DCT is dct, without re-hashing. */
void vgi_pdq_dihedral(const float dct[VGI_PDQ_DCT][VGI_PDQ_DCT], vg_pdq *out);

#endif
