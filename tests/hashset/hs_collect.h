/* hs_collect.h - test helper: gathers imported entries as owned copies. */
#ifndef HS_COLLECT_H
#define HS_COLLECT_H

#include <stdlib.h>
#include <string.h>

#include "vigil/hashset.h"
#include "vigil/util.h"

typedef struct hs_item {
    vg_hs_entry e;      /* pointers below replace the borrowed ones */
    char name[256];
    char category[64];
    char label[160];
    char labels[1024];  /* joined by '|' */
    char photodna[512];
    char updated[40];
} hs_item;

typedef struct hs_list {
    hs_item *v;
    size_t n, cap;
} hs_list;

static inline void hs_copy(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

static inline int hs_collect(void *ctx, const vg_hs_entry *e)
{
    hs_list *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
    }
    hs_item *it = &l->v[l->n++];
    memset(it, 0, sizeof *it);
    it->e = *e;
    hs_copy(it->name, sizeof it->name, e->name);
    hs_copy(it->category, sizeof it->category, e->category);
    hs_copy(it->label, sizeof it->label, e->category_label);
    hs_copy(it->photodna, sizeof it->photodna, e->photodna);
    hs_copy(it->updated, sizeof it->updated, e->updated);
    for (size_t i = 0; i < e->n_labels; i++) {
        size_t o = strlen(it->labels);
        snprintf(it->labels + o, sizeof it->labels - o, "%s%s", i ? "|" : "", e->labels[i]);
    }
    it->e.name = it->e.category = it->e.category_label = it->e.photodna = it->e.updated = NULL;
    it->e.labels = NULL;
    return 0;
}

static inline void hs_free(hs_list *l)
{
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* Entry whose MD5 (or SHA1 when md5 is NULL) has this hex; NULL if none. */
static inline const hs_item *hs_find(const hs_list *l, const char *hex)
{
    uint8_t b[32];
    size_t n = strlen(hex) / 2;
    if (vg_hex_decode(hex, n, b) != 0)
        return NULL;
    for (size_t i = 0; i < l->n; i++) {
        const vg_hs_entry *e = &l->v[i].e;
        if ((n == 16 && (e->has & VG_HS_HAS_MD5) && memcmp(e->md5, b, 16) == 0) ||
            (n == 20 && (e->has & VG_HS_HAS_SHA1) && memcmp(e->sha1, b, 20) == 0) ||
            (n == 32 && (e->has & VG_HS_HAS_SHA256) && memcmp(e->sha256, b, 32) == 0))
            return &l->v[i];
    }
    return NULL;
}

/* Imports a test data file; returns the status, entries in *l. */
static inline vg_status hs_load(const char *rel, vg_hs_format fmt, const vg_hs_scheme *s,
                                hs_list *l, vg_hs_stats *st, vg_error *err)
{
    hs_free(l);
    return vg_hashset_read(test_data(rel), fmt, s, hs_collect, l, st, err);
}



/* Writes len bytes to $VG_TEST_TMP/name; returns the path (static buffer). */
static inline const char *hs_tmpfile(const char *name, const void *data, size_t len)
{
    static char path[4096 + 256];
    snprintf(path, sizeof path, "%s/%.200s", test_tmpdir(), name);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(data, 1, len, f);
        fclose(f);
    }
    return path;
}
#endif
