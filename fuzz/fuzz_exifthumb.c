/* fuzz_exifthumb.c - vg_exif_thumbnail on arbitrary bytes: a thumbnail found
 * must lie inside the buffer and start with a JPEG SOI. */
#include <stdint.h>
#include <stdlib.h>

#include "vigil/evidence.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t off, len;
    if (vg_exif_thumbnail(data, size, &off, &len) &&
        (off > size || len > size - off || len < 2 || data[off] != 0xFF || data[off + 1] != 0xD8))
        abort();
    return 0;
}
