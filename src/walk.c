/* walk.c - recursive, sorted, link-safe directory walk for the tool. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "walk.h"

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists dir's entries (without . and ..) sorted bytewise, so that the same
 * tree always gives the same report. */
static char **list_dir(const char *dir, size_t *count, int *err)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0;

    *err = 0;
    if (!d) {
        *err = errno;
        return NULL;
    }
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, cap * sizeof *names);
            if (!nn)
                break;
            names = nn;
        }
        names[n] = strdup(de->d_name);
        if (names[n])
            n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_names);
    *count = n;
    return names;
}

static int walk_dir(const char *dir, walk_fn fn, void *ctx, unsigned long *skipped)
{
    size_t n = 0;
    int e, stop = 0;
    char **names = list_dir(dir, &n, &e);

    if (e) {
        char msg[256];
        snprintf(msg, sizeof msg, "cannot list directory: %s", strerror(e));
        return fn(ctx, dir, msg);
    }
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        char *p = malloc(len);
        struct stat sb;

        if (!stop && p) {
            snprintf(p, len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
            if (lstat(p, &sb) != 0) {
                char msg[256];
                snprintf(msg, sizeof msg, "cannot stat: %s", strerror(errno));
                stop = fn(ctx, p, msg);
            } else if (S_ISDIR(sb.st_mode)) {
                stop = walk_dir(p, fn, ctx, skipped);
            } else if (S_ISREG(sb.st_mode)) {
                stop = fn(ctx, p, NULL);
            } else {
                (*skipped)++;
            }
        }
        free(p);
        free(names[i]);
    }
    free(names);
    return stop;
}

int walk_path(const char *path, walk_fn fn, void *ctx, unsigned long *skipped)
{
    struct stat sb;

    /* A path named on the command line is taken as meant, links included. */
    if (stat(path, &sb) != 0) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s", strerror(errno));
        return fn(ctx, path, msg);
    }
    if (S_ISDIR(sb.st_mode))
        return walk_dir(path, fn, ctx, skipped);
    if (S_ISREG(sb.st_mode))
        return fn(ctx, path, NULL);
    return fn(ctx, path, "not a regular file or directory");
}
