/* test_hs_import.c - every shared fixture: counts, T1..T6, fields, categories,
 * format detection. */
#include <sqlite3.h>

#include "testutil.h"
#include "hs_collect.h"

/* MD5 and SHA1 of T1..T6 (shared/formats/README.md). */
static const char *const t_md5[6] = {
    "50829c3e395d2dbc0cd6d60ea387e4b9", "468acf7d463f98ce8e4b30014cc67cba",
    "5191b69cbbfdce058508f971ce513072", "fb59333865aa695b45e6fe1d3347bbbc",
    "adcbeebd49badf70dc4ec99fdff58f10", "b4f389a7af75887f198c3006c7fd6056"};
static const char *const t_sha1[6] = {
    "a07ab30f73bdf292bd95b3c671879630d8be53e8", "2d82785f2f34a16a6f62887138a52d74341f8b28",
    "0b15dabef8b3c62afe886e354b20792f09ddcee0", "485c32b4818857b48b3bb04678e294df9c511398",
    "a6955f23fd42de4ac961e32ce254fdd808784f44", "f2c3fcd34c11b00fded5e209fd9b241c77cb9c79"};

typedef struct fixture {
    const char *file;
    vg_hs_format fmt;
    size_t entries;
    unsigned tmask; /* bit i: T(i+1) present */
    int by_sha1;    /* the list holds SHA1 only */
} fixture;

static const fixture fixtures[] = {
    {"hashset/vics-2.0-hashset-media.json", VG_HS_FMT_VICS, 7, 0x1f, 0},
    {"hashset/vics-2.0-case-us.json", VG_HS_FMT_VICS, 3, 0x23, 0},
    {"hashset/vics-2.0-case-uk-context.json", VG_HS_FMT_VICS, 2, 0x0c, 0},
    {"hashset/vics-1.3-case.json", VG_HS_FMT_VICS, 1, 0x01, 0},
    {"hashset/nsrl-rds2-NSRLFile.txt", VG_HS_FMT_NSRL_RDS2, 3, 0x03, 0},
    {"hashset/hashkeeper.hsh", VG_HS_FMT_HASHKEEPER, 3, 0x03, 0},
    {"hashset/md5sum.txt", VG_HS_FMT_MD5SUM, 4, 0x07, 0},
    {"hashset/sha1sum.txt", VG_HS_FMT_SHA1SUM, 3, 0x03, 1},
    {"hashset/md5-bsd.txt", VG_HS_FMT_BSD, 2, 0x09, 0},
    {"hashset/plain-md5-list.txt", VG_HS_FMT_PLAIN, 4, 0x07, 0},
    {"hashset/plain-sha1-list.txt", VG_HS_FMT_PLAIN, 2, 0x03, 1},
    {"hashset/hashdeep.txt", VG_HS_FMT_HASHDEEP, 3, 0x07, 0},
};

static unsigned tmask(const hs_list *l, int by_sha1)
{
    unsigned m = 0;
    for (int i = 0; i < 6; i++)
        if (hs_find(l, by_sha1 ? t_sha1[i] : t_md5[i]))
            m |= 1u << i;
    return m;
}

static void check_fixture(const fixture *fx, vg_hs_format fmt)
{
    hs_list l = {0};
    vg_hs_stats st;
    vg_error err;
    vg_status rc = hs_load(fx->file, fmt, NULL, &l, &st, &err);
    CHECK_MSG(rc == VG_OK, "%s: %s", fx->file, err.msg);
    CHECK_MSG(l.n == fx->entries, "%s: %zu entries, want %zu", fx->file, l.n, fx->entries);
    CHECK_INTEQ(st.entries, fx->entries);
    CHECK_INTEQ(st.format, fx->fmt);
    CHECK_MSG(tmask(&l, fx->by_sha1) == fx->tmask, "%s: T mask %#x, want %#x", fx->file,
              tmask(&l, fx->by_sha1), fx->tmask);
    hs_free(&l);
}

static void test_fixtures(void)
{
    for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++) {
        check_fixture(&fixtures[i], fixtures[i].fmt);
        check_fixture(&fixtures[i], VG_HS_FMT_AUTO);
    }
}

