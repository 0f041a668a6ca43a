/* test_hs_export.c - writers and round trips (import -> export -> import gives
 * the same entries, for every export format), and category schemes. */
#include "testutil.h"
#include "hs_collect.h"

typedef struct fwd {
    vg_hs_writer *w;
    vg_status st;
} fwd;

/* Callback that writes each imported entry straight to a writer (streaming). */
static int forward(void *ctx, const vg_hs_entry *e)
{
    fwd *f = ctx;
    vg_error err;
    f->st = vg_hs_writer_add(f->w, e, &err);
    return f->st == VG_OK ? 0 : (int)f->st;
}

static int same_item(const hs_item *a, const hs_item *b)
{
    const vg_hs_entry *x = &a->e, *y = &b->e;
    return x->has == y->has && memcmp(x->md5, y->md5, 16) == 0 &&
           memcmp(x->sha1, y->sha1, 20) == 0 && memcmp(x->sha256, y->sha256, 32) == 0 &&
           memcmp(&x->pdq, &y->pdq, sizeof x->pdq) == 0 && x->pdq_quality == y->pdq_quality &&
           x->size == y->size && strcmp(a->name, b->name) == 0 &&
           strcmp(a->category, b->category) == 0 && strcmp(a->label, b->label) == 0 &&
           strcmp(a->labels, b->labels) == 0 && strcmp(a->photodna, b->photodna) == 0 &&
           strcmp(a->updated, b->updated) == 0;
}

static void check_same(const char *what, const hs_list *a, const hs_list *b)
{
    CHECK_MSG(a->n > 0 && a->n == b->n, "%s: %zu vs %zu entries", what, a->n, b->n);
    for (size_t i = 0; i < a->n && i < b->n; i++)
        CHECK_MSG(same_item(&a->v[i], &b->v[i]), "%s: entry %zu differs (%s/%s, %s/%s)", what, i,
                  a->v[i].name, b->v[i].name, a->v[i].labels, b->v[i].labels);
}

/* Imports src, exports it with opts to out, re-imports out in fmt2. */
static void round_trip(const char *src, vg_hs_format fmt, const vg_hs_scheme *s,
                       const vg_hs_write_opts *opts, const char *out, vg_hs_format fmt2,
                       hs_list *first, hs_list *second)
{
    vg_error err;
    vg_hs_stats st;
    fwd f = {NULL, VG_OK};
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", test_tmpdir(), out);
    hs_free(first);
    hs_free(second);
    CHECK(vg_hashset_read(src, fmt, s, hs_collect, first, &st, &err) == VG_OK);
    CHECK(vg_hs_writer_open(path, opts, &f.w, &err) == VG_OK);
    CHECK_MSG(vg_hashset_read(src, fmt, s, forward, &f, &st, &err) == VG_OK, "%s: %s", src, err.msg);
    uint64_t written = 0, skipped = 0;
    CHECK(vg_hs_writer_close(f.w, &written, &skipped, &err) == VG_OK);
    CHECK_INTEQ(written + skipped, first->n);
    CHECK_MSG(vg_hashset_read(path, fmt2, s, hs_collect, second, &st, &err) == VG_OK, "%s: %s", out,
              err.msg);
    CHECK_INTEQ(st.format, fmt2 == VG_HS_FMT_AUTO ? opts->format : fmt2);
}

static void test_vics_round_trips(void)
{
    static const char *const files[] = {"vics-2.0-hashset-media.json", "vics-2.0-case-us.json",
                                        "vics-2.0-case-uk-context.json", "vics-1.3-case.json",
                                        "md5sum.txt", "hashdeep.txt", "nsrl-rds2-NSRLFile.txt"};
    hs_list a = {0}, b = {0};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char rel[128];
        snprintf(rel, sizeof rel, "hashset/%s", files[i]);
        /* the UK file has no verified numbers: it travels under "custom" */
        const vg_hs_scheme *s = vg_hs_scheme_builtin(strstr(files[i], "uk") ? "custom" : "us");
        vg_hs_write_opts o = {.format = VG_HS_FMT_VICS, .scheme = s};
        round_trip(test_data(rel), VG_HS_FMT_AUTO, s, &o, "rt.json", VG_HS_FMT_AUTO, &a, &b);
        check_same(files[i], &a, &b);
    }
    hs_free(&a);
    hs_free(&b);
}

