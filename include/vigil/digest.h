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
    int have_p2p;
    uint8_t ed2k[16];
    int have_btv2;        /* 0 for an empty file: BEP 52 gives it no pieces root */
    uint8_t btv2_root[32];
} vg_digests;

typedef struct vg_digester vg_digester;

/* A new digester; flags: 0 or VG_DIGEST_P2P. NULL when out of memory or when
 * libcrypto lacks an algorithm (err says which). Free with vg_digester_free. */
vg_digester *vg_digester_new(unsigned flags, vg_error *err);

/* Feeds len bytes. */
vg_status vg_digester_update(vg_digester *d, const void *buf, size_t len, vg_error *err);

/* Finishes into *out and resets d for the next input. */
vg_status vg_digester_final(vg_digester *d, vg_digests *out, vg_error *err);

void vg_digester_free(vg_digester *d);

/* One-shot over a buffer. */
vg_status vg_digest_buffer(const void *buf, size_t len, unsigned flags, vg_digests *out,
                           vg_error *err);

/* "urn:sha1:" + 32 base32 characters + NUL (42 bytes) into out. */
void vg_digest_urn_sha1(const vg_digests *d, char out[42]);


#ifdef __cplusplus
}
#endif
#endif
