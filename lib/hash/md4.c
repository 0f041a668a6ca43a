/* md4.c - MD4 message digest (RFC 1320), for the eD2k file hash.
 *
 * Why not libcrypto: OpenSSL 3 moved MD4 to its "legacy" provider, so
 * EVP_MD_fetch(NULL, "MD4", NULL) fails unless the process loads that provider
 * (a separate legacy.so module that distributions may package apart or omit,
 * and whose loading changes what every other EVP user in the process gets);
 * the low-level MD4_Init family is deprecated in 3.0 and absent from builds
 * configured with no-md4. Forty lines of RFC 1320 remove the dependency; the
 * RFC's appendix A.5 test suite is in tests/digest/test_digest.c.
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
#define F(x, y, z) (((x) & (y)) | (~(x) & (z)))
#define G(x, y, z) (((x) & (y)) | (((x) | (y)) & (z)))
#define H(x, y, z) ((x) ^ (y) ^ (z))
#define R1(a, b, c, d, k, s) a = rol(a + F(b, c, d) + X[k], s)
#define R2(a, b, c, d, k, s) a = rol(a + G(b, c, d) + X[k] + 0x5A827999u, s)
#define R3(a, b, c, d, k, s) a = rol(a + H(b, c, d) + X[k] + 0x6ED9EBA1u, s)

static void md4_block(uint32_t h[4], const uint8_t *p)
{
    static const int r3k[4] = {0, 2, 1, 3};
    uint32_t X[16], a = h[0], b = h[1], c = h[2], d = h[3];

    for (int i = 0; i < 16; i++)
        X[i] = le32(p + 4 * i);
    for (int i = 0; i < 16; i += 4) {
        R1(a, b, c, d, i, 3);
        R1(d, a, b, c, i + 1, 7);
        R1(c, d, a, b, i + 2, 11);
        R1(b, c, d, a, i + 3, 19);
    }
    for (int i = 0; i < 4; i++) {
        R2(a, b, c, d, i, 3);
        R2(d, a, b, c, i + 4, 5);
        R2(c, d, a, b, i + 8, 9);
        R2(b, c, d, a, i + 12, 13);
    }
    for (int j = 0; j < 4; j++) {
        int i = r3k[j];
        R3(a, b, c, d, i, 3);
        R3(d, a, b, c, i + 8, 9);
        R3(c, d, a, b, i + 4, 11);
        R3(b, c, d, a, i + 12, 15);
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
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
        md4_block(c->h, c->buf);
    }
    for (; n >= 64; p += 64, n -= 64)
        md4_block(c->h, p);
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
