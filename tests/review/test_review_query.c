/* test_review_query.c - the review listing against a case built here:
 * section order, each filter, paging, counts, clusters, chains, and the
 * filter parser refusing hostile values. */
#include "case_build.h"
#include "vigil/store_query.h"

static const char *const order_codes[] = {"0", "1", "2", "3", "4"};
static const vg_scheme_order order = {order_codes, 5};
static int64_t ids[13];

/* The seqs listed, as "1,9,12" (seq found from ids). */
typedef struct seen {
    char seqs[256];
    char detail[512];
} seen;

static int seq_of(int64_t id)
{
    for (int k = 1; k <= 12; k++)
        if (ids[k] == id)
            return k;
    return -1;
}

static int list_cb(const vg_list_item *it, void *ctx)
{
    seen *v = ctx;
    size_t n = strlen(v->seqs);
    snprintf(v->seqs + n, sizeof v->seqs - n, "%s%d", n ? "," : "", seq_of(it->id));
    if (seq_of(it->id) == 4)
        snprintf(v->detail, sizeof v->detail, "%s %s %s %d %s", vg_section_name(it->section),
                 it->match ? it->match->set : "-", it->match ? it->match->kind : "-",
                 it->match ? it->match->distance : -1, it->match ? it->match->category : "-");
    if (seq_of(it->id) == 2)
        snprintf(v->detail, sizeof v->detail, "%s cl=%llu size=%llu rep=%d thumb=%d",
                 vg_section_name(it->section), (unsigned long long)it->cluster,
                 (unsigned long long)it->cluster_size, it->rep, it->has_thumb);
    if (seq_of(it->id) == 1)
        snprintf(v->detail, sizeof v->detail, "%s %s %ux%u cat=%s thumb=%d %s",
                 vg_section_name(it->section), it->name, it->width, it->height,
                 it->category ? it->category : "-", it->has_thumb, it->file_type);
    return 0;
}

