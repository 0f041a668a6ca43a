/* tree.c - directory trees: sorted, symlinks recorded and never followed,
 * special files recorded and never read, permission problems as error items. */
#define _GNU_SOURCE 1 /* O_NOATIME */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "evidence_int.h"

#define MAX_TREE_DEPTH 512 /* directories inside directories: a stack bound */

typedef struct fd_src {
    int fd;
} fd_src;

static vg_status fd_read(void *src, void *buf, size_t cap, size_t *got, vg_error *err)
{
    fd_src *s = src;
    ssize_t n;
    do
        n = read(s->fd, buf, cap);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return vg_errorf(err, VG_ERR_IO, "read failed: %s", strerror(errno));
    *got = (size_t)n;
    return VG_OK;
}

static int fd_seek(void *src, uint64_t off)
{
    fd_src *s = src;
    return lseek(s->fd, (off_t)off, SEEK_SET) == (off_t)off ? 0 : -1;
}

static const vgi_src_ops fd_ops = {fd_read, fd_seek};

/* O_NOFOLLOW and the dev/ino check close the window between lstat and open in
 * which a file could be swapped for a link or a FIFO; O_NONBLOCK keeps a FIFO
 * slipped in there from blocking the walk. */
static int open_evidence(int dirfd, const char *fname, const struct stat *lst)
{
    int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK;
    struct stat fst;
    int fd = openat(dirfd, fname, flags | O_NOATIME);
    if (fd < 0 && errno == EPERM)
        fd = openat(dirfd, fname, flags);
    if (fd < 0)
        return -1;
    if (fstat(fd, &fst) != 0 || !S_ISREG(fst.st_mode) || fst.st_dev != lst->st_dev ||
        fst.st_ino != lst->st_ino) {
        close(fd);
        errno = ESTALE;
        return -1;
    }
    return fd;
}

/* Birth time where the kernel and file system keep one (statx). */
static void set_btime(vg_item *it, int dirfd, const char *fname)
{
#ifdef STATX_BTIME
    struct statx sx;
    if (statx(dirfd, fname, AT_SYMLINK_NOFOLLOW, STATX_BTIME, &sx) == 0 && (sx.stx_mask & STATX_BTIME))
        it->crtime = sx.stx_btime.tv_sec;
#else
    (void)it, (void)dirfd, (void)fname;
#endif
}

static void set_stat(vg_item *it, const struct stat *st)
{
    it->size = S_ISREG(st->st_mode) ? (uint64_t)st->st_size : 0;
    it->meta_addr = (uint64_t)st->st_ino;
    it->mtime = st->st_mtime;
    it->atime = st->st_atime;
    it->ctime = st->st_ctime;
    if (S_ISLNK(st->st_mode))
        it->type = VG_ITEM_SYMLINK;
    else if (S_ISDIR(st->st_mode))
        it->type = VG_ITEM_DIR;
    else if (!S_ISREG(st->st_mode))
        it->type = VG_ITEM_SPECIAL;
}

