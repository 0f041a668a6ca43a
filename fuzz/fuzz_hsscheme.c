/* fuzz_hsscheme.c - category scheme files (vg_hs_scheme_load), then mapping
 * a few raw values through the loaded scheme. */
#include <stdio.h>
#include <unistd.h>

#include "vigil/hashset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0])
        snprintf(path, sizeof path, "/tmp/fuzz-hsscheme-%d", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    vg_hs_scheme *s = NULL;
    if (vg_hs_scheme_load(path, &s, NULL) == VG_OK) {
        static const char *const raws[] = {"0", "1", "A", "cat a", "none", "", "999999999999"};
        for (size_t i = 0; i < sizeof raws / sizeof raws[0]; i++) {
            const char *code, *label;
            if (vg_hs_scheme_map(s, raws[i], &code, &label) == VG_OK)
                vg_hs_scheme_vics_number(s, code);
        }
        vg_hs_scheme_free(s);
    }
    return 0;
}
