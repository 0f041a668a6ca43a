/* test_matcher.c - matching files against the library: T1..T6 by MD5, SHA-1
 * and SHA-256, PDQ with and without dihedral variants against Meta's
 * reference hashes, set selection, and the index cache (reuse, invalidation,
 * corrupt files, no-cache). */
#include <dirent.h>
#include <pthread.h>

#include "libtest.h"
#include "vigil/index.h"

static char libpath[8192];
static char tfile[7][8192]; /* T1..T6 */

static void make_t_files(void)
{
    for (int i = 1; i <= 6; i++) {
        char name[32], text[64];
        snprintf(name, sizeof name, "t%d.bin", i);
        snprintf(text, sizeof text, "SYNTHETIC-BENIGN-TEST-FILE-000%d\n", i);
        snprintf(tfile[i], sizeof tfile[i], "%s", write_tmp(name, text));
    }
}

static int hash_path(const char *path, int dihedral, vg_file_hashes *h)
{
    vg_hash_opts o;
    vg_error err;

    memset(&o, 0, sizeof o);
    o.dihedral = dihedral;
    if (vg_hash_file(path, &o, h, &err) != VG_OK) {
        fprintf(stderr, "hash %s: %s\n", path, err.msg);
        return -1;
    }
    return 0;
}

/* "kind/set kind/set ..." of a match list. */
static void describe(const vg_match_list *l, char *out, size_t len)
{
    size_t o = 0;

    out[0] = '\0';
    for (size_t i = 0; i < l->n && o < len; i++)
        o += (size_t)snprintf(out + o, len - o, "%s%s/%s", i ? " " : "",
                              vg_match_kind_name(l->v[i].kind), l->v[i].set);
}

static void match_t(vg_matcher *m, int t, const char *want)
{
    vg_file_hashes h;
    vg_match_list l = {0};
    vg_error err;
    char got[1024];

    if (hash_path(tfile[t], 0, &h) != 0) {
        CHECK(0);
        return;
    }
    CHECK_INTEQ(vg_matcher_match(m, &h, NULL, &l, &err), VG_OK);
    describe(&l, got, sizeof got);
    CHECK_MSG(strcmp(got, want) == 0, "T%d: got '%s', want '%s'", t, got, want);
    vg_match_list_free(&l);
}

static const char *const want_default[7] = {
    NULL,
    "md5/hashdeep md5/media sha1/media sha256/hashdeep",
    "md5/hashdeep md5/media sha1/media sha256/hashdeep",
    "md5/hashdeep md5/media sha1/media sha256/hashdeep",
    "md5/media sha1/media",
    "md5/media",
    ""};

static void test_exact(vg_library *lib)
{
    vg_matcher *m;
    vg_error err;
    vg_file_hashes h;
    vg_match_list l = {0};

    CHECK_INTEQ(vg_matcher_open(lib, NULL, 0, 0, &m, &err), VG_OK);
    if (!m)
        return;
    for (int t = 1; t <= 6; t++)
        match_t(m, t, want_default[t]);

    /* What a match says about its entry: T2 is Category 1 with a series. */
    CHECK(hash_path(tfile[2], 0, &h) == 0);
    CHECK_INTEQ(vg_matcher_match(m, &h, NULL, &l, &err), VG_OK);
    CHECK_INTEQ(l.n, 4);
    if (l.n == 4) {
        const vg_match *x = &l.v[1]; /* md5/media */
        CHECK_STREQ(x->set, "media");
        CHECK_STREQ(x->category, "1");
        CHECK_INTEQ(x->distance, 0);
        int series = 0;
        for (size_t i = 0; i < x->n_labels; i++)
            series |= strstr(x->labels[i], "SYNTHETIC-SERIES-A") != NULL;
        CHECK_MSG(series, "labels of T2 lack the series (%zu labels)", x->n_labels);
        CHECK_STREQ(l.v[0].name, "t2.bin"); /* hashdeep names its files */
        CHECK_STREQ(l.v[0].category, "none");
        CHECK(l.v[1].entry == l.v[2].entry); /* one media entry, two digests */
    }
    vg_match_list_free(&l);
    vg_matcher_free(m);

    /* Only the sets asked for. */
    const char *only[] = {"hashdeep", "hashdeep"};
    CHECK_INTEQ(vg_matcher_open(lib, only, 2, 0, &m, &err), VG_OK);
    if (m) {
        match_t(m, 1, "md5/hashdeep sha256/hashdeep");
        match_t(m, 4, "");
        vg_matcher_free(m);
    }
    const char *bad[] = {"media", "nope"};
    CHECK_INTEQ(vg_matcher_open(lib, bad, 2, 0, &m, &err), VG_ERR_NOTFOUND);
    CHECK(m == NULL);
    CHECK_MSG(strstr(err.msg, "'nope'") != NULL, "%s", err.msg);
}

