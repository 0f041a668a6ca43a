/* fuzz_digest.c - libFuzzer harness: the digester must give the same digests
 * however the input is split into update calls.
 *
 * The input is a program: byte 0 sets how many times the rest is repeated
 * (so that inputs of a few hundred bytes still cross 16 KiB BitTorrent v2
 * blocks and make trees of several levels), the rest is both the data and
 * the source of split sizes. A mismatch with the one-shot digest aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/digest.h"

enum { MAX_LEN = 1 << 17 }; /* 8 blocks: trees of 4 levels */

static int same(const vg_digests *a, const vg_digests *b)
{
    return a->size == b->size && !memcmp(a->md5, b->md5, 16) && !memcmp(a->sha1, b->sha1, 20) &&
           !memcmp(a->sha256, b->sha256, 32) && !memcmp(a->ed2k, b->ed2k, 16) &&
           !memcmp(a->ed2k_blue, b->ed2k_blue, 16) && a->have_btv2 == b->have_btv2 &&
           !memcmp(a->btv2_root, b->btv2_root, 32);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static vg_digester *dg;
    vg_digests whole, parts;
    size_t reps, len, off = 0, k = 0;
    uint8_t *buf;

    if (size < 2)
        return 0;
    if (!dg && !(dg = vg_digester_new(VG_DIGEST_P2P, NULL)))
        abort();
    reps = 1 + (size_t)data[0] * 4;
    data++;
    size--;
    len = size * reps > MAX_LEN ? MAX_LEN : size * reps;
    buf = malloc(len);
    if (!buf)
        return 0;
    for (size_t i = 0; i < len; i++)
        buf[i] = data[i % size];
    if (vg_digest_buffer(buf, len, VG_DIGEST_P2P, &whole, NULL) != VG_OK)
        abort();
    while (off < len) {
        size_t n = (size_t)data[k++ % size] * 97 % 20011;
        if (n == 0) { /* an empty update, then one byte so that the loop moves on */
            if (vg_digester_update(dg, buf + off, 0, NULL) != VG_OK)
                abort();
            n = 1;
        }
        if (n > len - off)
            n = len - off;
        if (vg_digester_update(dg, buf + off, n, NULL) != VG_OK)
            abort();
        off += n;
    }
    if (vg_digester_final(dg, &parts, NULL) != VG_OK || !same(&whole, &parts))
        abort();
    free(buf);
    return 0;
}