static void test_vics_hashset(void)
{
    hs_list l = {0};
    vg_hs_stats st;
    vg_error err;
    CHECK(hs_load("hashset/vics-2.0-hashset-media.json", VG_HS_FMT_AUTO, NULL, &l, &st, &err) ==
          VG_OK);
    CHECK_STREQ(st.vics_version, "2.0");
    CHECK_STREQ(st.vics_context, "Default");
    CHECK_STREQ(st.vics_set, "Media");
    CHECK_STREQ(st.scheme, "projectvic-us");
    static const char *const cats[7] = {"0", "1", "2", "3", "4", "none", "none"};
    for (size_t i = 0; i < l.n && i < 7; i++)
        CHECK_STREQ(l.v[i].category, cats[i]);
    if (l.n == 7) {
        CHECK_STREQ(l.v[0].label, "Non-Pertinent");
        CHECK_STREQ(l.v[1].label, "Child Abuse Material - (CAM)");
        CHECK_STREQ(l.v[5].label, "Uncategorized");
        CHECK_INTEQ(l.v[0].e.record, 4);
        CHECK_INTEQ(l.v[6].e.record, 55);
        CHECK_STREQ(l.v[0].updated, "2023-06-07T02:31:49Z");
        CHECK_STREQ(l.v[0].labels, "IsPrecategorized");
        CHECK_STREQ(l.v[1].labels, "IsDistributed|IsPrecategorized|VictimIdentified|series:SYNTHETIC-SERIES-A");
        CHECK_INTEQ(strlen(l.v[1].photodna), 192);
        CHECK(l.v[1].e.has & VG_HS_HAS_PHOTODNA);
        CHECK_INTEQ(l.v[5].e.size, 12345);
        CHECK(l.v[4].e.has == (VG_HS_HAS_MD5 | VG_HS_HAS_SIZE));
        CHECK(l.v[0].e.pdq_quality == -1);
    }
    hs_free(&l);
}

static void test_vics_case_us(void)
{
    hs_list l = {0};
    vg_hs_stats st;
    vg_error err;
    CHECK(hs_load("hashset/vics-2.0-case-us.json", VG_HS_FMT_VICS, NULL, &l, &st, &err) == VG_OK);
    CHECK_STREQ(st.vics_context, "US");
    CHECK_STREQ(st.vics_set, "Cases");
    CHECK_INTEQ(st.skipped, 1); /* the case header */
    const hs_item *t2 = hs_find(&l, t_md5[1]);
    CHECK(t2 != NULL);
    if (t2) {
        CHECK(t2->e.has & VG_HS_HAS_SHA256); /* from AlternativeHashes */
        CHECK(hs_find(&l, "5596ea8823d30f6c00a4f5132f9c603b9fd9726b9b5e9e24e0fb20f90298e650") == t2);
        CHECK_STREQ(t2->category, "1");
        CHECK_STREQ(t2->name, "IMG_0002.JPG"); /* first MediaFiles entry */
        CHECK_STREQ(t2->updated, "2026-01-02T03:04:05Z");
        CHECK_STREQ(t2->labels, "#synthetic|IsDistributed|IsPrecategorized|VictimIdentified|"
                                "comment:benign fixture T2|series:SYNTHETIC-SERIES-A");
        CHECK_INTEQ(t2->e.record, 16);
        CHECK_INTEQ(t2->e.size, 32);
    }
    const hs_item *t6 = hs_find(&l, t_md5[5]);
    CHECK(t6 && strcmp(t6->category, "none") == 0 && strcmp(t6->name, "t6.bin") == 0);
    const hs_item *t1 = hs_find(&l, t_md5[0]);
    CHECK(t1 && strcmp(t1->category, "0") == 0 && strcmp(t1->label, "Non-Pertinent") == 0);
    hs_free(&l);
}

static void test_vics_uk_and_1x(void)
{
    hs_list l = {0};
    vg_hs_stats st;
    vg_error err;
    CHECK(hs_load("hashset/vics-2.0-case-uk-context.json", VG_HS_FMT_AUTO, NULL, &l, &st, &err) ==
          VG_OK);
    CHECK_STREQ(st.vics_context, "UK");
    CHECK_STREQ(st.scheme, "custom"); /* UK numbers are unverified: kept raw */
    if (l.n == 2) {
        CHECK_STREQ(l.v[0].category, "1");
        CHECK_STREQ(l.v[0].updated, "2026-01-02T02:04:05Z"); /* "+01:00Z" */
        CHECK_STREQ(l.v[0].labels, "IsDistributed|IsPrecategorized|VictimIdentified");
        CHECK_STREQ(l.v[0].name, "t3.bin");
        CHECK_STREQ(l.v[1].category, "none");
        CHECK_STREQ(l.v[1].labels, "IsSuspected");
    }
    /* the built-in UK scheme has no numbers, so Category 1 is refused, with its line */
    CHECK(hs_load("hashset/vics-2.0-case-uk-context.json", VG_HS_FMT_AUTO,
                  vg_hs_scheme_builtin("uk"), &l, &st, &err) == VG_ERR_NOTFOUND);
    CHECK_MSG(strstr(err.msg, "vics-2.0-case-uk-context.json:11:") != NULL, "%s", err.msg);

    CHECK(hs_load("hashset/vics-1.3-case.json", VG_HS_FMT_AUTO, NULL, &l, &st, &err) == VG_OK);
    CHECK_STREQ(st.vics_version, "1.3");
    CHECK_STREQ(st.scheme, "projectvic-us");
    if (l.n == 1) {
        CHECK_STREQ(l.v[0].name, "t1.bin");
        CHECK_STREQ(l.v[0].category, "0");
        CHECK(l.v[0].e.has == (VG_HS_HAS_MD5 | VG_HS_HAS_SHA1 | VG_HS_HAS_SIZE));
    }
    /* the old DHS scheme reads the same 0 as Uncategorized */
    CHECK(hs_load("hashset/vics-1.3-case.json", VG_HS_FMT_AUTO, vg_hs_scheme_builtin("dhs"), &l,
                  &st, &err) == VG_OK);
    CHECK(l.n == 1 && strcmp(l.v[0].category, "CAT-0") == 0 &&
          strcmp(l.v[0].label, "Uncategorized") == 0);
    hs_free(&l);
}