/* ---- PDQ against the reference's dihedral hashes ---- */

/* The reference gives bridge-1's 8 dihedral hashes and each dih/ file's own
 * hash. Each file is a rotation or mirror of bridge-1, so one of its
 * variants should land near bridge-1's hash, at about the distance between
 * its own hash and the matching variant of bridge-1. */
typedef struct ref_file {
    char name[128];
    vg_pdq h;
} ref_file;

/* Reads "dih/NAME,<col2>,HEX,..." lines of rel; returns how many. */
static int load_csv(const char *rel, ref_file *r, int max, int hex_col)
{
    size_t len;
    char *csv = (char *)test_slurp(test_data(rel), &len);
    int n = 0;

    if (!csv)
        return 0;
    csv[len] = '\0';
    for (char *line = strtok(csv, "\n"); line && n < max; line = strtok(NULL, "\n")) {
        char file[128], c2[80], c3[80];
        if (sscanf(line, "dih/%127[^,],%79[^,],%79[^,]", file, c2, c3) != 3)
            continue;
        if (vg_pdq_from_hex(hex_col == 2 ? c2 : c3, &r[n].h) != VG_OK)
            continue;
        snprintf(r[n++].name, sizeof r[0].name, "%s", file);
    }
    free(csv);
    return n;
}

