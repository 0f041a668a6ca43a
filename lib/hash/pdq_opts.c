/* pdq_opts.c - the decode options behind vigil's two PDQ modes, defined once
 * for the CLI, the scanner and the benchmark.
 *
 * Fast mode decodes only the JPEG's Y plane (skipping chroma upsampling and
 * colour conversion) with the largest DCT scaling, up to 1/8, that keeps both
 * sides at least 512, so the reference's 512x512 nearest-neighbour sampling
 * still sees a full grid. bench/pdq measured this against the alternatives
 * (Y or RGB; full size, 1/2, 1/4, 1/8; 1/8 regardless of size): on 387 photos
 * it runs at 1.26x the cost of a bare 1/8 RGB decode with hashes a median 2,
 * at most 16 bits from exact mode, while 1/8 regardless of size is a median
 * 12 and up to 48 bits off (bench/pdq/RESULTS.md). */
#include "vigil/pdq.h"

void vg_pdq_decode_opts(vg_decode_opts *o, int fast)
{
    o->pdq_side = VG_PDQ_SIDE;
    o->scale_denom = fast ? 8 : 0;
    o->grey = fast ? 1 : 0;
}
