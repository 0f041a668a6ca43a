/* fuzz_jpeg.c - libFuzzer harness: hostile bytes through the JPEG decoder
 * and PDQ, in the modes the scanner uses (exact, fast, header only), with a
 * small pixel limit so that large claimed sizes are refused cheaply. */
#include <stddef.h>
#include <stdint.h>

#include "vigil/image.h"
#include "vigil/pdq.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vg_limits lim = {.max_pixels = 1000000, .max_file_bytes = 1 << 24, .max_seconds = 5};
    vg_decode_opts o = {.limits = &lim};
    vg_image img;
    vg_error err;
    int mode = size ? data[size - 1] % 3 : 0;

    /* SOI prefix forces the JPEG path whatever the fuzzer mutates */
    if (size < 3 || data[0] != 0xff || data[1] != 0xd8 || data[2] != 0xff)
        return 0;
    vg_pdq_decode_opts(&o, mode == 1);
    o.header_only = mode == 2;
    if (vg_image_decode(data, size, &o, &img, &err) == VG_OK && img.pixels) {
        vg_pdq h[VG_PDQ_VARIANTS];
        int q;
        vg_pdq_hash(&img, 1, h, &q, &err);
    }
    vg_image_free(&img);
    return 0;
}