static void test_pdq(vg_library *lib)
{
    /* Files in name order: bridge-1-original, -2-rotate-90, -3-rotate-180,
     * -4-rotate-270, -5-flipx, -6-flipy, -7-flip-plus-1, -8-flip-minus-1. */
    static const vg_pdq_variant undo[8] = {VG_PDQ_ORIG,  VG_PDQ_ROT270, VG_PDQ_ROT180,
                                           VG_PDQ_ROT90, VG_PDQ_FLIPX,  VG_PDQ_FLIPY,
                                           VG_PDQ_FLIP_PLUS1, VG_PDQ_FLIP_MINUS1};
    ref_file files[16], b1[16];
    int nf = load_csv("pdq/expected-pdq-cpp.csv", files, 16, 2);
    int nv = load_csv("pdq/expected-pdq-cpp-dihedral.csv", b1, 16, 3), matched_plain = 0;
    vg_matcher *m;
    vg_error err;
    vg_match_opts o;
    vg_match_list l = {0};
    const char *only[] = {"bridge"};

    CHECK_INTEQ(nf, 8);
    CHECK_INTEQ(nv, VG_PDQ_VARIANTS);
    CHECK_INTEQ(vg_matcher_open(lib, only, 1, 0, &m, &err), VG_OK);
    if (!m || nf != 8 || nv != VG_PDQ_VARIANTS)
        return;
    vg_match_opts_init(&o);
    for (int i = 0; i < nf; i++) {
        char path[8192];
        vg_file_hashes h;
        int plain = vg_pdq_distance(&files[i].h, &b1[0].h), ref = 256;

        for (int v = 0; v < VG_PDQ_VARIANTS; v++) {
            int d = vg_pdq_distance(&files[i].h, &b1[v].h);
            ref = d < ref ? d : ref;
        }
        snprintf(path, sizeof path, "%s", test_data("pdq/dih/"));
        strncat(path, files[i].name, sizeof path - strlen(path) - 1);
        if (hash_path(path, 1, &h) != 0 || !h.have_pdq) {
            CHECK_MSG(0, "no PDQ for %s", files[i].name);
            continue;
        }
        o.dihedral = 0;
        CHECK_INTEQ(vg_matcher_match(m, &h, &o, &l, &err), VG_OK);
        CHECK_MSG(l.n == (plain <= 31), "%s without dihedral: %zu matches, distance %d",
                  files[i].name, l.n, plain);
        if (l.n == 1)
            CHECK_INTEQ(l.v[0].distance, plain);
        matched_plain += (int)l.n;
        o.dihedral = 1;
        CHECK_INTEQ(vg_matcher_match(m, &h, &o, &l, &err), VG_OK);
        CHECK_MSG(l.n == 1, "%s with dihedral: %zu matches", files[i].name, l.n);
        if (l.n == 1) {
            CHECK_INTEQ(l.v[0].kind, VG_MATCH_PDQ);
            CHECK_STREQ(l.v[0].set, "bridge");
            printf("%s: dihedral distance %d (variant %s), reference %d\n", files[i].name,
                   l.v[0].distance, vg_pdq_variant_name((vg_pdq_variant)l.v[0].variant), ref);
            /* The variant that undoes the file's rotation or mirror matched. */
            CHECK_MSG(l.v[0].variant == (int)undo[i], "%s: variant %s", files[i].name,
                      vg_pdq_variant_name((vg_pdq_variant)l.v[0].variant));
            CHECK(l.v[0].distance <= 31);
            /* Transforming a hash is not exactly symmetric (each variant is
             * thresholded at its own median), so the file's variant vs
             * bridge-1 and the file vs bridge-1's variant differ by a few
             * bits: measured 0..4. */
            CHECK_MSG(abs(l.v[0].distance - ref) <= 6, "%s: distance %d, reference %d",
                      files[i].name, l.v[0].distance, ref);
            CHECK_INTEQ(ref == 0, l.v[0].distance == 0);
            CHECK_INTEQ(vg_pdq_distance(&h.pdq[l.v[0].variant], &b1[0].h), l.v[0].distance);
        }
        if (i == 0) {
            /* Quality 100 < 101: PDQ is not searched at all. */
            o.min_quality = 101;
            CHECK_INTEQ(vg_matcher_match(m, &h, &o, &l, &err), VG_OK);
            CHECK_INTEQ(l.n, 0);
            CHECK_INTEQ(l.pdq_skipped, 1);
            o.min_quality = VG_PDQ_DEFAULT_MIN_QUALITY;
            o.radius = 257;
            CHECK_INTEQ(vg_matcher_match(m, &h, &o, &l, &err), VG_ERR_ARG);
            o.radius = VG_PDQ_DEFAULT_RADIUS;
        }
    }
    /* Only the original matches by its plain hash: the rest need dihedral. */
    CHECK_INTEQ(matched_plain, 1);
    vg_match_list_free(&l);
    vg_matcher_free(m);
}

/* ---- cache ---- */

static int count_cache_files(void)
{
    char dir[8192 + 8];
    DIR *d;
    struct dirent *de;
    int n = 0;

    snprintf(dir, sizeof dir, "%s.idx", libpath);
    if (!(d = opendir(dir)))
        return -1;
    while ((de = readdir(d)) != NULL)
        n += strstr(de->d_name, ".exact") != NULL || strstr(de->d_name, ".pdq") != NULL;
    closedir(d);
    return n;
}