static void test_line_formats(void)
{
    hs_list l = {0};
    vg_hs_stats st;
    vg_error err;
    CHECK(hs_load("hashset/hashdeep.txt", VG_HS_FMT_AUTO, NULL, &l, &st, &err) == VG_OK);
    const hs_item *t3 = hs_find(&l, "1981ea7aeab2115e820d1d44b5e4e438555b3cf57e1faae4be27955609d24cd6");
    CHECK(t3 && t3->e.size == 32 && strcmp(t3->name, "t3.bin") == 0 && t3->e.record == 8);
    CHECK(hs_load("hashset/md5-bsd.txt", VG_HS_FMT_AUTO, NULL, &l, &st, &err) == VG_OK);
    CHECK(l.n == 2 && strcmp(l.v[1].name, "t4.bin") == 0);
    CHECK(hs_load("hashset/md5sum.txt", VG_HS_FMT_AUTO, NULL, &l, &st, &err) == VG_OK);
    CHECK(l.n == 4 && strcmp(l.v[3].name, "fake.bin") == 0 && strcmp(l.v[3].category, "none") == 0);
    CHECK(hs_load("hashset/plain-md5-list.txt", VG_HS_FMT_AUTO, NULL, &l, &st, &err) == VG_OK);
    CHECK_INTEQ(st.skipped, 1); /* the blank line */
    CHECK(l.n == 4 && l.v[3].e.record == 5);
    CHECK(hs_load("hashset/nsrl-rds2-NSRLFile.txt", VG_HS_FMT_AUTO, NULL, &l, &st, &err) == VG_OK);
    const hs_item *t1 = hs_find(&l, t_md5[0]);
    CHECK(t1 && (t1->e.has & VG_HS_HAS_SHA1) && strcmp(t1->name, "t1.bin") == 0 &&
          t1->e.size == 32 && t1->e.record == 4);
    CHECK(hs_load("hashset/hashkeeper.hsh", VG_HS_FMT_AUTO, NULL, &l, &st, &err) == VG_OK);
    CHECK(l.n == 3 && strcmp(l.v[2].name, "fake.bin") == 0 && l.v[2].e.size == 12345);
    hs_free(&l);
}

/* The RDSv3 database is built here from the shared SQL text. */
static const char *make_rds3(void)
{
    static char db_path[4096];
    size_t len;
    unsigned char *raw = test_slurp(test_data("hashset/nsrl-rdsv3-minimal.sql"), &len);
    char *sql = raw ? calloc(1, len + 1) : NULL; /* test_slurp does not add a NUL */
    if (sql)
        memcpy(sql, raw, len);
    free(raw);
    snprintf(db_path, sizeof db_path, "%s/rds3.db", test_tmpdir());
    remove(db_path);
    sqlite3 *db = NULL;
    int ok = sql && sqlite3_open(db_path, &db) == SQLITE_OK &&
             sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
    sqlite3_close(db);
    free(sql);
    return ok ? db_path : NULL;
}