vg_status vgi_file_item(vgi_walk *w, int dirfd, const char *fname, const char *rel,
                        const char *fs_path)
{
    vg_item it;
    vgi_item_priv p;
    struct stat st;
    fd_src src = {-1};
    char target[4096];
    vg_status rc;
    if ((rc = vgi_item_init(&it, &p, w, NULL, VG_SRC_FILE, fs_path, "")) != VG_OK)
        return rc;
    it.name = rel; /* the path names the file on disk; the name is relative to the root */
    if (fstatat(dirfd, fname, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        vgi_item_fail(&it, VG_ERR_OPEN, "cannot examine: %s", strerror(errno));
    } else {
        set_stat(&it, &st);
        set_btime(&it, dirfd, fname);
        if (it.type == VG_ITEM_SYMLINK) {
            ssize_t n = readlinkat(dirfd, fname, target, sizeof target - 1);
            target[n > 0 ? n : 0] = '\0';
            it.link_target = target;
        } else if (it.type == VG_ITEM_REG) {
            if ((src.fd = open_evidence(dirfd, fname, &st)) < 0) {
                vgi_item_fail(&it, VG_ERR_OPEN, "cannot open: %s", strerror(errno));
            } else {
                p.ops = &fd_ops;
                p.src = &src;
                p.fs_path = fs_path;
            }
        }
    }
    vgi_emit(w, &it);
    if (src.fd >= 0)
        close(src.fd);
    vgi_item_done(&it);
    return VG_OK;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads and sorts the names of a directory (without . and ..). */
static char **list_dir(int dfd, size_t *count)
{
    DIR *d = fdopendir(dfd);
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0;
    if (!d) {
        close(dfd);
        return NULL;
    }
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (n == cap) {
            char **nn = realloc(names, (cap = cap ? cap * 2 : 32) * sizeof *names);
            if (!nn)
                break;
            names = nn;
        }
        if (!(names[n] = strdup(de->d_name)))
            break;
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_names);
    *count = n;
    return names ? names : calloc(1, sizeof *names);
}

static char *join_path(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 2);
    if (!s)
        return NULL;
    memcpy(s, a, la);
    s[la] = '/';
    memcpy(s + la + 1, b, lb + 1);
    if (la == 0)
        memmove(s, s + 1, lb + 1);
    return s;
}

static void dir_error(vgi_walk *w, const char *rel, const char *fs_path, const char *what)
{
    vg_item it;
    vgi_item_priv p;
    if (vgi_item_init(&it, &p, w, NULL, VG_SRC_FILE, fs_path, "") != VG_OK)
        return;
    it.name = rel;
    it.type = VG_ITEM_DIR;
    vgi_item_fail(&it, VG_ERR_OPEN, "%s", what);
    if (w->cb(&it, w->ctx) == VG_WALK_STOP)
        w->stopped = 1;
    vgi_item_done(&it);
}

static void walk_dir(vgi_walk *w, int dfd, const char *rel, const char *fsdir, unsigned depth);

static void walk_entry(vgi_walk *w, int dfd, const char *name, const char *rel,
                       const char *fs_path, unsigned depth)
{
    struct stat st;
    int sub;
    char msg[300];
    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode)) {
        vgi_file_item(w, dfd, name, rel, fs_path);
        return;
    }
    if (depth >= MAX_TREE_DEPTH) {
        snprintf(msg, sizeof msg, "directory nesting deeper than %d: not entered", MAX_TREE_DEPTH);
        dir_error(w, rel, fs_path, msg);
        return;
    }
    sub = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (sub < 0) {
        snprintf(msg, sizeof msg, "cannot open directory: %s", strerror(errno));
        dir_error(w, rel, fs_path, msg);
        return;
    }
    walk_dir(w, sub, rel, fs_path, depth + 1);
}

/* Takes ownership of dfd. */
static void walk_dir(vgi_walk *w, int dfd, const char *rel, const char *fsdir, unsigned depth)
{
    size_t n = 0;
    /* list_dir hands dfd to closedir; the duplicate serves the *at calls. */
    int keep = dup(dfd);
    char **names = list_dir(dfd, &n);
    if (!names) {
        if (keep >= 0)
            close(keep);
        dir_error(w, rel, fsdir, "cannot read directory");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        char *r = join_path(rel, names[i]);
        char *f = join_path(fsdir, names[i]);
        if (keep >= 0 && r && f && !w->stopped)
            walk_entry(w, keep, names[i], r, f, depth);
        free(r);
        free(f);
        free(names[i]);
    }
    free(names);
    if (keep >= 0)
        close(keep);
}

vg_status vgi_tree_walk(vgi_walk *w, const char *root, vg_error *err)
{
    int dfd = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd < 0)
        return vg_errorf(err, VG_ERR_OPEN, "%s: cannot open directory: %s", root, strerror(errno));
    walk_dir(w, dfd, "", root, 0);
    return VG_OK;
}
