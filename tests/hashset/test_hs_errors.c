/* test_hs_errors.c - malformed and awkward inputs: every error names its line;
 * CRLF, BOM, string booleans, date styles and limits. */
#include "testutil.h"
#include "hs_collect.h"

static unsigned char *slurp0(const char *rel, size_t *len)
{
    unsigned char *d = test_slurp(test_data(rel), len);
    unsigned char *z = d ? calloc(1, *len + 1) : NULL;
    if (z)
        memcpy(z, d, *len);
    free(d);
    return z;
}

/* Reads text through a temp file named name; returns status, entries in l. */
static vg_status read_text(const char *name, const char *text, size_t len, vg_hs_format fmt,
                           const vg_hs_scheme *s, hs_list *l, vg_hs_stats *st, vg_error *err)
{
    hs_free(l);
    const char *path = hs_tmpfile(name, text, len);
    return vg_hashset_read(path, fmt, s, hs_collect, l, st, err);
}

#define EXPECT_ERR(rc_, err_, code_, where_)                                                  \
    do {                                                                                    \
        CHECK_MSG((rc_) == (code_), "%s: got %s", where_, vg_status_name(rc_));              \
        CHECK_MSG(strstr((err_).msg, where_) != NULL, "'%s' lacks '%s'", (err_).msg, where_); \
    } while (0)

/* Replaces the first occurrence of from by to in a copy of text. */
static char *edit(const char *text, const char *from, const char *to)
{
    const char *p = strstr(text, from);
    if (!p)
        return NULL;
    size_t a = (size_t)(p - text), fl = strlen(from), tl = strlen(to), n = strlen(text);
    char *out = malloc(n - fl + tl + 1);
    memcpy(out, text, a);
    memcpy(out + a, to, tl);
    memcpy(out + a + tl, p + fl, n - a - fl + 1);
    return out;
}

static void test_truncated(void)
{
    size_t len;
    char *doc = (char *)slurp0("hashset/vics-2.0-hashset-media.json", &len);
    hs_list l = {0};
    vg_hs_stats st;
    vg_error err;
    int bad = 0;
    for (size_t cut = 1; doc && cut + 2 <= len; cut++) {
        size_t lines = 1;
        for (size_t i = 0; i < cut; i++)
            lines += doc[i] == '\n';
        vg_status rc = vg_hashset_read_mem(doc, cut, "cut.json", VG_HS_FMT_VICS, NULL, NULL,
                                           NULL, &st, &err);
        char where[64];
        snprintf(where, sizeof where, "cut.json:%zu:", lines);
        if (rc != VG_ERR_TRUNCATED || !strstr(err.msg, where)) {
            if (bad++ < 5)
                CHECK_MSG(0, "cut at %zu: %s (%s), want %s", cut, vg_status_name(rc), err.msg,
                          where);
        }
    }
    CHECK_INTEQ(bad, 0);
    free(doc);
    hs_free(&l);
}

