/* md4.c - MD4 message digest (RFC 1320), for the eD2k file hash.
 *
 * Why not libcrypto: OpenSSL 3 moved MD4 to its "legacy" provider, so
 * EVP_MD_fetch(NULL, "MD4", NULL) fails unless the process loads that provider:
 * a separate module (legacy.so) that distributions may package apart or
 * leave out, and that, loaded into the default library context, changes what
 * every other EVP user in the process gets. The low-level MD4_Init family is
 * deprecated in 3.0 and absent from builds configured with no-md4. About a
 * hundred lines of RFC 1320 remove the dependency; tests/digest/test_digest.c
 * checks them against the RFC's appendix A.5 and against OpenSSL's legacy MD4.
 * Speed is within about 10% of OpenSSL's C MD4 (bench/digest/RESULTS.md).
 */
#include <string.h>

#include "digest_int.h"

static uint32_t rol(uint32_t x, unsigned s)
{
    return (x << s) | (x >> (32 - s));
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The three rounds of RFC 1320 section 3.4; each step is [abcd k s]. */
#define F(x, y, z) ((((y) ^ (z)) & (x)) ^ (z)) /* x ? y : z, bitwise */
#define G(x, y, z) (((x) & (y)) | (((x) | (y)) & (z)))
#define H(x, y, z) ((x) ^ (y) ^ (z))
#define R1(a, b, c, d, k, s) a = rol(a + F(b, c, d) + X[k], s)
#define R2(a, b, c, d, k, s) a = rol(a + G(b, c, d) + X[k] + 0x5A827999u, s)
#define R3(a, b, c, d, k, s) a = rol(a + H(b, c, d) + X[k] + 0x6ED9EBA1u, s)
/* Four steps each, in the order of the RFC's listing. */
#define STEPS1(i) \
    R1(a, b, c, d, i, 3), R1(d, a, b, c, i + 1, 7), R1(c, d, a, b, i + 2, 11), R1(b, c, d, a, i + 3, 19)
#define STEPS2(i) \
    R2(a, b, c, d, i, 3), R2(d, a, b, c, i + 4, 5), R2(c, d, a, b, i + 8, 9), R2(b, c, d, a, i + 12, 13)
#define STEPS3(i) \
    R3(a, b, c, d, i, 3), R3(d, a, b, c, i + 8, 9), R3(c, d, a, b, i + 4, 11), R3(b, c, d, a, i + 12, 15)

/* Processes n 64-byte blocks. The 48 steps are unrolled by the macros: about
 * 15% faster than loops over index tables. */
static void md4_blocks(uint32_t h[4], const uint8_t *p, size_t n)
{
    uint32_t X[16], a = h[0], b = h[1], c = h[2], d = h[3];

    for (; n; n--, p += 64) {
        uint32_t a0 = a, b0 = b, c0 = c, d0 = d;
        for (int i = 0; i < 16; i++)
            X[i] = le32(p + 4 * i);
        STEPS1(0);
        STEPS1(4);
        STEPS1(8);
        STEPS1(12);
        STEPS2(0);
        STEPS2(1);
        STEPS2(2);
        STEPS2(3);
        STEPS3(0);
        STEPS3(2);
        STEPS3(1);
        STEPS3(3);
        a += a0;
        b += b0;
        c += c0;
        d += d0;
    }
    h[0] = a;
    h[1] = b;
    h[2] = c;
    h[3] = d;
}

void vgi_md4_init(vgi_md4 *c)
{
    c->h[0] = 0x67452301u;
    c->h[1] = 0xefcdab89u;
    c->h[2] = 0x98badcfeu;
    c->h[3] = 0x10325476u;
    c->len = 0;
}

void vgi_md4_update(vgi_md4 *c, const uint8_t *p, size_t n)
{
    size_t have = (size_t)(c->len % 64);

    c->len += n;
    if (have) {
        size_t take = n < 64 - have ? n : 64 - have;
        memcpy(c->buf + have, p, take);
        p += take;
        n -= take;
        if (have + take < 64)
            return;
        md4_blocks(c->h, c->buf, 1);
    }
    md4_blocks(c->h, p, n / 64);
    p += n / 64 * 64;
    n %= 64;
    if (n)
        memcpy(c->buf, p, n);
}

void vgi_md4_final(vgi_md4 *c, uint8_t out[16])
{
    uint64_t bits = c->len * 8;
    size_t have = (size_t)(c->len % 64);
    uint8_t pad[72] = {0x80};
    size_t padlen = (have < 56 ? 56 : 120) - have;

    for (int i = 0; i < 8; i++)
        pad[padlen + (size_t)i] = (uint8_t)(bits >> (8 * i));
    vgi_md4_update(c, pad, padlen + 8);
    for (int i = 0; i < 4; i++) {
        out[4 * i] = (uint8_t)c->h[i];
        out[4 * i + 1] = (uint8_t)(c->h[i] >> 8);
        out[4 * i + 2] = (uint8_t)(c->h[i] >> 16);
        out[4 * i + 3] = (uint8_t)(c->h[i] >> 24);
    }
}