static void test_list_round_trips(void)
{
    hs_list a = {0}, b = {0};
    vg_hs_write_opts o = {.format = VG_HS_FMT_PLAIN, .kind = VG_HS_HAS_MD5};
    round_trip(test_data("hashset/plain-md5-list.txt"), VG_HS_FMT_PLAIN, NULL, &o, "rt.md5",
               VG_HS_FMT_PLAIN, &a, &b);
    check_same("plain md5", &a, &b);
    o.kind = VG_HS_HAS_SHA1;
    round_trip(test_data("hashset/plain-sha1-list.txt"), VG_HS_FMT_PLAIN, NULL, &o, "rt.sha1",
               VG_HS_FMT_PLAIN, &a, &b);
    check_same("plain sha1", &a, &b);
    /* SHA-256 from hashdeep to a plain list and back, then round trip that list */
    o.kind = VG_HS_HAS_SHA256;
    round_trip(test_data("hashset/hashdeep.txt"), VG_HS_FMT_AUTO, NULL, &o, "hd.sha256",
               VG_HS_FMT_PLAIN, &a, &b);
    CHECK(b.n == 3 && b.v[2].e.has == VG_HS_HAS_SHA256 &&
          memcmp(a.v[2].e.sha256, b.v[2].e.sha256, 32) == 0);
    char p[4400];
    snprintf(p, sizeof p, "%s/hd.sha256", test_tmpdir());
    round_trip(p, VG_HS_FMT_PLAIN, NULL, &o, "rt.sha256", VG_HS_FMT_PLAIN, &a, &b);
    check_same("plain sha256", &a, &b);
    /* md5 export of a SHA1-only list writes nothing */
    o.kind = VG_HS_HAS_MD5;
    vg_hs_writer *w;
    vg_error err;
    uint64_t wr, sk;
    CHECK(vg_hs_writer_open(p, &o, &w, &err) == VG_OK);
    hs_load("hashset/plain-sha1-list.txt", VG_HS_FMT_PLAIN, NULL, &a, NULL, &err);
    for (size_t i = 0; i < a.n; i++)
        vg_hs_writer_add(w, &a.v[i].e, &err);
    CHECK(vg_hs_writer_close(w, &wr, &sk, &err) == VG_OK && wr == 0 && sk == 2);
    /* *sum lines keep names */
    vg_hs_write_opts s = {.format = VG_HS_FMT_MD5SUM};
    round_trip(test_data("hashset/md5sum.txt"), VG_HS_FMT_MD5SUM, NULL, &s, "rt.md5sum",
               VG_HS_FMT_AUTO, &a, &b);
    check_same("md5sum", &a, &b);
    s.format = VG_HS_FMT_SHA1SUM;
    round_trip(test_data("hashset/sha1sum.txt"), VG_HS_FMT_SHA1SUM, NULL, &s, "rt.sha1sum",
               VG_HS_FMT_AUTO, &a, &b);
    check_same("sha1sum", &a, &b);
    hs_free(&a);
    hs_free(&b);
}

static const char pdq_lines[] =
    "# PDQ hashes, quality, label\n"
    "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22,100,bridge original\n"
    "30a10efd71cc3d429013d48d0ffffc52e34e0e17ada952a9d29685211ea9e5af 87 rotated, a bit\n"
    "0000000000000000000000000000000000000000000000000000000000000a01\n";

static void test_pdq_round_trips(void)
{
    hs_list a = {0}, b = {0};
    vg_error err;
    vg_hs_write_opts o = {.format = VG_HS_FMT_PDQ};
    const char *src = hs_tmpfile("list.pdq", pdq_lines, sizeof pdq_lines - 1);
    char copy[4400];
    snprintf(copy, sizeof copy, "%s", src);
    round_trip(copy, VG_HS_FMT_PDQ, NULL, &o, "rt.pdq.csv", VG_HS_FMT_AUTO, &a, &b);
    check_same("pdq lines -> csv", &a, &b);
    if (a.n == 3) {
        CHECK_INTEQ(a.v[0].e.pdq_quality, 100);
        CHECK_STREQ(a.v[0].labels, "bridge original");
        CHECK_INTEQ(a.v[1].e.pdq_quality, 87);
        CHECK_STREQ(a.v[1].labels, "rotated, a bit");
        CHECK_INTEQ(a.v[2].e.pdq_quality, -1);
        CHECK(a.v[2].e.has == VG_HS_HAS_PDQ && a.v[2].e.pdq.b[31] == 0x01 && a.v[2].e.pdq.b[30] == 0x0a);
    }
    /* CSV with categories through a scheme, labels, names; and back */
    static const char csv[] = "name,pdq,quality,category,labels\n"
                              "a.jpg,f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22,90,CAT-1,x;y\n"
                              "\"b, c.jpg\",30a10efd71cc3d429013d48d0ffffc52e34e0e17ada952a9d29685211ea9e5af,,,\n";
    src = hs_tmpfile("cat.csv", csv, sizeof csv - 1);
    snprintf(copy, sizeof copy, "%s", src);
    const vg_hs_scheme *dhs = vg_hs_scheme_builtin("dhs");
    round_trip(copy, VG_HS_FMT_AUTO, dhs, &o, "rt2.pdq.csv", VG_HS_FMT_PDQ, &a, &b);
    check_same("pdq csv", &a, &b);
    if (a.n == 2) {
        CHECK_STREQ(a.v[0].category, "CAT-1");
        CHECK_STREQ(a.v[0].labels, "x|y");
        CHECK_STREQ(a.v[1].name, "b, c.jpg");
        CHECK_STREQ(a.v[1].category, "none");
    }
    /* PDQ through VICS (AlternativeHashes "PDQ" with Quality) */
    vg_hs_write_opts v = {.format = VG_HS_FMT_VICS, .scheme = dhs};
    round_trip(copy, VG_HS_FMT_AUTO, dhs, &v, "pdq.json", VG_HS_FMT_VICS, &a, &b);
    check_same("pdq via vics", &a, &b);
    (void)err;
    hs_free(&a);
    hs_free(&b);
}