static void test_bad_hashes(void)
{
    size_t len;
    char *media = (char *)slurp0("hashset/vics-2.0-hashset-media.json", &len);
    char *us = (char *)slurp0("hashset/vics-2.0-case-us.json", &len);
    hs_list l = {0};
    vg_hs_stats st;
    vg_error err;
    vg_status rc;
    char *t = edit(media, "50829C3E395D2DBC0CD6D60EA387E4B9", "50829C3E395D2DBC0CD6D60EA387E4BG");
    rc = read_text("bad-hex.json", t, strlen(t), VG_HS_FMT_AUTO, NULL, &l, &st, &err);
    EXPECT_ERR(rc, err, VG_ERR_SYNTAX, "bad-hex.json:7: MD5 has a non-hex character at digit 32");
    free(t);
    t = edit(us, "468ACF7D463F98CE8E4B30014CC67CBA", "468ACF7D463F98CE8E4B30014CC67CB");
    rc = read_text("case-us-31.json", t, strlen(t), VG_HS_FMT_AUTO, NULL, &l, &st, &err);
    EXPECT_ERR(rc, err, VG_ERR_SYNTAX, "case-us-31.json:19: MD5 has 31 hex digits");
    CHECK_INTEQ(l.n, 0); /* nothing before the bad record in that file */
    free(t);
    t = edit(us, "\"HashValue\": \"5596EA88", "\"HashValue\": \"5596EA8");
    rc = read_text("alt-short.json", t, strlen(t), VG_HS_FMT_AUTO, NULL, &l, &st, &err);
    EXPECT_ERR(rc, err, VG_ERR_SYNTAX, "alt-short.json:35: AlternativeHashes SHA256 has 63 hex");
    free(t);
    t = edit(media, "\"Category\": 3", "\"Category\": 7");
    rc = read_text("cat7.json", t, strlen(t), VG_HS_FMT_AUTO, NULL, &l, &st, &err);
    EXPECT_ERR(rc, err, VG_ERR_NOTFOUND, "cat7.json:36: category \"7\" is not in scheme projectvic-us");
    CHECK_INTEQ(l.n, 3); /* the caller rolls these back */
    free(t);
    t = edit(media, "\"MD5\": \"adcbeebd49badf70dc4ec99fdff58f10\",", "");
    rc = read_text("nohash.json", t, strlen(t), VG_HS_FMT_AUTO, NULL, &l, &st, &err);
    EXPECT_ERR(rc, err, VG_ERR_SYNTAX, "nohash.json:42: Media has no MD5");
    free(t);
    t = edit(media, "\"MD5\": \"adcbeebd49badf70dc4ec99fdff58f10\"", "\"MD5\": 5");
    rc = read_text("md5num.json", t, strlen(t), VG_HS_FMT_AUTO, NULL, &l, &st, &err);
    EXPECT_ERR(rc, err, VG_ERR_SYNTAX, "md5num.json:45: MD5 is not a string");
    free(t);
    free(media);
    free(us);
    hs_free(&l);
}

static void test_line_errors(void)
{
    hs_list l = {0};
    vg_hs_stats st;
    vg_error err;
    vg_status rc;
    static const char sums[] = "50829c3e395d2dbc0cd6d60ea387e4b9  t1.bin\n\n"
                               "a07ab30f73bdf292bd95b3c671879630d8be53e8  t1.bin\n";
    rc = read_text("mixed.md5", sums, sizeof sums - 1, VG_HS_FMT_MD5SUM, NULL, &l, &st, &err);
    EXPECT_ERR(rc, err, VG_ERR_SYNTAX, "mixed.md5:3: MD5 has 40 hex digits");
    static const char sha1[] = "a07ab30f73bdf292bd95b3c671879630d8be53e8  a\n"
                               "a07ab30f73bdf292bd95b3c671879630d8be53e  b\n";
    rc = read_text("short.sha1", sha1, sizeof sha1 - 1, VG_HS_FMT_AUTO, NULL, &l, &st, &err);
    EXPECT_ERR(rc, err, VG_ERR_SYNTAX, "short.sha1:2: SHA1 has 39 hex digits");
    static const char plain[] = "50829c3e395d2dbc0cd6d60ea387e4b9\r\n468acf7d463f98ce8e4b30014cc67cba\r\n"
                                "5191b69cbbfdce058508f971ce5130721\r\n";
    rc = read_text("p.txt", plain, sizeof plain - 1, VG_HS_FMT_AUTO, NULL, &l, &st, &err);
    EXPECT_ERR(rc, err, VG_ERR_SYNTAX, "p.txt:3: hash has 33 hex digits");
    static const char nsrl[] = "\"SHA-1\",\"MD5\",\"CRC32\",\"FileName\",\"FileSize\",\"ProductCode\","
                               "\"OpSystemCode\",\"SpecialCode\"\r\n"
                               "\"A07AB30F73BDF292BD95B3C671879630D8BE53E8\",\"50829C3E395D2DBC0CD6D60EA387E4B9\","
                               "\"6F6D6707\",\"t1.bin\",32,1,\"189\",\"\"\r\n"
                               "\"A07AB30F73BDF292BD95B3C671879630D8BE53E8\",\"50829C3E395D2DBC0CD6D60EA387E4B9\","
                               "\"6F6D6707\",\"t1.bin\",32,1,\"189\"\r\n"
                               "\"A07AB30F73BDF292BD95B3C671879630D8BE53E8\",\"50829C3E395D2DBC0CD6D60EA387E4B9\","
                               "\"6F6D6707\",\"t1.bin,32,1,\"189\",\"\"\r\n";
    rc = read_text("n.txt", nsrl, sizeof nsrl - 1, VG_HS_FMT_AUTO, NULL, &l, &st, &err);
    EXPECT_ERR(rc, err, VG_ERR_SYNTAX, "n.txt:3: 7 fields, the header has 8");
    static const char hd[] = "32,50829c3e395d2dbc0cd6d60ea387e4b9,t1.bin\n";
    rc = read_text("h.txt", hd, sizeof hd - 1, VG_HS_FMT_HASHDEEP, NULL, &l, &st, &err);
    EXPECT_ERR(rc, err, VG_ERR_SYNTAX, "h.txt:1: data before");
    static const char nul[] = "50829c3e395d2dbc0cd6d60ea387e4b9  t1\0.bin\n";
    rc = read_text("nul.md5", nul, sizeof nul - 1, VG_HS_FMT_MD5SUM, NULL, &l, &st, &err);
    EXPECT_ERR(rc, err, VG_ERR_SYNTAX, "nul.md5:1: NUL byte");
    static const char pdq[] = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22,101\n";
    rc = read_text("q.pdq", pdq, sizeof pdq - 1, VG_HS_FMT_PDQ, NULL, &l, &st, &err);
    EXPECT_ERR(rc, err, VG_ERR_SYNTAX, "q.pdq:1: quality \"101\"");
    rc = read_text("empty.txt", "", 0, VG_HS_FMT_AUTO, NULL, &l, &st, &err);
    CHECK(rc == VG_ERR_EMPTY);
    rc = read_text("empty.json", "{\"value\": []}", 13, VG_HS_FMT_VICS, NULL, &l, &st, &err);
    CHECK(rc == VG_ERR_EMPTY);
    rc = read_text("junk.json", "{\"value\": []} x", 15, VG_HS_FMT_VICS, NULL, &l, &st, &err);
    EXPECT_ERR(rc, err, VG_ERR_SYNTAX, "junk.json:1:15: data after");
    hs_free(&l);
}