static vg_matcher_stats open_stats(vg_library *lib, unsigned flags, vg_matcher **keep)
{
    vg_matcher *m = NULL;
    vg_matcher_stats st;
    vg_error err;

    memset(&st, 0, sizeof st);
    CHECK_INTEQ(vg_matcher_open(lib, NULL, 0, flags, &m, &err), VG_OK);
    if (m)
        vg_matcher_get_stats(m, &st);
    if (keep)
        *keep = m;
    else
        vg_matcher_free(m);
    return st;
}

static void test_cache(vg_library *lib)
{
    vg_matcher_stats st;
    vg_matcher *m;
    vg_error err;
    vg_hs_entry e;
    uint64_t id = 0;

    /* test_threads' matcher rebuilt bridge (changed by test_live), then
     * changed hashdeep: this open rebuilds hashdeep, and then every set's
     * indexes are cached. */
    st = open_stats(lib, 0, NULL);
    CHECK_INTEQ(st.built, 1);
    CHECK_INTEQ(st.cache_loaded, 2);
    CHECK_INTEQ(count_cache_files(), 3); /* media.exact, hashdeep.exact, bridge.pdq */
    st = open_stats(lib, 0, &m);
    CHECK_INTEQ(st.sets, 3);
    CHECK_INTEQ(st.cache_loaded, 3);
    CHECK_INTEQ(st.built, 0);
    CHECK_INTEQ(st.entries, 7 + 3 + 1);
    if (m) {
        for (int t = 1; t <= 6; t++)
            match_t(m, t, want_default[t]); /* mapped indexes answer the same */
        vg_matcher_free(m);
    }

    /* A change to one set rebuilds that set only, and its new entry matches. */
    memset(&e, 0, sizeof e);
    e.has = VG_HS_HAS_MD5;
    vg_hex_decode("b4f389a7af75887f198c3006c7fd6056", 16, e.md5); /* T6 */
    e.category = "3";
    e.category_label = "Category 3";
    CHECK_INTEQ(vg_library_add_entry(lib, "media", &e, &id, &err), VG_OK);
    st = open_stats(lib, 0, &m);
    CHECK_INTEQ(st.cache_loaded, 2);
    CHECK_INTEQ(st.built, 1);
    CHECK_INTEQ(st.cache_written, 1);
    CHECK_INTEQ(count_cache_files(), 3); /* the old version's file is gone */
    if (m) {
        match_t(m, 6, "md5/media");
        vg_matcher_free(m);
    }
    CHECK_INTEQ(vg_library_remove_entry(lib, "media", id, &err), VG_OK);
    st = open_stats(lib, 0, &m);
    CHECK_INTEQ(st.built, 1);
    if (m) {
        match_t(m, 6, "");
        vg_matcher_free(m);
    }

    /* Removed and imported again under the same name: rebuilt, not reused. */
    CHECK_INTEQ(vg_library_remove(lib, "hashdeep", &err), VG_OK);
    CHECK_INTEQ(vg_library_import(lib, "hashdeep", test_data("hashset/md5sum.txt"),
                                  VG_HS_FMT_AUTO, NULL, NULL, NULL, &err), VG_OK);
    st = open_stats(lib, 0, &m);
    CHECK_INTEQ(st.built, 1);
    CHECK_INTEQ(st.cache_loaded, 2);
    if (m) {
        match_t(m, 4, "md5/media sha1/media"); /* md5sum.txt has no T4 */
        match_t(m, 1, "md5/hashdeep md5/media sha1/media");
        vg_matcher_free(m);
    }

    /* A damaged cache file is rebuilt, not trusted. */
    char cmd[3 * 8192];
    snprintf(cmd, sizeof cmd,
             "for f in '%s.idx'/media-*.exact; do printf 'garbage' > \"$f\"; done", libpath);
    CHECK(system(cmd) == 0);
    st = open_stats(lib, 0, &m);
    CHECK_INTEQ(st.built, 1);
    CHECK_INTEQ(st.cache_loaded, 2);
    if (m) {
        match_t(m, 5, "md5/media");
        vg_matcher_free(m);
    }
    st = open_stats(lib, 0, NULL);
    CHECK_INTEQ(st.cache_loaded, 3);

    /* NO_CACHE writes nothing beside the library. */
    snprintf(cmd, sizeof cmd, "rm -rf '%s.idx'", libpath);
    CHECK(system(cmd) == 0);
    st = open_stats(lib, VG_MATCHER_NO_CACHE, NULL);
    CHECK_INTEQ(st.built, 3);
    CHECK_INTEQ(st.cache_written, 0);
    CHECK_INTEQ(count_cache_files(), -1);

    /* Pruning one set's old files leaves a set whose name looks like them. */
    CHECK_INTEQ(vg_library_import(lib, "hashdeep-v1-00000000", test_data("hashset/md5sum.txt"),
                                  VG_HS_FMT_AUTO, NULL, NULL, NULL, &err), VG_OK);
    st = open_stats(lib, 0, NULL);
    CHECK_INTEQ(st.built, 4);
    CHECK_INTEQ(count_cache_files(), 4);
    CHECK_INTEQ(vg_library_add_entry(lib, "hashdeep", &e, NULL, &err), VG_OK);
    st = open_stats(lib, 0, NULL);
    CHECK_INTEQ(st.built, 1);
    CHECK_INTEQ(count_cache_files(), 4);
    st = open_stats(lib, 0, NULL);
    CHECK_INTEQ(st.cache_loaded, 4);
}

