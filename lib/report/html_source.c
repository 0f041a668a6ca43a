/* html_source.c - where a preview comes from: the small one the scan stored
 * in the case, or, for a case scanned without previews, the picture read
 * back from the evidence.
 *
 * A preview is made from evidence only when its bytes still have the
 * recorded SHA-1: a file changed or replaced since the scan (or a path that
 * now names something else) gets no preview. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "html_int.h"
#include "vigil/digest.h"

const char *vgi_html_no_preview(const vg_item_rec *r)
{
    if (!r->file_type || strcmp(r->file_type, "unknown") == 0)
        return "not a picture";
    if (!r->have_digests || !r->path)
        return "no preview: no SHA-1 recorded";
    if (!r->source || strcmp(r->source, "file") != 0 || strstr(r->path, "!/"))
        return "no preview: inside a container";
    return NULL;
}

static vg_status read_all(const char *path, uint64_t size, uint64_t max, uint8_t **out,
                          vg_error *err)
{
    struct stat sb;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return vg_errorf(err, VG_ERR_OPEN, "cannot open it: %s", strerror(errno));
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || (uint64_t)sb.st_size != size) {
        close(fd);
        return vg_errorf(err, VG_ERR_NOTFOUND, "it is no longer the file scanned");
    }
    if ((max && size > max) || size > SIZE_MAX || size == 0) {
        close(fd);
        return vg_errorf(err, VG_ERR_LIMIT_SIZE, "%llu bytes is over the limit",
                         (unsigned long long)size);
    }
    uint8_t *buf = malloc((size_t)size);
    size_t got = 0;
    while (buf && got < size) {
        ssize_t n = read(fd, buf + got, (size_t)size - got);
        if (n <= 0 && !(n < 0 && errno == EINTR))
            break;
        if (n > 0)
            got += (size_t)n;
    }
    close(fd);
    if (!buf || got != size) {
        free(buf);
        return vg_errorf(err, buf ? VG_ERR_IO : VG_ERR_NOMEM, "cannot read it");
    }
    *out = buf;
    return VG_OK;
}

void vgi_html_thumb_name(int64_t evidence_id, uint64_t seq, uint32_t sub, char out[64])
{
    if (sub)
        snprintf(out, 64, "%lld-%llu-%u.jpg", (long long)evidence_id, (unsigned long long)seq,
                 sub);
    else
        snprintf(out, 64, "%lld-%llu.jpg", (long long)evidence_id, (unsigned long long)seq);
}

vg_status vgi_html_write_thumb(int dirfd, const char *name, const uint8_t *jpeg, size_t n,
                               vg_error *err)
{
    int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    size_t done = 0;
    if (fd < 0)
        return vg_errorf(err, VG_ERR_IO, "thumbs/%s: %s", name, strerror(errno));
    while (done < n) {
        ssize_t w = write(fd, jpeg + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    if (close(fd) != 0 || done != n)
        return vg_errorf(err, VG_ERR_IO, "thumbs/%s: writing failed", name);
    return VG_OK;
}

/* Writes the preview a maker produced (st, jpeg, e: its outcome) as name in
 * dirfd, or says in why[] why there is none. Frees jpeg. */
static vg_status put_preview(vg_status st, uint8_t *jpeg, size_t jlen, const vg_error *e,
                             int dirfd, const char *name, char *why, size_t why_len,
                             vg_error *err)
{
    if (st != VG_OK) {
        snprintf(why, why_len, "no preview: %s", e->msg);
        return st;
    }
    st = vgi_html_write_thumb(dirfd, name, jpeg, jlen, err);
    free(jpeg);
    if (st != VG_OK)
        snprintf(why, why_len, "no preview: %s", err && err->msg[0] ? err->msg : "write failed");
    return st;
}

vg_status vgi_html_thumb_file(const vg_item_rec *r, const vg_limits *lim, int dirfd,
                              const char *name, char *why, size_t why_len, vg_error *err)
{
    uint8_t *buf = NULL, *jpeg = NULL;
    size_t jlen = 0;
    vg_digests d;
    vg_error e;
    vg_status st = read_all(r->path, r->size, lim->max_file_bytes, &buf, &e);

    if (st == VG_OK && (st = vg_digest_buffer(buf, (size_t)r->size, 0, &d, &e)) == VG_OK &&
        memcmp(d.sha1, r->digests.sha1, 20) != 0)
        st = vg_errorf(&e, VG_ERR_NOTFOUND, "its bytes changed since the scan");
    if (st == VG_OK)
        st = vg_report_thumbnail(buf, (size_t)r->size, lim, &jpeg, &jlen, &e);
    free(buf);
    return put_preview(st, jpeg, jlen, &e, dirfd, name, why, why_len, err);
}

vg_status vgi_html_thumb_stored(vg_store *s, const vg_item_rec *r, const vg_limits *lim,
                                int dirfd, const char *name, char *why, size_t why_len,
                                vg_error *err)
{
    vg_thumb_opts o = {VG_THUMB_SIDE, 1, 1, 60, lim, 0}; /* stored: already upright */
    uint8_t *stored = NULL, *jpeg = NULL;
    size_t slen = 0, jlen = 0;
    vg_error e;
    vg_status st = vg_store_thumb_get(s, r->id, &stored, &slen, &e);

    if (st == VG_OK)
        st = vg_thumb_make(stored, slen, &o, &jpeg, &jlen, &e);
    free(stored);
    return put_preview(st, jpeg, jlen, &e, dirfd, name, why, why_len, err);
}
