/* hashfile.h - everything `vigil hash` computes for one file, in one read.
 *
 * The file is read once: the bytes feed the digests as they arrive and, when
 * the file is no larger than the in-memory limit, stay in memory to be
 * identified, decoded and PDQ-hashed. A file that cannot be read is an error of
 * the call; a file that can be read but not decoded still gets its digests,
 * and the decode failure is reported in the result (image_status, image_err).
 */
#ifndef VIGIL_HASHFILE_H
#define VIGIL_HASHFILE_H

#include <stdint.h>

#include "vigil/digest.h"
#include "vigil/image.h"
#include "vigil/pdq.h"
#include "vigil/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vg_hash_opts {
    const vg_limits *limits; /* NULL: defaults */
    int pdq_fast;            /* fast PDQ mode (see docs/pdq.md); 0 = exact */
    int p2p;                 /* also eD2k, urn:sha1, BitTorrent v2 root */
    int dihedral;            /* also the 8 dihedral PDQ variants */
    int follow_symlinks;     /* open through a symbolic link (command-line paths) */
    unsigned thumb_side;     /* also a clear colour preview JPEG of at most this
                              * many pixels on the long side (vigil/thumb.h);
                              * 0 = none */
} vg_hash_opts;

typedef struct vg_file_hashes {
    vg_digests digests;       /* valid when the call returned VG_OK */
    vg_image_type type;       /* by content; VG_IMAGE_UNKNOWN for non-images */
    uint32_t width, height;   /* 0 when unknown */
    uint32_t frames;
    int orientation;          /* EXIF orientation, 0 when absent */
    int have_pdq;
    vg_pdq pdq[VG_PDQ_VARIANTS]; /* pdq[0] is the hash; 1..7 with opts->dihedral */
    int pdq_quality;
    vg_status image_status;   /* VG_OK, or why an image could not be decoded */
    vg_error image_err;
    uint8_t *thumb;           /* with opts->thumb_side: the preview JPEG, malloc'd
                               * (the caller frees it), NULL when the picture
                               * did not decode */
    size_t thumb_len;
} vg_file_hashes;

/* Hashes the file at path. Returns VG_ERR_OPEN or VG_ERR_IO (err names the path
 * and the system's reason) when the file cannot be read; VG_ERR_ARG for a
 * directory, device or other non-regular file. */
vg_status vg_hash_file(const char *path, const vg_hash_opts *opts, vg_file_hashes *out,
                       vg_error *err);

/* The same for bytes already in memory (an archive member, a carved item). */
vg_status vg_hash_buffer(const uint8_t *buf, size_t len, const vg_hash_opts *opts,
                         vg_file_hashes *out, vg_error *err);

#ifdef __cplusplus
}
#endif
#endif