/* Entries added to and removed from an open matcher count at once, also in
 * sets whose indexes were mapped from the cache. */
static void test_live(vg_library *lib)
{
    vg_matcher *m = NULL;
    vg_matcher_stats st;
    vg_error err;
    vg_hs_entry e;
    uint64_t id = 0;
    vg_file_hashes h;
    vg_match_list l = {0};
    vg_match_opts o;

    CHECK_INTEQ(vg_matcher_open(lib, NULL, 0, 0, &m, &err), VG_OK);
    if (!m)
        return;
    vg_matcher_get_stats(m, &st);
    CHECK_INTEQ(st.cache_loaded, 3);
    memset(&e, 0, sizeof e);
    e.has = VG_HS_HAS_MD5 | VG_HS_HAS_PDQ;
    vg_hex_decode("b4f389a7af75887f198c3006c7fd6056", 16, e.md5); /* T6 */
    /* bridge-2-rotate-90.jpg's own hash, from the reference */
    vg_pdq_from_hex("30a10efdf1c83f429013d48d0ffffc52e34e0e35ada952a9d29605215aa9e5af", &e.pdq);
    e.pdq_quality = 100;
    e.category = "2";
    e.category_label = "Category 2";
    CHECK_INTEQ(vg_matcher_add_entry(m, "bridge", &e, &id, &err), VG_OK);
    match_t(m, 6, "md5/bridge");
    vg_match_opts_init(&o);
    CHECK(hash_path(test_data("pdq/dih/bridge-2-rotate-90.jpg"), 0, &h) == 0);
    CHECK_INTEQ(vg_matcher_match(m, &h, &o, &l, &err), VG_OK);
    CHECK_INTEQ(l.n, 1);
    if (l.n == 1) {
        CHECK_INTEQ(l.v[0].entry, id);
        CHECK_STREQ(l.v[0].category, "2");
    }
    CHECK_INTEQ(vg_matcher_remove_entry(m, "bridge", id, &err), VG_OK);
    match_t(m, 6, "");
    CHECK_INTEQ(vg_matcher_match(m, &h, &o, &l, &err), VG_OK);
    CHECK_INTEQ(l.n, 0);
    CHECK_INTEQ(vg_matcher_remove_entry(m, "bridge", id, &err), VG_ERR_NOTFOUND);
    CHECK_INTEQ(vg_matcher_add_entry(m, "nope", &e, NULL, &err), VG_ERR_NOTFOUND);
    vg_match_list_free(&l);
    vg_matcher_free(m);
}

