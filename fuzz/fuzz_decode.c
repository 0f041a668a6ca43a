/* fuzz_decode.c - libFuzzer harness: identify, decode and PDQ-hash any bytes.
 *
 * Limits are small so that the fuzzer explores parsers rather than waiting on
 * big allocations: 4 MP, 16 MiB, 5 s. Each input is decoded three ways (full
 * size RGB with the PDQ pre-shrink and all eight PDQ variants; grey at full
 * size; header only), which covers the sink's shrink and copy paths and every
 * decoder's early exit; then its EXIF fields are read. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vigil/exif.h"
#include "vigil/image.h"
#include "vigil/pdq.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/* libheif 1.15's dav1d plugin leaks the dav1d_data it created when
 * dav1d_send_data() rejects it (40 bytes per damaged AVIF; libheif issue
 * #1753). vigil frees all it owns; without this the fuzzer stops there. */
const char *__lsan_default_suppressions(void)
{
    return "leak:libdav1d.so\n";
}

static void one(const uint8_t *data, size_t size, vg_decode_opts *o, int hash)
{
    vg_image img;
    vg_error e;
    vg_pdq h[VG_PDQ_VARIANTS];
    int q;

    if (vg_image_decode(data, size, o, &img, &e) == VG_OK && hash && img.pixels)
        vg_pdq_hash(&img, 1, h, &q, NULL);
    vg_image_free(&img);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vg_limits lim = {4000000, 16u << 20, 5.0};
    vg_decode_opts o;

    memset(&o, 0, sizeof o);
    o.limits = &lim;
    o.pdq_side = VG_PDQ_SIDE;
    one(data, size, &o, 1);
    o.pdq_side = 0;
    o.grey = 1;
    one(data, size, &o, 0);
    o.header_only = 1;
    one(data, size, &o, 0);
    vg_exif x;
    vg_exif_read(data, size, &x, NULL);
    return 0;
}
