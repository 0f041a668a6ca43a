/* digest_int.h - internals shared by the digest files of lib/hash: MD4, the
 * eD2k chunk hash and the BitTorrent v2 merkle root.
 *
 * Each is a small state machine fed by vgi_*_update with arbitrary split
 * points; vgi_*_final writes the result and leaves the state to be reset
 * (vgi_*_init / vgi_*_reset) before reuse.
 */
#ifndef VIGIL_HASH_DIGEST_INT_H
#define VIGIL_HASH_DIGEST_INT_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

/* MD4 (RFC 1320). Written here rather than taken from libcrypto: OpenSSL 3
 * moved MD4 to its legacy provider, see md4.c. */
typedef struct vgi_md4 {
    uint32_t h[4];
    uint64_t len;      /* bytes fed */
    uint8_t buf[64];   /* a partial block: len % 64 bytes */
} vgi_md4;

void vgi_md4_init(vgi_md4 *c);
void vgi_md4_update(vgi_md4 *c, const uint8_t *p, size_t n);
void vgi_md4_final(vgi_md4 *c, uint8_t out[16]);

/* eD2k: MD4 of each 9,728,000-byte chunk, then MD4 of the chunk hashes
 * (eMule's rule for sizes that are a multiple of the chunk, see ed2k.c). */
enum { VGI_ED2K_CHUNK = 9728000 };

typedef struct vgi_ed2k {
    vgi_md4 chunk;      /* the chunk being read */
    vgi_md4 list;       /* over the hashes of the finished chunks */
    uint32_t fill;      /* bytes of the current chunk fed so far */
    uint64_t nchunks;   /* full chunks finished */
    uint8_t first[16];  /* hash of chunk 0, for the "blue" value of one chunk */
} vgi_ed2k;

void vgi_ed2k_init(vgi_ed2k *e);
void vgi_ed2k_update(vgi_ed2k *e, const uint8_t *p, size_t n);
/* red: eMule's value; blue: the value without the trailing empty chunk. */
void vgi_ed2k_final(vgi_ed2k *e, uint8_t red[16], uint8_t blue[16]);

/* BitTorrent v2 pieces root (BEP 52): SHA-256 merkle tree over 16 KiB blocks,
 * built with a stack of pending subtrees, one per set bit of the block count. */
enum { VGI_BTV2_BLOCK = 16384, VGI_BTV2_MAXDEPTH = 64 };

typedef struct vgi_btv2_node {
    unsigned level;    /* 0 = a block hash; the subtree spans 2^level blocks */
    uint8_t h[32];
} vgi_btv2_node;

typedef struct vgi_btv2 {
    EVP_MD_CTX *ctx;   /* the block being read, and interior nodes */
    const EVP_MD *sha256;
    uint32_t fill;     /* bytes of the current block fed so far */
    uint64_t nblocks;  /* blocks finished */
    unsigned depth;    /* entries in stack; their levels strictly decrease */
    vgi_btv2_node stack[VGI_BTV2_MAXDEPTH];
    int failed;        /* a libcrypto call failed: no root */
} vgi_btv2;

/* sha256 is borrowed from the caller and must outlive b. Returns 0, or -1
 * when out of memory. */
int vgi_btv2_init(vgi_btv2 *b, const EVP_MD *sha256);
int vgi_btv2_reset(vgi_btv2 *b);
int vgi_btv2_update(vgi_btv2 *b, const uint8_t *p, size_t n);
/* Returns 1 with the root in out, 0 for empty input (no root), -1 on a
 * libcrypto failure. */
int vgi_btv2_final(vgi_btv2 *b, uint8_t out[32]);
void vgi_btv2_free(vgi_btv2 *b);

#endif
