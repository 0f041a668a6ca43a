/* pdq_bits.c - PDQ hash bits: thresholding at the median, Hamming distance,
 * hex text.
 *
 * Bit (i, j) of the 16x16 DCT is bit j of the reference's 16-bit word i; the
 * reference prints word 15 first, as %04hx, so vg_pdq keeps the bytes in
 * printing order: b[2 * (15 - i)] holds columns 15..8 of row i and
 * b[2 * (15 - i) + 1] columns 7..0. */
#include <stdlib.h>
#include <string.h>

#include "pdq_int.h"
#include "vigil/util.h"

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

void vgi_pdq_threshold(const float dct[VGI_PDQ_DCT][VGI_PDQ_DCT], vg_pdq *out)
{
    enum { N = VGI_PDQ_DCT * VGI_PDQ_DCT };
    float sorted[N], median;

    /* Torben's median as the reference uses it returns the lower median
     * (the 128th smallest of 256); sorting gives the same value. */
    memcpy(sorted, dct, sizeof sorted);
    qsort(sorted, N, sizeof *sorted, cmp_float);
    median = sorted[N / 2 - 1];
    memset(out, 0, sizeof *out);
    for (int i = 0; i < VGI_PDQ_DCT; i++)
        for (int j = 0; j < VGI_PDQ_DCT; j++)
            if (dct[i][j] > median)
                out->b[2 * (15 - i) + (j < 8)] |= (uint8_t)(1u << (j & 7));
}

int vg_pdq_distance(const vg_pdq *a, const vg_pdq *b)
{
    int d = 0;
    for (size_t i = 0; i < sizeof a->b; i++)
        d += __builtin_popcount((unsigned)(a->b[i] ^ b->b[i]));
    return d;
}

void vg_pdq_to_hex(const vg_pdq *h, char hex[VG_PDQ_HEX_LEN + 1])
{
    vg_hex_encode(h->b, sizeof h->b, hex);
}

vg_status vg_pdq_from_hex(const char *hex, vg_pdq *h)
{
    vg_pdq tmp;

    /* vg_hex_decode stops at a NUL, so reading hex[64] after it is safe */
    if (!hex || vg_hex_decode(hex, sizeof tmp.b, tmp.b) != 0 || hex[VG_PDQ_HEX_LEN] != '\0')
        return VG_ERR_SYNTAX;
    *h = tmp;
    return VG_OK;
}
