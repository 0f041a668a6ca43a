/* pdq_opts.c - the decode options behind vigil's two PDQ modes, defined once
 * for the CLI, the scanner and the benchmark. */
#include "vigil/pdq.h"

void vg_pdq_decode_opts(vg_decode_opts *o, int fast)
{
    o->pdq_side = VG_PDQ_SIDE;
    o->scale_denom = 0;
    o->grey = 0;
    if (fast) {
        /* measured in bench/pdq: see docs/pdq.md */
        o->grey = 1;
    }
}