static void test_limits(void)
{
    hs_list l = {0};
    vg_hs_stats st;
    vg_error err;
    vg_status rc;
    size_t depth = 200, n = 0;
    char *deep = malloc(2 * depth + 64);
    n += (size_t)sprintf(deep, "{\"value\":[{\"MD5\":");
    for (size_t i = 0; i < depth; i++)
        deep[n++] = '[';
    for (size_t i = 0; i < depth; i++)
        deep[n++] = ']';
    n += (size_t)sprintf(deep + n, "}]}");
    rc = read_text("deep.json", deep, n, VG_HS_FMT_VICS, NULL, &l, &st, &err);
    EXPECT_ERR(rc, err, VG_ERR_LIMIT, "nesting deeper than 64");
    /* the same depth in a member vigil skips is refused as well */
    memcpy(deep + 2, "other", 5);
    rc = read_text("deep2.json", deep, n, VG_HS_FMT_VICS, NULL, &l, &st, &err);
    CHECK(rc == VG_ERR_LIMIT);
    free(deep);

    size_t big = VG_HS_MAX_MEDIA + 100;
    char *huge = malloc(big + 128);
    n = (size_t)sprintf(huge, "{\"value\":[{\"MD5\":\"50829c3e395d2dbc0cd6d60ea387e4b9\",\"X\":\"");
    memset(huge + n, 'a', big);
    n += big;
    n += (size_t)sprintf(huge + n, "\"}]}");
    rc = read_text("huge.json", huge, n, VG_HS_FMT_VICS, NULL, &l, &st, &err);
    EXPECT_ERR(rc, err, VG_ERR_LIMIT, "huge.json:1:");
    n = 0;
    memset(huge, 'a', VG_HS_MAX_LINE + 10);
    huge[VG_HS_MAX_LINE + 10] = '\n';
    rc = read_text("long.txt", huge, VG_HS_MAX_LINE + 11, VG_HS_FMT_PLAIN, NULL, &l, &st, &err);
    EXPECT_ERR(rc, err, VG_ERR_LIMIT, "long.txt:1: line longer");
    free(huge);
    hs_free(&l);
}

