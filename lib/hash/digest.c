/* digest.c - MD5, SHA-1 and SHA-256 of a byte stream in one pass, and with
 * VG_DIGEST_P2P the peer-to-peer identifiers (ed2k.c, btv2.c, urn:sha1).
 *
 * The algorithms are fetched once per digester (EVP_MD_fetch), not per file:
 * an implicit fetch on every EVP_DigestInit costs a provider lookup and a lock.
 * Each update goes to every algorithm in turn. Feeding them 64 KiB slices so
 * that the later ones find the bytes in cache was measured and gained nothing:
 * the digests are compute-bound (about 420 MB/s for the three together, 1/50
 * of a plain memory read on the test machine; bench/digest/RESULTS.md), and
 * their time together equals the sum of their times alone, so this is as fast
 * as one pass gets without running them on separate cores.
 */
#include <stdlib.h>
#include <string.h>

#include "vigil/digest.h"
#include "vigil/util.h"

#include "digest_int.h"

enum { NMD = 3 };

static const char *const md_names[NMD] = {"MD5", "SHA1", "SHA256"};

struct vg_digester {
    unsigned flags;
    EVP_MD *md[NMD];
    EVP_MD_CTX *ctx[NMD];
    uint64_t size;
    vg_status failed;   /* first failure since the last final, or VG_OK */
    vg_error fail_err;
    vgi_ed2k ed2k;
    vgi_btv2 btv2;
    int have_btv2_state;
};

static vg_status start(vg_digester *d)
{
    d->size = 0;
    d->failed = VG_OK;
    for (int i = 0; i < NMD; i++)
        if (EVP_DigestInit_ex2(d->ctx[i], d->md[i], NULL) != 1)
            return VG_ERR_INTERNAL;
    if (d->flags & VG_DIGEST_P2P) {
        vgi_ed2k_init(&d->ed2k);
        if (vgi_btv2_reset(&d->btv2) != 0)
            return VG_ERR_INTERNAL;
    }
    return VG_OK;
}

static vg_status fetch_all(vg_digester *d, vg_error *err)
{
    for (int i = 0; i < NMD; i++) {
        d->md[i] = EVP_MD_fetch(NULL, md_names[i], NULL);
        if (!d->md[i])
            return vg_errorf(err, VG_ERR_UNSUPPORTED,
                             "libcrypto has no %s (EVP_MD_fetch failed)", md_names[i]);
        d->ctx[i] = EVP_MD_CTX_new();
        if (!d->ctx[i])
            return vg_errorf(err, VG_ERR_NOMEM, "out of memory for a %s context", md_names[i]);
    }
    if (d->flags & VG_DIGEST_P2P) {
        if (vgi_btv2_init(&d->btv2, d->md[2]) != 0)
            return vg_errorf(err, VG_ERR_NOMEM, "could not set up the BitTorrent v2 state");
        d->have_btv2_state = 1;
    }
    if (start(d) != VG_OK)
        return vg_errorf(err, VG_ERR_INTERNAL, "libcrypto could not start a digest");
    return VG_OK;
}

vg_digester *vg_digester_new(unsigned flags, vg_error *err)
{
    vg_digester *d;

    if (flags & ~(unsigned)VG_DIGEST_P2P) {
        vg_errorf(err, VG_ERR_ARG, "unknown digest flags 0x%x", flags);
        return NULL;
    }
    d = calloc(1, sizeof *d);
    if (!d) {
        vg_errorf(err, VG_ERR_NOMEM, "out of memory for a digester");
        return NULL;
    }
    d->flags = flags;
    if (fetch_all(d, err) != VG_OK) {
        vg_digester_free(d);
        return NULL;
    }
    return d;
}

static void fail(vg_digester *d, const char *what)
{
    if (d->failed == VG_OK)
        d->failed = vg_errorf(&d->fail_err, VG_ERR_INTERNAL,
                              "libcrypto failed in %s after %llu bytes", what,
                              (unsigned long long)d->size);
}

static void feed(vg_digester *d, const uint8_t *p, size_t n)
{
    for (int i = 0; i < NMD; i++)
        if (EVP_DigestUpdate(d->ctx[i], p, n) != 1)
            fail(d, md_names[i]);
    if (d->flags & VG_DIGEST_P2P) {
        vgi_ed2k_update(&d->ed2k, p, n);
        if (vgi_btv2_update(&d->btv2, p, n) != 0)
            fail(d, "the BitTorrent v2 tree");
    }
    d->size += n;
}

vg_status vg_digester_update(vg_digester *d, const void *buf, size_t len, vg_error *err)
{
    if (!d || (!buf && len))
        return vg_errorf(err, VG_ERR_ARG, "vg_digester_update: NULL %s",
                         d ? "buffer" : "digester");
    if (len && d->failed == VG_OK)
        feed(d, buf, len);
    if (d->failed != VG_OK)
        return vg_errorf(err, d->failed, "%s", d->fail_err.msg);
    return VG_OK;
}

static void finish_p2p(vg_digester *d, vg_digests *out)
{
    int r;

    vgi_ed2k_final(&d->ed2k, out->ed2k, out->ed2k_blue);
    r = vgi_btv2_final(&d->btv2, out->btv2_root);
    if (r < 0)
        fail(d, "the BitTorrent v2 tree");
    out->have_btv2 = r > 0;
    out->have_p2p = 1;
}

vg_status vg_digester_final(vg_digester *d, vg_digests *out, vg_error *err)
{
    uint8_t *dst[NMD];
    vg_status st;

    if (!d || !out)
        return vg_errorf(err, VG_ERR_ARG, "vg_digester_final: NULL %s",
                         d ? "output" : "digester");
    memset(out, 0, sizeof *out);
    dst[0] = out->md5;
    dst[1] = out->sha1;
    dst[2] = out->sha256;
    out->size = d->size;
    for (int i = 0; i < NMD && d->failed == VG_OK; i++)
        if (EVP_DigestFinal_ex(d->ctx[i], dst[i], NULL) != 1)
            fail(d, md_names[i]);
    if (d->failed == VG_OK && (d->flags & VG_DIGEST_P2P))
        finish_p2p(d, out);
    st = d->failed;
    if (st != VG_OK) {
        vg_errorf(err, st, "%s", d->fail_err.msg);
        memset(out, 0, sizeof *out);
    }
    if (start(d) != VG_OK) { /* d stays failed until a later final restarts it */
        fail(d, "restarting the digests");
        if (st == VG_OK)
            st = vg_errorf(err, d->failed, "%s", d->fail_err.msg);
    }
    return st;
}

void vg_digester_free(vg_digester *d)
{
    if (!d)
        return;
    for (int i = 0; i < NMD; i++) {
        EVP_MD_CTX_free(d->ctx[i]);
        EVP_MD_free(d->md[i]);
    }
    if (d->have_btv2_state)
        vgi_btv2_free(&d->btv2);
    free(d);
}

vg_status vg_digest_buffer(const void *buf, size_t len, unsigned flags, vg_digests *out,
                           vg_error *err)
{
    vg_error local;
    vg_error *e = err ? err : &local;
    vg_digester *d = vg_digester_new(flags, e);
    vg_status st;

    if (!d)
        return e->code;
    st = vg_digester_update(d, buf, len, err);
    if (st == VG_OK)
        st = vg_digester_final(d, out, err);
    vg_digester_free(d);
    return st;
}

void vg_digest_urn_sha1(const vg_digests *d, char out[42])
{
    memcpy(out, "urn:sha1:", 9);
    vg_base32_encode(d->sha1, sizeof d->sha1, out + 9);
}