static const char uk_scheme[] =
    "# UK grading with the numbers one force's exports use (illustrative)\n"
    "name = uk-local\n"
    "none = Not yet graded\n"
    "A = Category A\n"
    "A.vics = 1\n"
    "A.alias = Cat A\n"
    "B = Category B\n"
    "B.vics = 2\n"
    "C = Category C\n";

static void test_schemes(void)
{
    const vg_hs_scheme *us = vg_hs_scheme_builtin("projectvic-us");
    const vg_hs_scheme *dhs = vg_hs_scheme_builtin("DHS");
    const char *code, *label;
    CHECK(us && dhs && vg_hs_scheme_builtin("nope") == NULL);
    CHECK(vg_hs_scheme_map(us, "0", &code, &label) == VG_OK && strcmp(label, "Non-Pertinent") == 0);
    CHECK(vg_hs_scheme_map(us, "cam", &code, &label) == VG_OK && strcmp(code, "1") == 0);
    CHECK(vg_hs_scheme_map(us, "Child Exploitive (non-CAM) / Age Difficult", &code, &label) ==
              VG_OK && strcmp(code, "2") == 0);
    CHECK(vg_hs_scheme_map(us, "9", &code, &label) == VG_ERR_NOTFOUND);
    CHECK(vg_hs_scheme_map(us, NULL, &code, &label) == VG_OK && strcmp(code, "none") == 0);
    CHECK(vg_hs_scheme_map(dhs, "0", &code, &label) == VG_OK && strcmp(label, "Uncategorized") == 0);
    CHECK(vg_hs_scheme_map(dhs, "5", &code, &label) == VG_OK && strcmp(code, "CAT-5") == 0);
    CHECK_INTEQ(vg_hs_scheme_vics_number(dhs, "CAT-5"), 5);
    CHECK_INTEQ(vg_hs_scheme_vics_number(us, "none"), -1);
    CHECK_INTEQ(vg_hs_scheme_vics_number(vg_hs_scheme_builtin("uk"), "A"), -2);
    /* the categories listed in the scheme's order; "custom" has none */
    CHECK_INTEQ(vg_hs_scheme_count(us), 5);
    CHECK_STREQ(vg_hs_scheme_code(us, 0), "0");
    CHECK_STREQ(vg_hs_scheme_label(us, 4), "Comparison Images");
    CHECK(vg_hs_scheme_code(us, 5) == NULL && vg_hs_scheme_label(us, 5) == NULL);
    CHECK_INTEQ(vg_hs_scheme_count(dhs), 6);
    CHECK_STREQ(vg_hs_scheme_code(dhs, 5), "CAT-5");
    CHECK_INTEQ(vg_hs_scheme_count(vg_hs_scheme_builtin("custom")), 0);
    CHECK(vg_hs_scheme_code(vg_hs_scheme_builtin("custom"), 0) == NULL);

    vg_hs_scheme *uk = NULL;
    vg_error err;
    const char *path = hs_tmpfile("uk.scheme", uk_scheme, sizeof uk_scheme - 1);
    CHECK_MSG(vg_hs_scheme_load(path, &uk, &err) == VG_OK, "%s", err.msg);
    if (!uk)
        return;
    CHECK_STREQ(vg_hs_scheme_name(uk), "uk-local");
    CHECK_INTEQ(vg_hs_scheme_count(uk), 3); /* the file's codes, in its order */
    CHECK_STREQ(vg_hs_scheme_code(uk, 0), "A");
    CHECK_STREQ(vg_hs_scheme_code(uk, 2), "C");
    CHECK(vg_hs_scheme_map(uk, "cat a", &code, &label) == VG_OK && strcmp(code, "A") == 0);
    CHECK(vg_hs_scheme_map(uk, NULL, &code, &label) == VG_OK && strcmp(label, "Not yet graded") == 0);
    CHECK_INTEQ(vg_hs_scheme_vics_number(uk, "C"), -2);
    /* the UK fixture read through it, exported and read back */
    hs_list a = {0}, b = {0};
    vg_hs_write_opts o = {.format = VG_HS_FMT_VICS, .scheme = uk, .vics_context = "UK"};
    round_trip(test_data("hashset/vics-2.0-case-uk-context.json"), VG_HS_FMT_AUTO, uk, &o,
               "uk.json", VG_HS_FMT_VICS, &a, &b);
    check_same("uk scheme", &a, &b);
    CHECK(a.n == 2 && strcmp(a.v[0].category, "A") == 0 && strcmp(a.v[0].label, "Category A") == 0);
    /* a code without a VICS number cannot be exported to VICS */
    vg_hs_writer *w;
    vg_hs_entry e = {.has = VG_HS_HAS_MD5, .category = "C", .category_label = "Category C",
                     .pdq_quality = -1};
    CHECK(vg_hs_writer_open(path, &o, &w, &err) == VG_OK);
    CHECK(vg_hs_writer_add(w, &e, &err) == VG_ERR_UNSUPPORTED);
    vg_hs_writer_close(w, NULL, NULL, &err);
    vg_hs_scheme_free(uk);
    hs_free(&a);
    hs_free(&b);

    static const struct {
        const char *text, *msg;
        vg_status code;
    } bad[] = {{"A = x\n", "no \"name", VG_ERR_SYNTAX},
               {"name = n\n\nA x\n", "s:3: expected KEY = VALUE", VG_ERR_SYNTAX},
               {"name = n\nA = x\nA = y\n", "s:3: code \"A\" defined twice", VG_ERR_EXISTS},
               {"name = n\nB.vics = 1\n", "s:2: code \"B\" used before", VG_ERR_SYNTAX},
               {"name = n\nA = x\nA.vics = -3\n", "s:3: A.vics needs", VG_ERR_SYNTAX},
               {"name = n\nA = x\nA.colour = red\n", "s:3: unknown attribute", VG_ERR_SYNTAX},
               {"name = n\nA B = x\n", "s:2: bad code", VG_ERR_SYNTAX}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        vg_hs_scheme *s = NULL;
        path = hs_tmpfile("s", bad[i].text, strlen(bad[i].text));
        vg_status rc = vg_hs_scheme_load(path, &s, &err);
        CHECK_MSG(rc == bad[i].code && s == NULL && strstr(err.msg, bad[i].msg), "%zu: %s", i,
                  err.msg);
    }
}

