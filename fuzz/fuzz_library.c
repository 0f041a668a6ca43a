/* fuzz_library.c - a hostile library file: the input is the SQLite database.
 * It is opened as a library, its sets listed and their entries walked, a
 * matcher built over them in memory (no cache), and one file's hashes matched
 * (exact and dihedral PDQ at the largest radius). The seeds are small valid
 * libraries; mutations reach the schema check, wrong blob sizes, NULLs where
 * the schema says NOT NULL, lying counters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vigil/library.h"

static int walk(void *ctx, uint64_t id, const vg_hs_entry *e)
{
    size_t *n = ctx;
    (void)id;
    *n += strlen(e->category) + strlen(e->category_label) + e->n_labels;
    for (size_t i = 0; i < e->n_labels; i++)
        *n += strlen(e->labels[i]);
    return *n > 100000000; /* never: keeps the reads from being optimised away */
}

static void exercise(vg_library *lib)
{
    vg_set_info *v;
    size_t n, acc = 0;
    vg_matcher *m;
    vg_file_hashes h;
    vg_match_list l = {0};
    vg_match_opts o;

    if (vg_library_list(lib, &v, &n, NULL) != VG_OK)
        return;
    for (size_t i = 0; i < n && i < 16; i++)
        vg_library_entries(lib, v[i].name, 0, 1000, walk, &acc, NULL);
    free(v);
    if (vg_matcher_open(lib, NULL, 0, VG_MATCHER_NO_CACHE, &m, NULL) != VG_OK)
        return;
    memset(&h, 0x5a, sizeof h);
    h.have_pdq = 1;
    h.pdq_quality = 100;
    vg_match_opts_init(&o);
    o.dihedral = 1;
    o.radius = 128;
    vg_matcher_match(m, &h, &o, &l, NULL);
    vg_match_list_free(&l);
    vg_matcher_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    char aux[80];
    vg_library *lib;
    FILE *f;

    if (!path[0])
        snprintf(path, sizeof path, "%s/vigil-fuzz-library-%ld.db",
                 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", (long)getpid());
    if (size > (1u << 20) || !(f = fopen(path, "wb")))
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    if (vg_library_open(path, 0, &lib, NULL) == VG_OK) {
        exercise(lib);
        vg_library_close(lib);
    }
    snprintf(aux, sizeof aux, "%s-wal", path);
    unlink(aux);
    snprintf(aux, sizeof aux, "%s-shm", path);
    unlink(aux);
    unlink(path);
    return 0;
}