/* Lists with the parameters "k=v&k=v" (no decoding); checks seqs and total. */
static void expect(vg_store *s, const char *params, const char *want, uint64_t want_total)
{
    vg_item_filter f;
    vg_error err;
    seen v;
    uint64_t total = 999;
    char buf[512], *save = NULL;

    vg_item_filter_init(&f);
    snprintf(buf, sizeof buf, "%s", params);
    for (char *kv = strtok_r(buf, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(kv, '=');
        if (eq)
            *eq++ = '\0';
        CHECK_MSG(vg_item_filter_set(&f, kv, eq, &err) == VG_OK, "%s: %s", params, err.msg);
    }
    memset(&v, 0, sizeof v);
    CHECK_INTEQ(vg_store_query_items(s, &f, &order, list_cb, &v, &total, &err), VG_OK);
    CHECK_MSG(strcmp(v.seqs, want) == 0, "%s: listed %s, want %s", params, v.seqs, want);
    CHECK_MSG(total == want_total, "%s: total %llu, want %llu", params,
              (unsigned long long)total, (unsigned long long)want_total);
}

static void detail(vg_store *s, const char *params, const char *want)
{
    vg_item_filter f;
    vg_error err;
    seen v;
    char buf[256], *eq;

    vg_item_filter_init(&f);
    snprintf(buf, sizeof buf, "%s", params);
    if ((eq = strchr(buf, '=')) != NULL) {
        *eq++ = '\0';
        CHECK(vg_item_filter_set(&f, buf, eq, &err) == VG_OK);
    }
    memset(&v, 0, sizeof v);
    CHECK_INTEQ(vg_store_query_items(s, &f, &order, list_cb, &v, NULL, &err), VG_OK);
    CHECK_MSG(strcmp(v.detail, want) == 0, "%s: '%s', want '%s'", params, v.detail, want);
}

static void listing(vg_store *s)
{
    /* the grid: new (1, 9, 12), the cluster's representative (2), known by
     * scheme order: 5 (category 0) before 4 (category 1) */
    expect(s, "", "1,9,12,2,5,4", 6);
    expect(s, "section=new", "1,9,12", 3);
    expect(s, "section=cluster", "2", 1);
    expect(s, "section=known", "5,4", 2);
    expect(s, "section=other", "6,7,10,11", 4);
    expect(s, "section=all", "1,9,12,2,5,4,6,7,10,11", 10);
    expect(s, "cluster=1", "2,3", 2);
    expect(s, "cluster=1&section=new", "2,3", 2);
    expect(s, "cluster=7", "", 0);
    expect(s, "set=demo", "4", 1);
    expect(s, "set=demo2", "4", 1);
    expect(s, "set=demo&match_category=2", "", 0); /* both on the same match */
    expect(s, "match_category=0", "5", 1);
    expect(s, "category=1", "1", 1);
    /* a filter on the item's own facts lists a cluster's qualifying members
     * too, not its representative alone (3 is a member of cluster 1) */
    expect(s, "category=none", "9,12,2,3,5,4", 6);
    expect(s, "steg=payload", "9", 1);
    expect(s, "steg=clean", "2", 1);
    expect(s, "flag=deleted", "9", 1);
    expect(s, "flag=carved", "", 0);
    expect(s, "type=png", "12,2,3", 3);
    expect(s, "type=png&section=cluster", "2,3", 2);
    expect(s, "section=cluster", "2", 1);
    expect(s, "type=zip", "", 0);
    expect(s, "type=zip&section=all", "10,11", 2);
    expect(s, "errors=1", "7", 1);
    expect(s, "q=GARDEN", "12", 1);
    expect(s, "q=.zip", "12,10,11", 3); /* q brings "other" in */
    expect(s, "q=deleted", "9", 1);
    expect(s, "limit=2&offset=1", "9,12", 6);
    expect(s, "limit=1&offset=5", "4", 6);
    expect(s, "offset=6", "", 6);
    expect(s, "offset=1000000000000", "", 6);
    expect(s, "set=&category=&q=&steg=&flag=&type=&errors=0", "1,9,12,2,5,4", 6);

    /* the best match: category 1 ranks before 2 in the scheme */
    detail(s, "set=demo", "known demo pdq 6 1");
    detail(s, "section=cluster", "cluster cl=1 size=2 rep=1 thumb=1");
    detail(s, "section=new", "new a.jpg 640x480 cat=1 thumb=1 jpeg");
}

static void refusals(void)
{
    static const char *const bad[][2] = {
        {"offset", "-1"}, {"offset", "1.5"}, {"offset", "1e3"}, {"offset", ""},
        {"offset", " 1"}, {"offset", "1000000000001"}, {"offset", "99999999999999999999999"},
        {"limit", "0"}, {"limit", "1001"}, {"limit", "abc"}, {"limit", "+5"},
        {"limit", "18446744073709551617"}, {"cluster", "0"}, {"cluster", "-3"},
        {"cluster", "9223372036854775808"}, {"section", "grid"}, {"section", "NEW"},
        {"steg", "dirty"}, {"flag", "hidden"}, {"errors", "yes"}, {"type", "JPEG"},
        {"type", "a'b"}, {"type", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}, {"sort", "1"},
        {"", "1"},
    };
    vg_item_filter f;
    vg_error err;
    char big[VG_FILTER_TEXT_MAX + 2];

    vg_item_filter_init(&f);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_MSG(vg_item_filter_set(&f, bad[i][0], bad[i][1], &err) == VG_ERR_ARG, "%s=%s",
                  bad[i][0], bad[i][1]);
    CHECK_INTEQ(vg_item_filter_set(&f, NULL, "1", &err), VG_ERR_ARG);
    /* the filter kept its defaults through every refusal */
    CHECK_INTEQ(f.offset, 0);
    CHECK_INTEQ(f.limit, VG_FILTER_LIMIT_DEFAULT);
    CHECK_INTEQ(f.section, VG_SEC_GRID);
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    CHECK_INTEQ(vg_item_filter_set(&f, "q", big, &err), VG_ERR_ARG);
    big[sizeof big - 2] = '\0';
    CHECK_INTEQ(vg_item_filter_set(&f, "q", big, &err), VG_OK);
    CHECK_INTEQ(vg_item_filter_set(&f, "limit", "1000", &err), VG_OK);
    CHECK_INTEQ(f.limit, 1000);
    CHECK_INTEQ(vg_item_filter_set(&f, "cluster", "9223372036854775807", &err), VG_OK);
    CHECK_INTEQ(vg_item_filter_set(&f, "errors", NULL, &err), VG_OK);
}

static void distinct_cb(const char *v, void *ctx)
{
    size_t n = strlen(ctx);
    snprintf((char *)ctx + n, 256 - n, "%s%s", n ? "," : "", v);
}

static int member_cb(int64_t id, const char *path, void *ctx)
{
    size_t n = strlen(ctx);
    snprintf((char *)ctx + n, 256 - n, "%s%d:%s", n ? "," : "", seq_of(id), path);
    return 0;
}

static void chain_cb(const char *name, uint64_t seq, void *ctx)
{
    size_t n = strlen(ctx);
    snprintf((char *)ctx + n, 256 - n, "%s%s@%llu", n ? ">" : "", name, (unsigned long long)seq);
}

static void helpers(vg_store *s)
{
    vg_review_counts c;
    vg_error err;
    char buf[256];
    uint64_t total;
    int64_t *cids;
    size_t n;

    CHECK_INTEQ(vg_store_review_counts(s, &c, &err), VG_OK);
    CHECK_INTEQ(c.new_items, 3);
    CHECK_INTEQ(c.clusters, 1);
    CHECK_INTEQ(c.known, 2);
    CHECK_INTEQ(c.other, 4);
    CHECK_INTEQ(c.errors, 1);
    CHECK_INTEQ(c.categorised, 1);
    CHECK_INTEQ(c.items, 11); /* the directory is no file */

    buf[0] = '\0';
    CHECK_INTEQ(vg_store_distinct(s, "sets", distinct_cb, buf, &err), VG_OK);
    CHECK_STREQ(buf, "demo,demo2,other");
    buf[0] = '\0';
    CHECK_INTEQ(vg_store_distinct(s, "types", distinct_cb, buf, &err), VG_OK);
    CHECK_STREQ(buf, "jpeg,png,unknown,zip");
    CHECK_INTEQ(vg_store_distinct(s, "paths", distinct_cb, buf, &err), VG_ERR_ARG);

    buf[0] = '\0';
    CHECK_INTEQ(vg_store_cluster_members(s, 1, 10, member_cb, buf, &total, &err), VG_OK);
    CHECK_STREQ(buf, "2:ev/b.png,3:ev/c.png");
    CHECK_INTEQ(total, 2);
    buf[0] = '\0';
    CHECK_INTEQ(vg_store_cluster_members(s, 1, 1, member_cb, buf, &total, &err), VG_OK);
    CHECK_STREQ(buf, "2:ev/b.png");
    CHECK_INTEQ(total, 2);
    CHECK_INTEQ(vg_store_cluster_ids(s, 1, &cids, &n, &err), VG_OK);
    CHECK_INTEQ(n, 2);
    CHECK(n == 2 && cids[0] == ids[2] && cids[1] == ids[3]);
    free(cids);
    CHECK_INTEQ(vg_store_cluster_ids(s, 5, &cids, &n, &err), VG_OK);
    CHECK_INTEQ(n, 0);
    free(cids);

    buf[0] = '\0';
    CHECK_INTEQ(vg_store_item_chain(s, ids[12], chain_cb, buf, &err), VG_OK);
    CHECK_STREQ(buf, "backup.zip@10>inner.zip@11>garden.png@12");
    buf[0] = '\0';
    CHECK_INTEQ(vg_store_item_chain(s, ids[1], chain_cb, buf, &err), VG_OK);
    CHECK_STREQ(buf, "a.jpg@1");
    CHECK_INTEQ(vg_store_item_chain(s, 999999, chain_cb, buf, &err), VG_ERR_NOTFOUND);
}

int main(void)
{
    static const uint8_t thumb[] = {0xff, 0xd8, 0xff, 0xd9};
    char path[4200];
    vg_store *s;
    vg_error err;

    snprintf(path, sizeof path, "%s/query.case", test_tmpdir());
    s = tc_build(path, thumb, sizeof thumb);
    if (!s)
        TEST_DONE();
    tc_ids(s, ids);
    CHECK_INTEQ(vg_store_review_set(s, &ids[1], 1, "1", "projectvic-us", "ana", &err), VG_OK);
    listing(s);
    refusals();
    helpers(s);
    vg_store_close(s);
    TEST_DONE();
}