/* Several threads match at once while entries come and go. */
typedef struct worker {
    vg_matcher *m;
    vg_file_hashes h[7];
    int bad, done;
} worker;

static void *match_loop(void *arg)
{
    worker *w = arg;
    vg_match_list l = {0};
    vg_error err;
    char got[1024];

    for (int it = 0; it < 300; it++) {
        for (int t = 1; t <= 5; t++) {
            if (vg_matcher_match(w->m, &w->h[t], NULL, &l, &err) != VG_OK) {
                w->bad++;
                continue;
            }
            describe(&l, got, sizeof got);
            w->bad += strcmp(got, want_default[t]) != 0;
            w->done++;
        }
    }
    vg_match_list_free(&l);
    return NULL;
}

static void test_threads(vg_library *lib)
{
    enum { NT = 4 };
    worker w[NT];
    pthread_t th[NT];
    vg_matcher *m = NULL;
    vg_hs_entry e;
    vg_error err;
    uint64_t id;
    int live_ok = 1;

    CHECK_INTEQ(vg_matcher_open(lib, NULL, 0, 0, &m, &err), VG_OK);
    if (!m)
        return;
    memset(w, 0, sizeof w);
    for (int i = 0; i < NT; i++) {
        w[i].m = m;
        for (int t = 1; t <= 6; t++)
            CHECK(hash_path(tfile[t], 0, &w[i].h[t]) == 0);
    }
    memset(&e, 0, sizeof e);
    e.has = VG_HS_HAS_MD5 | VG_HS_HAS_PDQ;
    vg_hex_decode("b4f389a7af75887f198c3006c7fd6056", 16, e.md5); /* T6 */
    memset(e.pdq.b, 0x33, 32);
    e.category = "1";
    e.category_label = "Category 1";
    for (int i = 0; i < NT; i++)
        pthread_create(&th[i], NULL, match_loop, &w[i]);
    for (int k = 0; k < 30; k++) {
        /* "hashdeep" has no PDQ index until the first add creates it. */
        live_ok &= vg_matcher_add_entry(m, "hashdeep", &e, &id, &err) == VG_OK;
        live_ok &= vg_matcher_remove_entry(m, "hashdeep", id, &err) == VG_OK;
    }
    for (int i = 0; i < NT; i++) {
        pthread_join(th[i], NULL);
        CHECK_INTEQ(w[i].bad, 0);
        CHECK_INTEQ(w[i].done, 300 * 5);
    }
    CHECK(live_ok);
    match_t(m, 6, "");
    vg_matcher_free(m);
}

int main(void)
{
    vg_library *lib = fresh_lib("match.db", libpath, sizeof libpath);
    vg_error err;
    char pdqline[128];

    CHECK(lib != NULL);
    if (!lib)
        TEST_DONE();
    make_t_files();
    CHECK_INTEQ(vg_library_import(lib, "media", test_data("hashset/vics-2.0-hashset-media.json"),
                                  VG_HS_FMT_AUTO, NULL, NULL, NULL, &err), VG_OK);
    CHECK_INTEQ(vg_library_import(lib, "hashdeep", test_data("hashset/hashdeep.txt"),
                                  VG_HS_FMT_AUTO, NULL, NULL, NULL, &err), VG_OK);
    snprintf(pdqline, sizeof pdqline, "%s,100,bridge-original\n",
             "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22");
    CHECK_INTEQ(vg_library_import(lib, "bridge", write_tmp("bridge.pdq", pdqline),
                                  VG_HS_FMT_PDQ, NULL, NULL, NULL, &err), VG_OK);
    test_exact(lib);
    test_pdq(lib);
    test_live(lib);
    test_threads(lib);
    test_cache(lib);
    vg_library_close(lib);
    TEST_DONE();
}