static void test_rds3(void)
{
    hs_list l = {0};
    vg_hs_stats st;
    vg_error err;
    vg_hs_format f;
    const char *db = make_rds3();
    CHECK(db != NULL);
    if (!db)
        return;
    CHECK(vg_hs_detect(db, &f, &err) == VG_OK && f == VG_HS_FMT_NSRL_RDS3);
    CHECK(vg_hashset_read(db, VG_HS_FMT_AUTO, NULL, hs_collect, &l, &st, &err) == VG_OK);
    CHECK_INTEQ(l.n, 3);
    CHECK_INTEQ(tmask(&l, 0), 0x01);
    const hs_item *t1 = hs_find(&l, "4194de13a446f49d06bc8f7544e84b8e35aeab9fda3483733fe3c94ddfd543b0");
    CHECK(t1 && t1->e.has == (VG_HS_HAS_MD5 | VG_HS_HAS_SHA1 | VG_HS_HAS_SHA256 | VG_HS_HAS_SIZE));
    /* a SQLite file without FILE is refused */
    sqlite3 *h = NULL;
    const char *other = hs_tmpfile("other.db", "", 0);
    sqlite3_open(other, &h);
    sqlite3_exec(h, "CREATE TABLE t(x);", NULL, NULL, NULL);
    sqlite3_close(h);
    CHECK(vg_hashset_read(other, VG_HS_FMT_NSRL_RDS3, NULL, hs_collect, &l, &st, &err) == VG_ERR_DB);
    hs_free(&l);
}

static void test_detect(void)
{
    vg_hs_format f;
    vg_error err;
    CHECK(vg_hs_detect(test_data("hashset/griffeye-export-columns.csv"), &f, &err) == VG_ERR_FORMAT);
    CHECK(vg_hs_detect(test_data("hashset/hashkeeper.hke"), &f, &err) == VG_ERR_FORMAT);
    CHECK_MSG(strstr(err.msg, ".hsh") != NULL, "%s", err.msg);
    static const struct {
        const char *text;
        vg_hs_format f;
    } cases[] = {
        {"# comment\n\n50829c3e395d2dbc0cd6d60ea387e4b9\n", VG_HS_FMT_PLAIN},
        {"4194de13a446f49d06bc8f7544e84b8e35aeab9fda3483733fe3c94ddfd543b0 *x.bin\n",
         VG_HS_FMT_SHA256SUM},
        {"4194de13a446f49d06bc8f7544e84b8e35aeab9fda3483733fe3c94ddfd543b0,100,lab\n", VG_HS_FMT_PDQ},
        {"4194de13a446f49d06bc8f7544e84b8e35aeab9fda3483733fe3c94ddfd543b0 90\n", VG_HS_FMT_PDQ},
        {"pdq,quality,label\n", VG_HS_FMT_PDQ},
        {"SHA256 (a) = 4194de13a446f49d06bc8f7544e84b8e35aeab9fda3483733fe3c94ddfd543b0\n",
         VG_HS_FMT_BSD},
        {"\xEF\xBB\xBF  {\"value\": []}", VG_HS_FMT_VICS},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        f = VG_HS_FMT_AUTO;
        CHECK_MSG(vg_hs_detect_mem(cases[i].text, strlen(cases[i].text), &f, &err) == VG_OK &&
                      f == cases[i].f, "case %zu: got %s", i, vg_hs_format_name(f));
    }
    CHECK(vg_hs_detect_mem("hello\n", 6, &f, &err) == VG_ERR_FORMAT);
    CHECK(vg_hs_detect_mem("\n\n", 2, &f, &err) == VG_ERR_EMPTY);
}

static void test_names(void)
{
    vg_hs_format f;
    static const char *const names[] = {"vics", "nsrl", "nsrl3", "hashkeeper", "md5sum", "sha1sum",
                                        "sha256sum", "bsd", "hashdeep", "plain", "pdq"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        CHECK(vg_hs_format_from_name(names[i], &f) == VG_OK);
        CHECK_STREQ(vg_hs_format_name(f), names[i]);
    }
    CHECK(vg_hs_format_from_name("VICS", &f) == VG_OK && f == VG_HS_FMT_VICS);
    CHECK(vg_hs_format_from_name("rds3", &f) == VG_OK && f == VG_HS_FMT_NSRL_RDS3);
    CHECK(vg_hs_format_from_name("encase", &f) == VG_ERR_ARG);
    CHECK_STREQ(vg_hs_format_name((vg_hs_format)99), "?");
}

static int stop_at_two(void *ctx, const vg_hs_entry *e)
{
    int *n = ctx;
    (void)e;
    return ++*n == 2 ? VG_ERR_DB : 0;
}

static void test_callback_stop(void)
{
    int n = 0;
    vg_error err;
    vg_status rc = vg_hashset_read(test_data("hashset/md5sum.txt"), VG_HS_FMT_AUTO, NULL,
                                   stop_at_two, &n, NULL, &err);
    CHECK(rc == VG_ERR_DB && n == 2);
    CHECK_MSG(strstr(err.msg, "md5sum.txt:2:") != NULL, "%s", err.msg);
}

int main(void)
{
    test_fixtures();
    test_vics_hashset();
    test_vics_case_us();
    test_vics_uk_and_1x();
    test_line_formats();
    test_rds3();
    test_detect();
    test_names();
    test_callback_stop();
    TEST_DONE();
}
