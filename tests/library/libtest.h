/* libtest.h - helpers the library tests share: fresh libraries in the
 * scratch directory and entries turned into comparable text. */
#ifndef LIBTEST_H
#define LIBTEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "vigil/library.h"
#include "vigil/util.h"

/* A new, empty library tmpdir/name (old file, WAL and index cache removed). */
static inline vg_library *fresh_lib(const char *name, char *path, size_t len)
{
    char cmd[4 * 8192 + 64];
    vg_library *lib = NULL;
    vg_error err;

    snprintf(path, len, "%s/%s", test_tmpdir(), name);
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s-wal' '%s-shm' '%s.idx'", path, path, path, path);
    if (system(cmd) != 0)
        return NULL;
    if (vg_library_open(path, 1, &lib, &err) != VG_OK)
        fprintf(stderr, "open %s: %s\n", path, err.msg);
    return lib;
}

/* Text of everything an entry carries, for comparing entries across a store. */
static inline void entry_sig(const vg_hs_entry *e, char *out, size_t len)
{
    char md5[33] = "", sha1[41] = "", sha256[65] = "", pdq[65] = "";
    size_t o;

    if (e->has & VG_HS_HAS_MD5)
        vg_hex_encode(e->md5, 16, md5);
    if (e->has & VG_HS_HAS_SHA1)
        vg_hex_encode(e->sha1, 20, sha1);
    if (e->has & VG_HS_HAS_SHA256)
        vg_hex_encode(e->sha256, 32, sha256);
    if (e->has & VG_HS_HAS_PDQ)
        vg_hex_encode(e->pdq.b, 32, pdq);
    o = (size_t)snprintf(out, len, "has=%x md5=%s sha1=%s sha256=%s pdq=%s q=%d size=%llu "
                                   "name=%s cat=%s label=%s pdna=%s upd=%s labels=",
                         e->has,
                         md5, sha1, sha256, pdq, (e->has & VG_HS_HAS_PDQ) ? e->pdq_quality : -1,
                         (e->has & VG_HS_HAS_SIZE) ? (unsigned long long)e->size : 0ULL,
                         e->name ? e->name : "(null)", e->category, e->category_label,
                         e->photodna ? e->photodna : "(null)", e->updated ? e->updated : "(null)");
    for (size_t i = 0; i < e->n_labels && o < len; i++)
        o += (size_t)snprintf(out + o, len - o, "%s%s", i ? "|" : "", e->labels[i]);
}

typedef struct sig_list {
    char **v;
    size_t n, cap;
} sig_list;

static inline void sig_push(sig_list *l, const vg_hs_entry *e)
{
    char buf[4096];

    entry_sig(e, buf, sizeof buf);
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = strdup(buf);
}

static inline int sig_from_reader(void *ctx, const vg_hs_entry *e)
{
    sig_push(ctx, e);
    return 0;
}

static inline int sig_from_library(void *ctx, uint64_t id, const vg_hs_entry *e)
{
    (void)id;
    sig_push(ctx, e);
    return 0;
}

static inline void sig_free(sig_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* Writes text to tmpdir/name and returns the path (static buffer). */
static inline const char *write_tmp(const char *name, const char *text)
{
    static char path[8192];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", test_tmpdir(), name);
    if ((f = fopen(path, "wb")) != NULL) {
        fputs(text, f);
        fclose(f);
    }
    return path;
}

#endif
