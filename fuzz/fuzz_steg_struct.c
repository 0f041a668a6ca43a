/* fuzz_steg_struct.c - the structural walkers alone (JPEG, PNG, GIF, BMP,
 * WebP, polyglot search): fast, so it reaches far more inputs per second
 * than fuzz_steg, which also decodes and runs the pixel and DCT detectors. */
#include <stddef.h>
#include <stdint.h>

#include "vigil/steg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vg_steg_findings f = {0};
    vg_steg_structural(data, size, &f, NULL);
    for (size_t i = 0; i < f.n; i++)
        if (f.v[i].offset + f.v[i].length > size || f.v[i].entropy < 0 || f.v[i].entropy > 8)
            __builtin_trap();
    vg_steg_findings_free(&f);
    return 0;
}
