/* exif.h - the few EXIF fields an examiner asks for first: camera make and
 * model, when the picture was taken, and where (GPS).
 *
 * Read from the bytes of an image file in memory (JPEG APP1, PNG eXIf, WebP
 * EXIF chunk, a TIFF file's own IFD0, HEIF/AVIF Exif item). Every offset in
 * the block is checked against the buffer; a field that is absent, of the
 * wrong type or points outside the block is left empty rather than failing
 * the whole read. Text fields are copied with control and non-ASCII bytes
 * replaced by '?', so they can be printed or put in JSON as they are.
 */
#ifndef VIGIL_EXIF_H
#define VIGIL_EXIF_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vg_exif {
    int orientation;    /* 1..8; 0 when absent */
    char make[64];      /* IFD0 Make; "" when absent */
    char model[64];     /* IFD0 Model */
    char datetime[32];  /* DateTimeOriginal, else IFD0 DateTime: "YYYY:MM:DD HH:MM:SS" */
    int has_gps;        /* latitude and longitude were both present and valid */
    double latitude;    /* degrees, south negative */
    double longitude;   /* degrees, west negative */
} vg_exif;

/* Finds the EXIF block of the image in buf and fills *out (which the call
 * zeroes first). VG_ERR_NOTFOUND when the file has no EXIF block (or is not
 * an image vigil knows), VG_ERR_CORRUPT when the block's TIFF header is not
 * readable. Thread-safe; never reads outside [buf, buf+len). */
vg_status vg_exif_read(const uint8_t *buf, size_t len, vg_exif *out, vg_error *err);

/* The same from a TIFF-structured EXIF block (the bytes after "Exif\0\0" in a
 * JPEG APP1; that prefix is skipped when present). */
vg_status vg_exif_parse(const uint8_t *block, size_t len, vg_exif *out, vg_error *err);

#ifdef __cplusplus
}
#endif
#endif
