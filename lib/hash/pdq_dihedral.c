/* pdq_dihedral.c - the 8 rotations and mirror images of a PDQ hash, derived
 * from one DCT.
 *
 * Basis function k of the DCT is symmetric about the image centre when k is
 * even and antisymmetric when k is odd; coefficient index i stands for
 * frequency i + 1, so mirroring an axis negates the coefficients with even
 * index along it, and swapping the axes transposes the matrix. Each variant is
 * thresholded at its own median, as the reference does.
 */
#include "pdq_int.h"

static const char *const names[VG_PDQ_VARIANTS] = {
    "orig", "rot90", "rot180", "rot270", "flipx", "flipy", "flipplus1", "flipminus1"};

const char *vg_pdq_variant_name(vg_pdq_variant v)
{
    return (unsigned)v < VG_PDQ_VARIANTS ? names[v] : "unknown";
}

/* How each variant is made from the original: transpose, then negate the
 * coefficients whose original row index i (resp. column index j) is even. */
static const struct {
    unsigned char transpose, neg_i, neg_j;
} ops[VG_PDQ_VARIANTS] = {
    [VG_PDQ_ORIG] = {0, 0, 0},        [VG_PDQ_ROT90] = {1, 0, 1},
    [VG_PDQ_ROT180] = {0, 1, 1},      [VG_PDQ_ROT270] = {1, 1, 0},
    [VG_PDQ_FLIPX] = {0, 1, 0},       [VG_PDQ_FLIPY] = {0, 0, 1},
    [VG_PDQ_FLIP_PLUS1] = {1, 0, 0},  [VG_PDQ_FLIP_MINUS1] = {1, 1, 1},
};

void vgi_pdq_dihedral(const float dct[VGI_PDQ_DCT][VGI_PDQ_DCT], vg_pdq *out)
{
    float t[VGI_PDQ_DCT][VGI_PDQ_DCT];

    for (int v = 0; v < VG_PDQ_VARIANTS; v++) {
        for (int i = 0; i < VGI_PDQ_DCT; i++)
            for (int j = 0; j < VGI_PDQ_DCT; j++) {
                int neg = (ops[v].neg_i && i % 2 == 0) ^ (ops[v].neg_j && j % 2 == 0);
                float c = neg ? -dct[i][j] : dct[i][j];
                if (ops[v].transpose)
                    t[j][i] = c;
                else
                    t[i][j] = c;
            }
        vgi_pdq_threshold((const float(*)[VGI_PDQ_DCT])t, &out[v]);
    }
}