static int count_cb(void *ctx, const vg_hs_entry *e)
{
    (void)e;
    ++*(size_t *)ctx;
    return 0;
}

/* The 16 MiB limit is per Media: a larger document streams through. */
static void test_large_document(void)
{
    const size_t media = 110000;
    char path[4400];
    snprintf(path, sizeof path, "%s/large.json", test_tmpdir());
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs("{\"value\": [\n", f);
    for (size_t i = 0; i < media; i++)
        fprintf(f, "%s{\"MediaID\": %zu, \"Category\": %zu, \"MD5\": \"%032zx\", "
                   "\"Comments\": \"padding padding padding padding padding padding padding\","
                   " \"DateUpdated\": \"2024-01-15T10:00:00Z\"}", i ? ",\n" : "", i + 1, i % 5, i);
    fputs("\n]}\n", f);
    long size = ftell(f);
    fclose(f);
    CHECK(size > (long)VG_HS_MAX_MEDIA);
    size_t n = 0;
    vg_hs_stats st;
    vg_error err;
    CHECK_MSG(vg_hashset_read(path, VG_HS_FMT_AUTO, NULL, count_cb, &n, &st, &err) == VG_OK, "%s",
              err.msg);
    CHECK_INTEQ(n, media);
    CHECK_INTEQ(st.records, media);
}

/* Same entries (hash bytes and names) from a CRLF / BOM copy of each fixture. */
static void test_crlf_bom(void)
{
    static const char *const files[] = {
        "vics-2.0-hashset-media.json", "vics-2.0-case-us.json", "vics-2.0-case-uk-context.json",
        "vics-1.3-case.json", "md5sum.txt", "sha1sum.txt", "md5-bsd.txt", "plain-md5-list.txt",
        "hashdeep.txt", "nsrl-rds2-NSRLFile.txt", "hashkeeper.hsh"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char rel[128];
        size_t len;
        snprintf(rel, sizeof rel, "hashset/%s", files[i]);
        char *text = (char *)slurp0(rel, &len);
        hs_list a = {0}, b = {0}, c = {0};
        vg_hs_stats st;
        vg_error err;
        CHECK(vg_hashset_read_mem(text, len, files[i], VG_HS_FMT_AUTO, NULL, hs_collect, &a, &st,
                                  &err) == VG_OK);
        /* flip line endings: LF -> CRLF, CRLF -> LF */
        char *flip = malloc(2 * len + 4);
        size_t n = 0;
        for (size_t k = 0; k < len; k++) {
            if (text[k] == '\r')
                continue;
            if (text[k] == '\n' && !strchr(text, '\r'))
                flip[n++] = '\r';
            flip[n++] = text[k];
        }
        CHECK_MSG(vg_hashset_read_mem(flip, n, files[i], VG_HS_FMT_AUTO, NULL, hs_collect, &b, &st,
                                      &err) == VG_OK, "%s flipped: %s", files[i], err.msg);
        char *bom = malloc(len + 4);
        memcpy(bom, "\xEF\xBB\xBF", 3);
        memcpy(bom + 3, text, len);
        CHECK_MSG(vg_hashset_read_mem(bom, len + 3, files[i], VG_HS_FMT_AUTO, NULL, hs_collect, &c,
                                      &st, &err) == VG_OK, "%s BOM: %s", files[i], err.msg);
        CHECK_MSG(a.n > 0 && a.n == b.n && a.n == c.n, "%s: %zu %zu %zu", files[i], a.n, b.n, c.n);
        for (size_t k = 0; k < a.n && k < b.n && k < c.n; k++) {
            CHECK(memcmp(a.v[k].e.md5, b.v[k].e.md5, 16) == 0 && a.v[k].e.has == b.v[k].e.has);
            CHECK(memcmp(a.v[k].e.sha1, c.v[k].e.sha1, 20) == 0 && a.v[k].e.has == c.v[k].e.has);
            CHECK_STREQ(a.v[k].name, b.v[k].name);
            CHECK_STREQ(a.v[k].name, c.v[k].name);
        }
        free(text);
        free(flip);
        free(bom);
        hs_free(&a);
        hs_free(&b);
        hs_free(&c);
    }
}

