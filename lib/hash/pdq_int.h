/* pdq_int.h - what the PDQ files of lib/hash share: the 16x16 DCT output and
 * its thresholding into a hash. */
#ifndef VIGIL_PDQ_INT_H
#define VIGIL_PDQ_INT_H

#include "vigil/pdq.h"

#define VGI_PDQ_DCT 16 /* coefficients kept per axis */

/* Sets bit (i, j) of out iff dct[i][j] is above the lower median of all 256
 * values, as the reference does. */
void vgi_pdq_threshold(const float dct[VGI_PDQ_DCT][VGI_PDQ_DCT], vg_pdq *out);

/* Fills out[0..VG_PDQ_VARIANTS-1] with the hashes of the 8 dihedral
 * transforms of the image whose DCT is dct, without re-hashing. */
void vgi_pdq_dihedral(const float dct[VGI_PDQ_DCT][VGI_PDQ_DCT], vg_pdq *out);

#endif
