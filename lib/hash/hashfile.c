/* hashfile.c - one read of a file feeds the digests, then identify, decode, PDQ.
 *
 * Evidence is read-only: files are opened O_RDONLY (O_NOFOLLOW unless the
 * caller asks to follow links given on a command line) with O_NOATIME where
 * the kernel allows it, so reading does not even change the access time. */
#define _GNU_SOURCE /* O_NOATIME */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vigil/hashfile.h"
#include "vigil/thumb.h"

#define CHUNK (1u << 20)

/* The preview: from the pixels the PDQ decode gathered on its way when they
 * came in colour (exact mode decodes RGB), else from a decode of its own
 * (fast mode decodes a colour JPEG's Y plane only), turned upright as its
 * EXIF orientation says. A preview that cannot be made is simply absent. */
static void make_preview(const uint8_t *buf, size_t len, const vg_hash_opts *opts,
                         const vg_image *img, vg_file_hashes *out)
{
    vg_thumb_opts to = {opts->thumb_side, 0, 0, 75, opts->limits, 1};
    vg_status st;

    if (img->thumb)
        st = vg_thumb_from_image(img, &to, &out->thumb, &out->thumb_len, NULL);
    else
        st = vg_thumb_make(buf, len, &to, &out->thumb, &out->thumb_len, NULL);
    if (st != VG_OK) {
        out->thumb = NULL;
        out->thumb_len = 0;
    }
}

static void analyse_image(const uint8_t *buf, size_t len, const vg_hash_opts *opts,
                          vg_file_hashes *out)
{
    vg_decode_opts dopts;
    vg_image img;

    out->type = vg_image_identify(buf, len);
    if (out->type == VG_IMAGE_UNKNOWN)
        return;
    memset(&dopts, 0, sizeof dopts);
    vg_pdq_decode_opts(&dopts, opts->pdq_fast);
    dopts.limits = opts->limits;
    /* fast mode decodes grey: a preview gathered there could not be used */
    dopts.thumb_side = opts->pdq_fast ? 0 : opts->thumb_side;
    out->image_status = vg_image_decode(buf, len, &dopts, &img, &out->image_err);
    out->type = img.type;
    out->width = img.width;
    out->height = img.height;
    out->frames = img.frames;
    out->orientation = img.orientation;
    if (out->image_status == VG_OK && opts->thumb_side)
        make_preview(buf, len, opts, &img, out);
    if (out->image_status == VG_OK) {
        out->image_status = vg_pdq_hash(&img, opts->dihedral, out->pdq, &out->pdq_quality,
                                        &out->image_err);
        out->have_pdq = out->image_status == VG_OK;
    }
    vg_image_free(&img);
}

static void init_result(vg_file_hashes *out)
{
    memset(out, 0, sizeof *out);
    out->pdq_quality = -1;
}

vg_status vg_hash_buffer(const uint8_t *buf, size_t len, const vg_hash_opts *opts,
                         vg_file_hashes *out, vg_error *err)
{
    static const vg_hash_opts defaults;
    vg_status st;

    if (!opts)
        opts = &defaults;
    init_result(out);
    st = vg_digest_buffer(buf, len, opts->p2p ? VG_DIGEST_P2P : 0, &out->digests, err);
    if (st == VG_OK && len > 0)
        analyse_image(buf, len, opts, out);
    return st;
}

/* Reads fd to its end, feeding the digester; keeps up to keep_max bytes in
 * *kept (NULL when the file turned out larger, so it is not decoded). */
static vg_status read_all(int fd, const char *path, vg_digester *dg, size_t size_hint,
                          uint64_t keep_max, uint8_t **kept, size_t *kept_len, vg_error *err)
{
    size_t cap = size_hint < keep_max ? size_hint + 1 : CHUNK;
    uint8_t *buf = malloc(cap ? cap : 1);
    size_t len = 0;
    int keeping = 1;

    if (!buf)
        return vg_errorf(err, VG_ERR_NOMEM, "%s: no memory for %zu bytes", path, cap);
    for (;;) {
        if (keeping && cap - len < CHUNK / 4) {
            size_t ncap = cap * 2 > cap + CHUNK ? cap * 2 : cap + CHUNK;
            uint8_t *nb = ncap <= keep_max + CHUNK ? realloc(buf, ncap) : NULL;
            if (!nb) {
                keeping = 0; /* too large to decode: digests only from here */
            } else {
                buf = nb;
                cap = ncap;
            }
        }
        if (!keeping && len > 0) {
            len = 0; /* reuse the buffer as a plain read buffer */
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(buf);
            return vg_errorf(err, VG_ERR_IO, "%s: read failed: %s", path, strerror(e));
        }
        if (n == 0)
            break;
        vg_status st = vg_digester_update(dg, buf + len, (size_t)n, err);
        if (st != VG_OK) {
            free(buf);
            return st;
        }
        len += (size_t)n;
        if (keeping && len > keep_max)
            keeping = 0;
    }
    if (keeping) {
        *kept = buf;
        *kept_len = len;
    } else {
        free(buf);
        *kept = NULL;
        *kept_len = 0;
    }
    return VG_OK;
}

vg_status vg_hash_file(const char *path, const vg_hash_opts *opts, vg_file_hashes *out,
                       vg_error *err)
{
    static const vg_hash_opts defaults;
    vg_limits lim;
    struct stat sb;
    vg_digester *dg;
    uint8_t *kept = NULL;
    size_t kept_len = 0, head_len;
    uint8_t head[64];
    vg_status st;
    int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
    int fd;

    if (!opts)
        opts = &defaults;
    init_result(out);
    if (opts->limits)
        lim = *opts->limits;
    else
        vg_limits_default(&lim);
    if (!opts->follow_symlinks)
        flags |= O_NOFOLLOW;
    fd = open(path, flags | O_NOATIME);
    if (fd < 0 && errno == EPERM)
        fd = open(path, flags);
    if (fd < 0)
        return vg_errorf(err, errno == ELOOP ? VG_ERR_ARG : VG_ERR_OPEN, "%s: %s", path,
                         errno == ELOOP ? "is a symbolic link" : strerror(errno));
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return vg_errorf(err, VG_ERR_ARG, "%s: not a regular file", path);
    }
    /* O_NONBLOCK only guarded the open against FIFOs; regular reads ignore it.
     * The head is kept apart so that a file too large to decode is still typed. */
    ssize_t hn = pread(fd, head, sizeof head, 0);
    head_len = hn > 0 ? (size_t)hn : 0;
    dg = vg_digester_new(opts->p2p ? VG_DIGEST_P2P : 0, err);
    if (!dg) {
        close(fd);
        return err ? err->code : VG_ERR_NOMEM;
    }
    st = read_all(fd, path, dg, (size_t)sb.st_size,
                  lim.max_file_bytes ? lim.max_file_bytes : UINT64_MAX, &kept, &kept_len, err);
    close(fd);
    if (st == VG_OK)
        st = vg_digester_final(dg, &out->digests, err);
    vg_digester_free(dg);
    if (st != VG_OK) {
        free(kept);
        return st;
    }
    if (kept && kept_len > 0) {
        analyse_image(kept, kept_len, opts, out);
    } else if (!kept && out->digests.size > 0 &&
               (out->type = vg_image_identify(head, head_len)) != VG_IMAGE_UNKNOWN) {
        out->image_status = vg_errorf(&out->image_err, VG_ERR_LIMIT_SIZE,
                                      "file of %llu bytes is over the %llu-byte limit for decoding",
                                      (unsigned long long)out->digests.size,
                                      (unsigned long long)lim.max_file_bytes);
    }
    free(kept);
    return VG_OK;
}
