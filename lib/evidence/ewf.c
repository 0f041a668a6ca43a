/* ewf.c - verifying an E01's stored MD5 with libewf directly (TSK reads the
 * media but does not check the acquisition hash). */
#include <libewf.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/evidence.h"
#include "vigil/util.h"

#define CHUNK (1u << 20)

static vg_status ewf_fail(vg_error *err, vg_status st, const char *path, const char *what,
                          libewf_error_t *e)
{
    char msg[256] = "";
    if (e) {
        libewf_error_sprint(e, msg, sizeof msg);
        libewf_error_free(&e);
    }
    return vg_errorf(err, st, "%s: %s%s%s", path, what, msg[0] ? ": " : "", msg);
}

/* MD5 of all media bytes. */
static vg_status hash_media(libewf_handle_t *h, const char *path, uint8_t md5[16], vg_error *err)
{
    libewf_error_t *e = NULL;
    size64_t size = 0, done = 0;
    uint8_t *buf = malloc(CHUNK);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    vg_status st = VG_OK;
    if (!buf || !md || !EVP_DigestInit_ex(md, EVP_md5(), NULL)) {
        st = vg_errorf(err, VG_ERR_NOMEM, "%s: out of memory", path);
    } else if (libewf_handle_get_media_size(h, &size, &e) != 1) {
        st = ewf_fail(err, VG_ERR_IO, path, "media size", e);
    }
    while (!st && done < size) {
        size_t want = size - done < CHUNK ? (size_t)(size - done) : CHUNK;
        ssize_t n = libewf_handle_read_buffer(h, buf, want, &e);
        if (n <= 0) {
            st = ewf_fail(err, VG_ERR_IO, path, "read media", e);
            break;
        }
        EVP_DigestUpdate(md, buf, (size_t)n);
        done += (size64_t)n;
    }
    if (!st)
        EVP_DigestFinal_ex(md, md5, NULL);
    EVP_MD_CTX_free(md);
    free(buf);
    return st;
}

static vg_status compare(libewf_handle_t *h, const char *path, char md5_hex[33], vg_error *err)
{
    libewf_error_t *e = NULL;
    uint8_t stored[16], got[16];
    char sh[33], gh[33];
    int r = libewf_handle_get_md5_hash(h, stored, sizeof stored, &e);
    vg_status st;
    if (r < 0)
        return ewf_fail(err, VG_ERR_IO, path, "stored MD5", e);
    if ((st = hash_media(h, path, got, err)) != VG_OK)
        return st;
    vg_hex_encode(got, 16, gh);
    if (md5_hex)
        memcpy(md5_hex, gh, 33);
    if (r == 0)
        return vg_errorf(err, VG_ERR_NOTFOUND, "%s: no stored MD5 (computed %s)", path, gh);
    vg_hex_encode(stored, 16, sh);
    if (memcmp(stored, got, 16) != 0)
        return vg_errorf(err, VG_ERR_CORRUPT, "%s: stored MD5 %s but media hashes to %s", path, sh, gh);
    return VG_OK;
}

vg_status vg_ewf_verify(const char *path, char md5_hex[33], vg_error *err)
{
    libewf_error_t *e = NULL;
    libewf_handle_t *h = NULL;
    char **names = NULL;
    int count = 0;
    vg_status st;
    if (libewf_glob(path, strlen(path), LIBEWF_FORMAT_UNKNOWN, &names, &count, &e) != 1)
        return ewf_fail(err, VG_ERR_OPEN, path, "cannot find EWF segments", e);
    if (libewf_handle_initialize(&h, &e) != 1) {
        st = ewf_fail(err, VG_ERR_NOMEM, path, "libewf init", e);
    } else if (libewf_handle_open(h, names, count, LIBEWF_OPEN_READ, &e) != 1) {
        st = ewf_fail(err, VG_ERR_OPEN, path, "cannot open EWF image", e);
    } else {
        st = compare(h, path, md5_hex, err);
        libewf_handle_close(h, NULL);
    }
    if (h)
        libewf_handle_free(&h, NULL);
    libewf_glob_free(names, count, NULL);
    return st;
}