static void test_writer_args(void)
{
    vg_hs_writer *w = (vg_hs_writer *)1;
    vg_error err;
    vg_hs_write_opts o = {.format = VG_HS_FMT_PLAIN};
    CHECK(vg_hs_writer_open_file(stdout, &o, &w, &err) == VG_ERR_ARG && w == NULL);
    o.format = VG_HS_FMT_NSRL_RDS2;
    CHECK(vg_hs_writer_open_file(stdout, &o, &w, &err) == VG_ERR_UNSUPPORTED);
    o.format = VG_HS_FMT_VICS;
    CHECK(vg_hs_writer_open("/nonexistent-dir/x.json", &o, &w, &err) == VG_ERR_OPEN);
    /* an empty VICS export is still a valid document */
    char path[4400];
    snprintf(path, sizeof path, "%s/empty.json", test_tmpdir());
    CHECK(vg_hs_writer_open(path, &o, &w, &err) == VG_OK);
    CHECK(vg_hs_writer_close(w, NULL, NULL, &err) == VG_OK);
    CHECK(vg_hashset_read(path, VG_HS_FMT_AUTO, NULL, NULL, NULL, NULL, &err) == VG_ERR_EMPTY);
}

int main(void)
{
    test_vics_round_trips();
    test_list_round_trips();
    test_pdq_round_trips();
    test_schemes();
    test_writer_args();
    TEST_DONE();
}
