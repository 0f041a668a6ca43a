/* digest.h - cryptographic digests of file bytes in one read pass.
 *
 * MD5, SHA-1 and SHA-256 always (libcrypto EVP); with VG_DIGEST_P2P also the
 * peer-to-peer identifiers a hash set can be watched for on file-sharing
 * networks: eD2k (MD4 over 9,728,000-byte chunks), Gnutella's urn:sha1 (the
 * SHA-1 in base32, see vg_digest_urn_sha1) and BitTorrent v2's per-file
 * "pieces root" (SHA-256 merkle tree over 16 KiB blocks, BEP 52).
 */
#ifndef VIGIL_DIGEST_H
#define VIGIL_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/status.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { VG_DIGEST_P2P = 1 };

typedef struct vg_digests {
    uint64_t size; /* bytes fed */
    uint8_t md5[16];
    uint8_t sha1[20];
    uint8_t sha256[32];
    int have_p2p;         /* the fields below are set (VG_DIGEST_P2P was given) */
    /* eD2k hash as eMule computes it: a size that is a nonzero multiple of
     * 9,728,000 bytes ends with the MD4 of an empty chunk in the hash list. */
    uint8_t ed2k[16];
    /* The same without that empty chunk ("blue"), as some tools and older hash
     * lists have it; equal to ed2k for every other size. See docs/digest.md. */
    uint8_t ed2k_blue[16];
    int have_btv2;        /* 0 for an empty file: BEP 52 gives it no pieces root */
    uint8_t btv2_root[32];
} vg_digests;

typedef struct vg_digester vg_digester;

/* A new digester; flags: 0 or VG_DIGEST_P2P. NULL when out of memory
 * (VG_ERR_NOMEM), for unknown flags (VG_ERR_ARG) or when libcrypto lacks an
 * algorithm, e.g. MD5 under a FIPS-only configuration (VG_ERR_UNSUPPORTED,
 * err names it). The caller frees it with vg_digester_free. A digester is not
 * thread-safe; use one per thread. */
vg_digester *vg_digester_new(unsigned flags, vg_error *err);

/* Feeds len bytes (buf may be NULL when len is 0). Any split of the input
 * into calls gives the same digests. VG_ERR_ARG for NULL with len > 0;
 * VG_ERR_INTERNAL when libcrypto fails, after which d stays failed until the
 * next vg_digester_final. */
vg_status vg_digester_update(vg_digester *d, const void *buf, size_t len, vg_error *err);

/* Finishes into *out and resets d for the next input, also on error (then
 * *out is zeroed and the status is that of the first failure). */
vg_status vg_digester_final(vg_digester *d, vg_digests *out, vg_error *err);

/* Frees d; NULL is a no-op. */
void vg_digester_free(vg_digester *d);

/* One-shot over a buffer: new, update, final, free. */
vg_status vg_digest_buffer(const void *buf, size_t len, unsigned flags, vg_digests *out,
                           vg_error *err);

/* "urn:sha1:" + 32 RFC 4648 base32 characters (upper case, no padding) of
 * d->sha1 + NUL (42 bytes) into out: Gnutella's and Shareaza's identifier. */
void vg_digest_urn_sha1(const vg_digests *d, char out[42]);


#ifdef __cplusplus
}
#endif
#endif
