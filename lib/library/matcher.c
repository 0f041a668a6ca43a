/* matcher.c - opening a matcher: per set an exact and a PDQ index, mapped
 * from the cache in LIBRARY.idx/ or built from the database and saved there.
 *
 * Cache files are named NAME-vVERSION-LIBID.exact / .pdq. VERSION comes from
 * the library-wide change counter, so any change to a set (import, add,
 * remove, remove and re-import) gives a name no earlier index had; LIBID (8
 * hex digits of the library's random id) keeps a library file that was
 * deleted and created again from picking up another library's indexes. Files
 * of older versions of a set are deleted when a new one is written. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "matcher_int.h"

/* Whether fname is a cache file of set name (any version, this extension). */
static int is_cache_file_of(const char *fname, const char *name, const char *ext)
{
    size_t nl = strlen(name), el = strlen(ext);
    const char *p;
    size_t digits = 0;

    if (strncmp(fname, name, nl) != 0 || strncmp(fname + nl, "-v", 2) != 0)
        return 0;
    p = fname + nl + 2;
    while (p[digits] >= '0' && p[digits] <= '9')
        digits++;
    if (!digits || p[digits] != '-')
        return 0;
    p += digits + 1;
    for (int i = 0; i < 8; i++, p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return 0;
    return strlen(p) == el && strcmp(p, ext) == 0;
}

static void cache_path(const vg_matcher *m, const mset *s, const char *ext, char *out,
                       size_t len)
{
    snprintf(out, len, "%s/%s-v%lld-%.8s%s", m->cache_dir, s->name, (long long)s->version,
             m->lib->uuid, ext);
}

/* Deletes cache files of s other than its current version's. */
static void prune_cache(const vg_matcher *m, const mset *s)
{
    static const char *exts[] = {".exact", ".pdq"};
    DIR *d = opendir(m->cache_dir);
    struct dirent *de;
    char keep[2][4096], path[4096];

    if (!d)
        return;
    for (int i = 0; i < 2; i++) {
        cache_path(m, s, exts[i], keep[i], sizeof keep[i]);
        char *slash = strrchr(keep[i], '/');
        memmove(keep[i], slash + 1, strlen(slash + 1) + 1);
    }
    while ((de = readdir(d)) != NULL) {
        for (int i = 0; i < 2; i++) {
            if (is_cache_file_of(de->d_name, s->name, exts[i]) &&
                strcmp(de->d_name, keep[i]) != 0) {
                snprintf(path, sizeof path, "%s/%s", m->cache_dir, de->d_name);
                unlink(path);
            }
        }
    }
    closedir(d);
}

static int want_exact(const mset *s)
{
    return s->info.n_md5 + s->info.n_sha1 + s->info.n_sha256 > 0;
}

static int want_pdq(const mset *s)
{
    return s->info.n_pdq > 0;
}

/* Maps both indexes of s from the cache; 0 when every wanted file loaded. */
static int load_cached(vg_matcher *m, mset *s)
{
    char path[4096];

    if (!m->cache_dir)
        return -1;
    if (want_exact(s)) {
        cache_path(m, s, ".exact", path, sizeof path);
        if (vg_exact_index_load(path, 0, &s->exact, NULL) != VG_OK)
            return -1;
    }
    if (want_pdq(s)) {
        cache_path(m, s, ".pdq", path, sizeof path);
        if (vg_pdq_index_load(path, 0, &s->pdq, NULL) != VG_OK) {
            vg_exact_index_free(s->exact);
            s->exact = NULL;
            return -1;
        }
    }
    return 0;
}

/* Saves the built indexes of s; failures only mean no cache next time. */
static void save_cache(vg_matcher *m, mset *s)
{
    char path[4096];
    int ok = 1;

    if (!m->cache_dir)
        return;
    if (mkdir(m->cache_dir, 0700) != 0 && errno != EEXIST)
        return;
    if (s->exact) {
        cache_path(m, s, ".exact", path, sizeof path);
        ok &= vg_exact_index_save(s->exact, path, NULL) == VG_OK;
    }
    if (s->pdq) {
        cache_path(m, s, ".pdq", path, sizeof path);
        ok &= vg_pdq_index_save(s->pdq, path, NULL) == VG_OK;
    }
    if (ok)
        m->stats.cache_written++;
    prune_cache(m, s);
}

static vg_status open_set(vg_matcher *m, mset *s, vg_error *err)
{
    vg_status st;

    /* One read transaction: the version and the entries agree. */
    if ((st = vgi_lib_exec(m->lib, "BEGIN", err)) != VG_OK)
        return st;
    st = vg_library_set_info(m->lib, s->name, &s->info, err);
    if (st == VG_OK) {
        s->version = s->info.version;
        if (load_cached(m, s) == 0) {
            m->stats.cache_loaded++;
        } else {
            st = vgi_lib_matcher_build(m, s, err);
            if (st == VG_OK) {
                m->stats.built++;
                save_cache(m, s);
            }
        }
    }
    vgi_lib_exec(m->lib, "COMMIT", NULL);
    m->stats.entries += s->info.entries;
    return st;
}

/* Names of every set (when the caller gave none). */
static vg_status all_set_names(vg_matcher *m, vg_error *err)
{
    vg_set_info *v;
    size_t n;
    vg_status st = vg_library_list(m->lib, &v, &n, err);

    if (st != VG_OK)
        return st;
    if (n && !(m->sets = calloc(n, sizeof *m->sets))) {
        free(v);
        return vg_errorf(err, VG_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        memcpy(m->sets[i].name, v[i].name, sizeof m->sets[i].name);
    m->n = n;
    free(v);
    return VG_OK;
}

static vg_status given_set_names(vg_matcher *m, const char *const *sets, size_t n_sets,
                                 vg_error *err)
{
    if (!(m->sets = calloc(n_sets, sizeof *m->sets)))
        return vg_errorf(err, VG_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n_sets; i++) {
        if (!vg_set_name_valid(sets[i]))
            return vg_errorf(err, VG_ERR_NOTFOUND, "no set named '%s' in %s", sets[i],
                             m->lib->path);
        for (size_t k = 0; k < m->n; k++)
            if (strcmp(m->sets[k].name, sets[i]) == 0)
                goto dup; /* named twice: match it once */
        snprintf(m->sets[m->n++].name, sizeof m->sets[0].name, "%s", sets[i]);
    dup:;
    }
    return VG_OK;
}

static char *make_cache_dir_name(const char *lib_path)
{
    size_t n = strlen(lib_path) + 5;
    char *d = malloc(n);

    if (d)
        snprintf(d, n, "%s.idx", lib_path);
    return d;
}

vg_status vg_matcher_open(vg_library *lib, const char *const *sets, size_t n_sets,
                          unsigned flags, vg_matcher **out, vg_error *err)
{
    vg_matcher *m = calloc(1, sizeof *m);
    vg_status st;

    *out = NULL;
    if (!m)
        return vg_errorf(err, VG_ERR_NOMEM, "out of memory");
    m->lib = lib;
    pthread_mutex_init(&m->mu, NULL);
    pthread_rwlock_init(&m->rw, NULL);
    if (!(flags & VG_MATCHER_NO_CACHE) && !(m->cache_dir = make_cache_dir_name(lib->path))) {
        free(m);
        return vg_errorf(err, VG_ERR_NOMEM, "out of memory");
    }
    st = n_sets ? given_set_names(m, sets, n_sets, err) : all_set_names(m, err);
    for (size_t i = 0; st == VG_OK && i < m->n; i++)
        st = open_set(m, &m->sets[i], err);
    if (st == VG_OK)
        st = vgi_lib_prepare(lib, "SELECT category,category_label,labels,name FROM entries"
                              " WHERE id=?", &m->entry_q, err);
    if (st != VG_OK) {
        vg_matcher_free(m);
        return st;
    }
    m->stats.sets = m->n;
    *out = m;
    return VG_OK;
}

void vg_matcher_free(vg_matcher *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        vg_exact_index_free(m->sets[i].exact);
        vg_pdq_index_free(m->sets[i].pdq);
    }
    sqlite3_finalize(m->entry_q);
    pthread_mutex_destroy(&m->mu);
    pthread_rwlock_destroy(&m->rw);
    free(m->sets);
    free(m->cache_dir);
    free(m);
}

void vg_matcher_get_stats(const vg_matcher *m, vg_matcher_stats *st)
{
    *st = m->stats;
}