static void test_vics_quirks(void)
{
    hs_list l = {0};
    vg_hs_stats st;
    vg_error err;
    static const char doc[] =
        "{\"value\": [\n"
        " {\"MD5\": \"50829c3e395d2dbc0cd6d60ea387e4b9\", \"DateUpdated\": \"/Date(1767225600000)/\",\n"
        "  \"VictimIdentified\": \"True\", \"IsDistributed\": \"false\", \"Tags\": \"a, b,,c\"},\n"
        " {\"MD5\": \"468acf7d463f98ce8e4b30014cc67cba\", \"DateUpdated\": \"1/2/2026 3:04:05 PM\",\n"
        "  \"FileName\": \"caf\\u00e9 \\ud83d\\ude00.jpg\", \"Category\": \"1\"},\n"
        " {\"MD5\": \"5191b69cbbfdce058508f971ce513072\", \"DateUpdated\": \"2026-01-02T03:04:05+02:00\",\n"
        "  \"AlternativeHashes\": [{\"HashName\": \"MD5\", \"HashValue\": \"fb59333865aa695b45e6fe1d3347bbbc\"},\n"
        "   {\"HashName\": \"PDQ\", \"HashValue\": \"f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22\", \"Quality\": 87},\n"
        "   {\"HashName\": \"SHA384\", \"HashValue\": \"zz\"}], \"Category\": 2},\n"
        " {\"MD5\": \"adcbeebd49badf70dc4ec99fdff58f10\", \"DateUpdated\": \"someday\", \"MediaSize\": \"32\"}\n"
        "], \"@odata.context\": \"http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/US/$metadata#Media\"}\n";
    CHECK(read_text("quirks.json", doc, sizeof doc - 1, VG_HS_FMT_AUTO, NULL, &l, &st, &err) ==
          VG_OK);
    CHECK_INTEQ(l.n, 5); /* 4 Media + the alternative MD5 */
    if (l.n == 5) {
        CHECK_STREQ(l.v[0].updated, "2026-01-01T00:00:00Z");
        CHECK_STREQ(l.v[0].labels, "VictimIdentified|a|b|c");
        CHECK_STREQ(l.v[1].updated, "2026-01-02T15:04:05Z");
        CHECK_STREQ(l.v[1].name, "caf\xc3\xa9 \xf0\x9f\x98\x80.jpg");
        CHECK_STREQ(l.v[1].category, "1");
        CHECK_STREQ(l.v[2].updated, "2026-01-02T01:04:05Z");
        CHECK(l.v[2].e.has & VG_HS_HAS_PDQ);
        CHECK_INTEQ(l.v[2].e.pdq_quality, 87);
        CHECK(l.v[3].e.has == VG_HS_HAS_MD5 && strcmp(l.v[3].category, "2") == 0);
        CHECK(hs_find(&l, "fb59333865aa695b45e6fe1d3347bbbc") == &l.v[3]);
        CHECK_STREQ(l.v[4].updated, "");
        CHECK(l.v[4].e.size == 32);
    }
    CHECK_INTEQ(st.warnings, 1); /* "someday" */
    CHECK_MSG(strstr(st.first_warning, "quirks.json:10:") != NULL, "%s", st.first_warning);
    CHECK_STREQ(st.scheme, "projectvic-us"); /* chosen before the late context: US anyway */
    /* a bare array of Media is read as the value array */
    static const char bare[] = "\xEF\xBB\xBF[{\"MD5\": \"50829c3e395d2dbc0cd6d60ea387e4b9\"},\r\n"
                               " {\"SHA1\": \"a07ab30f73bdf292bd95b3c671879630d8be53e8\"}]\r\n";
    CHECK(read_text("bare.json", bare, sizeof bare - 1, VG_HS_FMT_AUTO, NULL, &l, &st, &err) ==
          VG_OK);
    CHECK(l.n == 2 && l.v[1].e.has == VG_HS_HAS_SHA1 && l.v[1].e.record == 2);
    CHECK(read_text("bare2.json", "[]}", 3, VG_HS_FMT_AUTO, NULL, &l, &st, &err) == VG_ERR_SYNTAX);
    hs_free(&l);
}

int main(void)
{
    test_truncated();
    test_bad_hashes();
    test_line_errors();
    test_limits();
    test_large_document();
    test_crlf_bom();
    test_vics_quirks();
    TEST_DONE();
}
