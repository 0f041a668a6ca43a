/* fuzz_review_query.c - what the review server parses from a browser: query
 * parameters into a listing filter (then run against a small in-memory case,
 * so every accepted filter also makes valid SQL) and the categorisation
 * body. Input: "k=v&k=v...", then a newline, then the body. Never a crash,
 * a leak, an unbounded field or an error without a message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/review.h"
#include "vigil/store_query.h"

static vg_store *kase;

static void open_case(void)
{
    vg_evidence_rec ev;
    vg_item_rec r;
    vg_match_rec m = {"demo", "pdq", 4, "1", "CAM", NULL};
    int created;

    if (kase || vg_store_open(":memory:", 1, &kase, NULL) != VG_OK)
        return;
    vg_store_evidence_add(kase, "/ev", "{}", &ev, &created, NULL);
    memset(&r, 0, sizeof r);
    r.evidence_id = ev.id;
    r.path = "ev/a.jpg";
    r.name = "a.jpg";
    r.item_type = "file";
    r.file_type = "jpeg";
    r.width = r.height = 8;
    r.status = "ok";
    r.offset = -1;
    r.mtime = r.atime = r.ctime = r.crtime = INT64_MIN;
    r.thumb_distance = -1;
    for (uint64_t seq = 1; seq <= 3; seq++) {
        r.seq = seq;
        r.matches = seq == 2 ? &m : NULL;
        r.n_matches = seq == 2;
        vg_store_item_put(kase, &r, NULL);
    }
}

static int count_cb(const vg_list_item *it, void *ctx)
{
    (void)it;
    (*(unsigned *)ctx)++;
    return 0;
}

static void filter(char *qs)
{
    static const char *const codes[] = {"0", "1", "2"};
    vg_scheme_order order = {codes, 3};
    vg_item_filter f;
    vg_error err;
    char *save = NULL;
    unsigned n = 0;
    uint64_t total = 0;

    vg_item_filter_init(&f);
    for (char *kv = strtok_r(qs, "&", &save); kv; kv = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(kv, '=');
        if (eq)
            *eq++ = '\0';
        if (vg_item_filter_set(&f, kv, eq, &err) != VG_OK && !err.msg[0])
            abort();
    }
    if (f.limit < 1 || f.limit > VG_FILTER_LIMIT_MAX || f.offset > VG_FILTER_OFFSET_MAX ||
        strlen(f.q) > VG_FILTER_TEXT_MAX || strlen(f.type) >= sizeof f.type ||
        f.section < 0 || f.section > VG_SEC_ALL)
        abort();
    open_case();
    if (kase) {
        if (vg_store_query_items(kase, &f, &order, count_cb, &n, &total, &err) != VG_OK)
            abort(); /* every accepted filter is valid SQL */
        if (n > f.limit || n > total || total > 3)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1), *nl, code[32];
    vg_error err;
    int clear;

    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    nl = memchr(buf, '\n', size);
    if (nl) {
        size_t blen = size - (size_t)(nl + 1 - buf);
        vg_status st = vg_review_parse_category(nl + 1, blen, code, sizeof code, &clear, &err);
        if (st == VG_OK && !clear && (!code[0] || strlen(code) >= sizeof code))
            abort();
        if (st != VG_OK && !err.msg[0])
            abort();
        *nl = '\0';
    }
    filter(buf);
    free(buf);
    return 0;
}
