/* btv2.c - BitTorrent v2 per-file "pieces root" (BEP 52), computed streaming.
 *
 * BEP 52, "pieces root": "For non-empty files this is the root hash of a
 * merkle tree with a branching factor of 2, constructed from 16KiB blocks of
 * the file. The last block may be shorter than 16KiB. The remaining leaf
 * hashes beyond the end of the file required to construct upper layers of the
 * merkle tree are set to zero." The digest is SHA-256; a leaf is the SHA-256
 * of one block (the short last block is hashed as it is, not padded), an
 * interior node the SHA-256 of its two children's 64 bytes.
 *
 * So the leaf layer is padded with 32-byte zero hashes up to the next power of
 * two of the block count, and the root does not depend on the piece length
 * ("identical files always result in the same root hash"). A file of one block
 * or less has a one-leaf tree: its root is the SHA-256 of its bytes. An empty
 * file has no pieces root. Padding at the piece layer (the "piece layers" of a
 * .torrent) is the root of a subtree of zero leaves, not a zero hash, which is
 * the same tree; libtorrent's create_torrent.cpp pads a file smaller than one
 * piece to the next power of two of its blocks for the same reason.
 *
 * Invariants of the stack: entry i is the root of a complete subtree of
 * 2^level blocks, levels strictly decrease from the bottom, and the entries
 * cover the blocks read so far left to right (the binary representation of
 * nblocks). Memory is O(log n): at most 64 entries of 33 bytes.
 */
#include <string.h>

#include "digest_int.h"

static int sha256_pair(vgi_btv2 *b, const uint8_t l[32], const uint8_t r[32], uint8_t out[32])
{
    return EVP_DigestInit_ex2(b->ctx, b->sha256, NULL) == 1 &&
                   EVP_DigestUpdate(b->ctx, l, 32) == 1 &&
                   EVP_DigestUpdate(b->ctx, r, 32) == 1 &&
                   EVP_DigestFinal_ex(b->ctx, out, NULL) == 1
               ? 0
               : -1;
}

/* Merges the two top entries while they span equal numbers of blocks. */
static int fold(vgi_btv2 *b)
{
    while (b->depth >= 2 && b->stack[b->depth - 1].level == b->stack[b->depth - 2].level) {
        vgi_btv2_node *l = &b->stack[b->depth - 2];
        if (sha256_pair(b, l->h, b->stack[b->depth - 1].h, l->h) != 0)
            return -1;
        l->level++;
        b->depth--;
    }
    return 0;
}

/* Finishes the current block as a leaf and starts the next. */
static int push_leaf(vgi_btv2 *b)
{
    vgi_btv2_node *n = &b->stack[b->depth];

    /* Unreachable below 2^64 bytes (at most 51 entries); kept as a bound. */
    if (b->depth >= VGI_BTV2_MAXDEPTH || EVP_DigestFinal_ex(b->ctx, n->h, NULL) != 1)
        return -1;
    n->level = 0;
    b->depth++;
    b->nblocks++;
    b->fill = 0;
    if (fold(b) != 0)
        return -1;
    return EVP_DigestInit_ex2(b->ctx, b->sha256, NULL) == 1 ? 0 : -1;
}

int vgi_btv2_init(vgi_btv2 *b, const EVP_MD *sha256)
{
    memset(b, 0, sizeof *b);
    b->sha256 = sha256;
    b->ctx = EVP_MD_CTX_new();
    if (!b->ctx)
        return -1;
    if (vgi_btv2_reset(b) != 0) {
        vgi_btv2_free(b);
        return -1;
    }
    return 0;
}

int vgi_btv2_reset(vgi_btv2 *b)
{
    b->fill = 0;
    b->nblocks = 0;
    b->depth = 0;
    b->failed = EVP_DigestInit_ex2(b->ctx, b->sha256, NULL) != 1;
    return b->failed ? -1 : 0;
}

int vgi_btv2_update(vgi_btv2 *b, const uint8_t *p, size_t n)
{
    while (n && !b->failed) {
        size_t room = VGI_BTV2_BLOCK - b->fill;
        size_t take = n < room ? n : room;

        if (EVP_DigestUpdate(b->ctx, p, take) != 1)
            b->failed = 1;
        b->fill += (uint32_t)take;
        p += take;
        n -= take;
        if (b->fill == VGI_BTV2_BLOCK && push_leaf(b) != 0)
            b->failed = 1;
    }
    return b->failed ? -1 : 0;
}

/* Raises the top entry by one level, pairing it with the root of a subtree
 * of zero leaves of its own height (pad, kept for the next call). */
static int pad_top(vgi_btv2 *b, uint8_t pad[32], unsigned *pad_level)
{
    vgi_btv2_node *t = &b->stack[b->depth - 1];

    while (*pad_level < t->level) {
        if (sha256_pair(b, pad, pad, pad) != 0)
            return -1;
        (*pad_level)++;
    }
    if (sha256_pair(b, t->h, pad, t->h) != 0)
        return -1;
    t->level++;
    return fold(b);
}

int vgi_btv2_final(vgi_btv2 *b, uint8_t out[32])
{
    uint8_t pad[32] = {0};
    unsigned pad_level = 0;

    if (!b->failed && b->fill > 0 && push_leaf(b) != 0)
        b->failed = 1;
    /* The top entry always has the lowest level, so pad_level only grows. */
    while (!b->failed && b->depth > 1)
        if (pad_top(b, pad, &pad_level) != 0)
            b->failed = 1;
    if (b->failed)
        return -1;
    if (b->depth == 0)
        return 0;
    memcpy(out, b->stack[0].h, 32);
    return 1;
}

void vgi_btv2_free(vgi_btv2 *b)
{
    EVP_MD_CTX_free(b->ctx);
    b->ctx = NULL;
}
