/* fuzz_steg.c - structural parsers, JPEG statistics and the combined verdict
 * on arbitrary bytes; the tail of the input also feeds the LSB estimators as
 * a tiny pixel buffer. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vigil/steg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vg_steg_findings f = {0};
    vg_steg_structural(data, size, &f, NULL);
    for (size_t i = 0; i < f.n; i++)
        if (f.v[i].offset + f.v[i].length > size)
            __builtin_trap();
    vg_steg_findings_free(&f);
    vg_limits lim = {262144, 1u << 24, 5};
    vg_steg_report r;
    if (vg_steg_analyse(data, size, &lim, &r, NULL) == VG_OK)
        vg_steg_report_free(&r);
    if (size >= 64) {
        uint32_t w = 8 + data[0] % 24;
        int c = 1 + data[1] % 3;
        uint32_t h = (uint32_t)(size / ((size_t)w * c));
        vg_steg_pixels px = {data, w, h, c, (size_t)w * c};
        vg_steg_lsb l;
        vg_steg_lsb_analyse(&px, &l, NULL);
    }
    return 0;
}
