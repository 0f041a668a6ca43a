/* fuzz_thumbnail.c - libFuzzer harness: the report's blurred preview of any
 * bytes. Decoding is fuzzed by fuzz_decode; this drives the shrink, blur and
 * JPEG encoding over whatever sizes and shapes decoders produce (1 x N, N x 1,
 * tiny, odd), and checks that the same bytes give the same preview and that
 * the preview is a one-component JPEG of at most VG_THUMB_SIDE pixels. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/image.h"
#include "vigil/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/* libheif 1.15's dav1d plugin leak (see fuzz_decode.c). */
const char *__lsan_default_suppressions(void)
{
    return "leak:libdav1d.so\n";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vg_limits lim = {4u << 20, 16u << 20, 5.0};
    uint8_t *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    vg_error e;

    if (vg_report_thumbnail(data, size, &lim, &a, &na, &e) != VG_OK) {
        if (a)
            __builtin_trap(); /* no output on error */
        return 0;
    }
    if (vg_report_thumbnail(data, size, &lim, &b, &nb, &e) != VG_OK || na != nb ||
        memcmp(a, b, na) != 0)
        __builtin_trap(); /* not deterministic */
    vg_image img;
    vg_decode_opts o = {.header_only = 1};
    if (vg_image_decode(a, na, &o, &img, &e) != VG_OK || img.type != VG_IMAGE_JPEG ||
        img.width == 0 || img.height == 0 || img.width > VG_THUMB_SIDE ||
        img.height > VG_THUMB_SIDE)
        __builtin_trap();
    vg_image_free(&img);
    free(a);
    free(b);
    return 0;
}
