/* html.c - vg_report_html: the report directory, never over an examiner's files. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "html_int.h"

/* Creates dir, or accepts it when it is an empty directory. */
static vg_status fresh_dir(const char *dir, vg_error *err)
{
    DIR *d;
    struct dirent *e;

    if (mkdir(dir, 0755) == 0)
        return VG_OK;
    if (errno != EEXIST)
        return vg_errorf(err, VG_ERR_IO, "%s: cannot create it: %s", dir, strerror(errno));
    if (!(d = opendir(dir)))
        return vg_errorf(err, VG_ERR_EXISTS, "%s exists and is not a directory I can read", dir);
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            break;
    closedir(d);
    if (e)
        return vg_errorf(err, VG_ERR_EXISTS, "%s is not empty; the report needs a new or empty "
                                             "directory",
                         dir);
    return VG_OK;
}

static vg_status open_in(int dfd, const char *dir, const char *name, FILE **out, vg_error *err)
{
    int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0 || !(*out = fdopen(fd, "w"))) {
        if (fd >= 0)
            close(fd);
        return vg_errorf(err, VG_ERR_IO, "%s/%s: %s", dir, name, strerror(errno));
    }
    return VG_OK;
}

static vg_status write_page(vg_store *s, FILE *f, const vg_html_opts *o, const vg_limits *lim,
                            int thumbs_fd, vg_error *err)
{
    vg_case_summary sum;
    vg_status st;

    vgi_html_wants wants = {NULL, 0, 0, 0, 0};

    if (thumbs_fd >= 0 && (st = vgi_html_walk(s, &wants, lim, thumbs_fd, err)) != VG_OK) {
        vgi_html_wants_free(&wants);
        return st;
    }
    vgi_html_head(f, "vigil case report");
    if ((st = vgi_html_case(f, s, o, &sum, err)) != VG_OK) {
        vgi_html_wants_free(&wants);
        return st;
    }
    vgi_html_items h = {f, o, lim, thumbs_fd, &wants, &sum, 0, VG_OK, err, s};
    st = vg_store_items_foreach(s, vgi_html_item, &h, err);
    vgi_html_wants_free(&wants);
    if (st == VG_OK)
        st = h.st;
    if (st != VG_OK)
        return st;
    vgi_html_items_end(&h);
    fputs("</body>\n</html>\n", f);
    return VG_OK;
}

vg_status vg_report_html(vg_store *s, const char *dir, const vg_html_opts *opts, vg_error *err)
{
    static const vg_html_opts defaults = {NULL, 0, NULL};
    const vg_html_opts *o = opts ? opts : &defaults;
    vg_limits lim;
    int dfd, tfd = -1;
    FILE *f = NULL;
    vg_status st;

    if (o->limits)
        lim = *o->limits;
    else
        vg_limits_default(&lim);
    if ((st = fresh_dir(dir, err)) != VG_OK)
        return st;
    if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
        return vg_errorf(err, VG_ERR_IO, "%s: %s", dir, strerror(errno));
    if (!o->no_thumbnails) {
        if (mkdirat(dfd, "thumbs", 0755) != 0 ||
            (tfd = openat(dfd, "thumbs", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
            st = vg_errorf(err, VG_ERR_IO, "%s/thumbs: %s", dir, strerror(errno));
    }
    if (st == VG_OK && (st = open_in(dfd, dir, "index.html", &f, err)) == VG_OK) {
        st = write_page(s, f, o, &lim, tfd, err);
        int failed = ferror(f);
        if ((fclose(f) != 0 || failed) && st == VG_OK)
            st = vg_errorf(err, VG_ERR_IO, "%s/index.html: writing failed", dir);
    }
    if (tfd >= 0)
        close(tfd);
    close(dfd);
    return st;
}
