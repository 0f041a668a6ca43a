/* test_review_server.c - the review server over a loopback socket: the token
 * traded once for the session cookie, 403 without it or with a foreign Host,
 * the headers every answer carries, the JSON answers, blurred and clear
 * previews, categorising (persisted and audited, read back from the case)
 * and the refusals 400/404/405/413/415. */
#include <fcntl.h>
#include <jansson.h>

#include "case_build.h"
#include "http_client.h"
#include "vigil/review.h"
#include "vigil/thumb.h"

static uint16_t port;
static char cookie[128];
static int64_t ids[13];

/* GET path with the session; answer status must be want. */
static json_t *get_json(const char *path, int want)
{
    hreq q = {"GET", path, NULL, cookie, NULL, NULL, 0};
    hresp r;
    json_t *j = NULL;

    CHECK_MSG(hc_do(port, &q, &r) == 0, "GET %s", path);
    CHECK_MSG(r.status == want, "GET %s: %d, want %d: %s", path, r.status, want, r.body);
    j = json_loadb(r.body, r.blen, 0, NULL);
    CHECK_MSG(j != NULL, "GET %s: not JSON: %s", path, r.body);
    hc_free(&r);
    return j;
}

static json_t *post_json(const char *path, const char *body, int want)
{
    hreq q = {"POST", path, NULL, cookie, "application/json", body, strlen(body)};
    hresp r;
    json_t *j;

    CHECK(hc_do(port, &q, &r) == 0);
    CHECK_MSG(r.status == want, "POST %s %s: %d, want %d: %s", path, body, r.status, want, r.body);
    j = json_loadb(r.body, r.blen, 0, NULL);
    CHECK_MSG(j != NULL, "POST %s: not JSON: %s", path, r.body);
    hc_free(&r);
    return j;
}

static int status_of(const hreq *q)
{
    hresp r;
    int st = hc_do(port, q, &r) == 0 ? r.status : -1;
    hc_free(&r);
    return st;
}

static const char *jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "(none)";
}

static void auth(const char *token)
{
    char path[128], buf[256], cookie_bad[256];
    hreq q = {"GET", path, NULL, NULL, NULL, NULL, 0};
    hresp r;

    /* without the session: 403, JSON under /api/, a page elsewhere */
    q.path = "/api/case";
    CHECK(hc_do(port, &q, &r) == 0 && r.status == 403);
    CHECK(strstr(r.body, "{\"error\":") == r.body);
    hc_free(&r);
    q.path = "/";
    CHECK(hc_do(port, &q, &r) == 0 && r.status == 403);
    CHECK(hc_header(&r, "Content-Type", buf, sizeof buf) && strncmp(buf, "text/html", 9) == 0);
    CHECK(strstr(r.body, "link") != NULL);
    hc_free(&r);

    q.path = path;
    snprintf(path, sizeof path, "/?token=%032d", 0);
    CHECK_INTEQ(status_of(&q), 403);
    /* a foreign Host is refused before the token is looked at, and does not spend it */
    snprintf(path, sizeof path, "/?token=%s", token);
    q.host = "evil.example:80";
    CHECK_INTEQ(status_of(&q), 403);
    q.host = NULL;
    CHECK(hc_do(port, &q, &r) == 0);
    CHECK_INTEQ(r.status, 303);
    CHECK(hc_header(&r, "Location", buf, sizeof buf) && strcmp(buf, "/") == 0);
    CHECK(hc_header(&r, "Set-Cookie", buf, sizeof buf) != NULL);
    CHECK_MSG(strncmp(buf, "vigil_session=", 14) == 0 && strlen(buf) > 78 &&
                  strspn(buf + 14, "0123456789abcdef") == 64 &&
                  strcmp(buf + 78, "; HttpOnly; SameSite=Strict; Path=/") == 0,
              "Set-Cookie: %s", buf);
    snprintf(cookie, sizeof cookie, "theme=dark; %.78s", buf);
    hc_free(&r);
    /* spent */
    CHECK_INTEQ(status_of(&q), 403);

    /* a wrong or truncated session */
    snprintf(cookie_bad, sizeof cookie_bad, "%.77s", cookie);
    q.path = "/api/case";
    q.cookie = cookie_bad;
    CHECK_INTEQ(status_of(&q), 403);
    snprintf(cookie_bad, sizeof cookie_bad, "x%s", cookie + 12);
    CHECK_INTEQ(status_of(&q), 403);
    q.cookie = cookie;
    CHECK_INTEQ(status_of(&q), 200);
    snprintf(cookie_bad, sizeof cookie_bad, "vigil_session=%064d; %s", 0, cookie + 12);
    q.cookie = cookie_bad;
    CHECK_INTEQ(status_of(&q), 200); /* a stale session first does not hide the right one */
    q.cookie = cookie;

    /* Host must name this port on 127.0.0.1 or localhost */
    snprintf(buf, sizeof buf, "localhost:%u", (unsigned)port);
    q.host = buf;
    CHECK_INTEQ(status_of(&q), 200);
    q.host = "127.0.0.1";
    CHECK_INTEQ(status_of(&q), 403);
    snprintf(buf, sizeof buf, "127.0.0.1:%u", (unsigned)port + 1);
    q.host = buf;
    CHECK_INTEQ(status_of(&q), 403);
    snprintf(buf, sizeof buf, "attacker.example:%u", (unsigned)port);
    CHECK_INTEQ(status_of(&q), 403);
}

static void headers_and_assets(void)
{
    hreq q = {"GET", "/", NULL, cookie, NULL, NULL, 0};
    hresp r;
    char buf[256];

    CHECK(hc_do(port, &q, &r) == 0 && r.status == 200);
    CHECK(hc_header(&r, "Content-Type", buf, sizeof buf) &&
          strcmp(buf, "text/html; charset=utf-8") == 0);
    CHECK(r.blen > 0 && strstr(r.body, "<html") != NULL);
    CHECK(hc_header(&r, "Cache-Control", buf, sizeof buf) && strcmp(buf, "no-store") == 0);
    CHECK(hc_header(&r, "X-Content-Type-Options", buf, sizeof buf) && strcmp(buf, "nosniff") == 0);
    CHECK(hc_header(&r, "Referrer-Policy", buf, sizeof buf) && strcmp(buf, "no-referrer") == 0);
    CHECK(hc_header(&r, "Content-Security-Policy", buf, sizeof buf) &&
          strcmp(buf, "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
                      "frame-ancestors 'none'") == 0);
    hc_free(&r);
    q.path = "/app.js";
    CHECK(hc_do(port, &q, &r) == 0 && r.status == 200);
    CHECK(hc_header(&r, "Content-Type", buf, sizeof buf) && strncmp(buf, "text/javascript", 15) == 0);
    hc_free(&r);
    q.path = "/nothere.js";
    CHECK_INTEQ(status_of(&q), 404);
    q.path = "/../review_int.h";
    CHECK_INTEQ(status_of(&q), 404);
    q.path = "/api/nothing";
    CHECK_INTEQ(status_of(&q), 404);
}

static void case_and_items(void)
{
    json_t *j, *a;
    char path[128];

    j = get_json("/api/case", 200);
    CHECK_STREQ(jstr(j, "examiner"), "ana");
    CHECK(json_is_false(json_object_get(j, "reveal_default")));
    a = json_object_get(json_object_get(j, "scheme"), "categories");
    CHECK_STREQ(jstr(json_object_get(j, "scheme"), "name"), "projectvic-us");
    CHECK_INTEQ(json_array_size(a), 5);
    CHECK_STREQ(jstr(json_array_get(a, 1), "code"), "1");
    CHECK_STREQ(jstr(json_array_get(a, 1), "key"), "1");
    CHECK_STREQ(jstr(json_array_get(a, 0), "label"), "Non-Pertinent");
    a = json_object_get(j, "counts");
    CHECK_INTEQ(json_integer_value(json_object_get(a, "new")), 3);
    CHECK_INTEQ(json_integer_value(json_object_get(a, "clusters")), 1);
    CHECK_INTEQ(json_integer_value(json_object_get(a, "known")), 2);
    CHECK_INTEQ(json_integer_value(json_object_get(a, "other")), 4);
    CHECK_INTEQ(json_integer_value(json_object_get(a, "items")), 11);
    CHECK_INTEQ(json_array_size(json_object_get(j, "sets")), 3);
    CHECK_STREQ(json_string_value(json_array_get(json_object_get(j, "types"), 1)), "png");
    json_decref(j);

    j = get_json("/api/items", 200);
    CHECK_INTEQ(json_integer_value(json_object_get(j, "total")), 6);
    a = json_object_get(j, "items");
    CHECK_INTEQ(json_array_size(a), 6);
    {
        static const int want[] = {1, 9, 12, 2, 5, 4};
        for (size_t i = 0; i < 6 && i < json_array_size(a); i++)
            CHECK_INTEQ(json_integer_value(json_object_get(json_array_get(a, i), "id")),
                        ids[want[i]]);
    }
    CHECK_STREQ(jstr(json_array_get(a, 0), "section"), "new");
    CHECK(json_is_true(json_object_get(json_array_get(a, 0), "thumb")));
    CHECK_STREQ(jstr(json_array_get(a, 3), "section"), "cluster");
    CHECK_INTEQ(json_integer_value(json_object_get(json_array_get(a, 3), "cluster_size")), 2);
    CHECK_STREQ(jstr(json_object_get(json_array_get(a, 5), "match"), "set"), "demo");
    CHECK_INTEQ(json_integer_value(json_object_get(json_object_get(json_array_get(a, 5), "match"),
                                                   "distance")), 6);
    json_decref(j);
    j = get_json("/api/items?section=other&q=%2Fbackup&offset=1&limit=1", 200);
    CHECK_INTEQ(json_integer_value(json_object_get(j, "total")), 2);
    CHECK_INTEQ(json_integer_value(json_object_get(j, "offset")), 1);
    CHECK_STREQ(jstr(json_array_get(json_object_get(j, "items"), 0), "name"), "inner.zip");
    json_decref(j);
    json_decref(get_json("/api/items?limit=abc", 400));
    json_decref(get_json("/api/items?offset=-1", 400));
    json_decref(get_json("/api/items?limit=5000", 400));
    json_decref(get_json("/api/items?offset=99999999999999999999", 400));
    json_decref(get_json("/api/items?order=evil", 400));
    json_decref(get_json("/api/items?section=%27%3B--", 400));

    snprintf(path, sizeof path, "/api/items/%lld", (long long)ids[12]);
    j = get_json(path, 200);
    a = json_object_get(j, "chain");
    CHECK_INTEQ(json_array_size(a), 3);
    CHECK_STREQ(jstr(json_array_get(a, 0), "name"), "backup.zip");
    CHECK_INTEQ(json_integer_value(json_object_get(json_array_get(a, 2), "seq")), 12);
    CHECK_STREQ(jstr(j, "evidence"), "/evidence/ev");
    CHECK_STREQ(jstr(j, "source"), "archive");
    CHECK_INTEQ(json_string_length(json_object_get(j, "sha1")), 40);
    CHECK(json_is_null(json_object_get(j, "review")));
    json_decref(j);
    snprintf(path, sizeof path, "/api/items/%lld", (long long)ids[3]);
    j = get_json(path, 200);
    a = json_object_get(j, "members");
    CHECK_INTEQ(json_array_size(a), 2);
    CHECK_INTEQ(json_integer_value(json_object_get(json_array_get(a, 0), "id")), ids[2]);
    json_decref(j);
    snprintf(path, sizeof path, "/api/items/%lld", (long long)ids[7]);
    j = get_json(path, 200);
    CHECK_STREQ(jstr(j, "error"), "truncated JPEG at offset 100");
    CHECK_STREQ(jstr(j, "section"), "other");
    json_decref(j);
    snprintf(path, sizeof path, "/api/items/%lld", (long long)ids[1]);
    j = get_json(path, 200);
    a = json_object_get(j, "exif");
    CHECK_STREQ(jstr(a, "make"), "Canon");
    CHECK_STREQ(jstr(a, "datetime"), "2024:01:02 03:04:05");
    CHECK(json_real_value(json_object_get(json_object_get(a, "gps"), "lat")) == 51.5);
    CHECK(json_real_value(json_object_get(json_object_get(a, "gps"), "lon")) == -0.125);
    CHECK_INTEQ(json_integer_value(json_object_get(j, "thumb_distance")), 40);
    CHECK(json_is_true(json_object_get(j, "thumb_differs")));
    CHECK_STREQ(jstr(j, "mtime"), "2024-01-02T03:04:05Z");
    CHECK(json_is_null(json_object_get(j, "atime")));
    CHECK_INTEQ(json_integer_value(json_object_get(j, "offset")), 512);
    CHECK_STREQ(jstr(j, "steg_reason"), "chi-square 0.91");
    CHECK(json_real_value(json_object_get(json_object_get(j, "steg_scores"), "chi")) == 0.91);
    CHECK_INTEQ(json_array_size(json_object_get(j, "members")), 0);
    CHECK_INTEQ(json_array_size(json_object_get(j, "chain")), 1);
    json_decref(j);
    snprintf(path, sizeof path, "/api/items/%lld", (long long)ids[2]);
    j = get_json(path, 200);
    CHECK(json_is_false(json_object_get(j, "thumb_differs")));
    CHECK(json_is_null(json_object_get(j, "steg_scores"))); /* not JSON: not passed on */
    CHECK(json_is_null(json_object_get(j, "exif")));
    json_decref(j);
    snprintf(path, sizeof path, "/api/items/%lld", (long long)ids[4]);
    j = get_json(path, 200);
    a = json_object_get(j, "matches");
    CHECK_INTEQ(json_array_size(a), 2);
    CHECK_STREQ(jstr(json_object_get(j, "match"), "set"), "demo");
    json_decref(j);
    j = get_json("/api/items/99999", 404);
    CHECK_STREQ(jstr(j, "error"), "no item 99999");
    json_decref(j);
    json_decref(get_json("/api/items/abc", 404));
    json_decref(get_json("/api/items/-1", 404));
    json_decref(get_json("/api/items/0", 404));
    json_decref(get_json("/api/items/1234567890123456789012", 404));
}

/* The number of components of the JPEG's first SOF frame; -1 if none. */
static int jpeg_components(const unsigned char *p, size_t n)
{
    for (size_t i = 2; i + 9 < n; i++)
        if (p[i] == 0xff && (p[i + 1] == 0xc0 || p[i + 1] == 0xc1 || p[i + 1] == 0xc2))
            return p[i + 9];
    return -1;
}

static void thumbs(vg_store *s)
{
    char path[128], buf[128];
    hreq q = {"GET", path, NULL, cookie, NULL, NULL, 0};
    hresp r;
    uint8_t *stored = NULL;
    size_t slen = 0;
    vg_error err;

    CHECK_INTEQ(vg_store_thumb_get(s, ids[1], &stored, &slen, &err), VG_OK);
    CHECK(stored && jpeg_components(stored, slen) == 3);
    snprintf(path, sizeof path, "/api/thumb/%lld", (long long)ids[1]);
    CHECK(hc_do(port, &q, &r) == 0 && r.status == 200);
    CHECK(hc_header(&r, "Content-Type", buf, sizeof buf) && strcmp(buf, "image/jpeg") == 0);
    CHECK(hc_header(&r, "Cache-Control", buf, sizeof buf) && strcmp(buf, "no-store") == 0);
    /* the blurred variant: grey, and not the stored picture */
    CHECK(r.blen > 100 && (unsigned char)r.body[0] == 0xff && (unsigned char)r.body[1] == 0xd8);
    CHECK_INTEQ(jpeg_components((unsigned char *)r.body, r.blen), 1);
    CHECK(r.blen != slen || memcmp(r.body, stored, slen) != 0);
    hc_free(&r);
    snprintf(path, sizeof path, "/api/thumb/%lld?reveal=0", (long long)ids[1]);
    CHECK(hc_do(port, &q, &r) == 0 && r.status == 200);
    CHECK_INTEQ(jpeg_components((unsigned char *)r.body, r.blen), 1);
    hc_free(&r);
    snprintf(path, sizeof path, "/api/thumb/%lld?reveal=1", (long long)ids[1]);
    CHECK(hc_do(port, &q, &r) == 0 && r.status == 200);
    CHECK(r.blen == slen && memcmp(r.body, stored, slen) == 0);
    hc_free(&r);
    free(stored);
    snprintf(path, sizeof path, "/api/thumb/%lld?reveal=yes", (long long)ids[1]);
    CHECK_INTEQ(status_of(&q), 400);
    snprintf(path, sizeof path, "/api/thumb/%lld", (long long)ids[12]);
    CHECK_INTEQ(status_of(&q), 404);
    q.cookie = NULL;
    snprintf(path, sizeof path, "/api/thumb/%lld?reveal=1", (long long)ids[1]);
    CHECK_INTEQ(status_of(&q), 403);
}

typedef struct got {
    char category[16], by[32], scheme[32];
} got;

static int got_cb(const vg_item_rec *r, void *ctx)
{
    got *g = ctx;
    snprintf(g->category, sizeof g->category, "%s", r->review_category ? r->review_category : "-");
    snprintf(g->by, sizeof g->by, "%s", r->review_by ? r->review_by : "-");
    snprintf(g->scheme, sizeof g->scheme, "%s", r->review_scheme ? r->review_scheme : "-");
    return 0;
}

static got read_back(vg_store *s, int64_t id)
{
    got g;
    vg_error err;
    memset(&g, 0, sizeof g);
    CHECK_INTEQ(vg_store_item_get(s, id, got_cb, &g, &err), VG_OK);
    return g;
}

typedef struct audit_seen {
    int n;
    char last[1024], action[32];
} audit_seen;

static int audit_cb(const vg_audit_rec *e, void *ctx)
{
    audit_seen *a = ctx;
    a->n++;
    snprintf(a->last, sizeof a->last, "%s", e->detail);
    snprintf(a->action, sizeof a->action, "%s", e->action);
    return 0;
}

static audit_seen audit(vg_store *s)
{
    audit_seen a;
    vg_error err;
    uint64_t n;
    memset(&a, 0, sizeof a);
    CHECK_INTEQ(vg_store_audit_foreach(s, audit_cb, &a, &err), VG_OK);
    CHECK_INTEQ(vg_store_audit_verify(s, &n, &err), VG_OK);
    CHECK_INTEQ(n, a.n);
    return a;
}

static void categorise(vg_store *s)
{
    char path[128], want[128];
    json_t *j;
    got g;
    audit_seen a0 = audit(s), a;

    snprintf(path, sizeof path, "/api/items/%lld/category", (long long)ids[9]);
    j = post_json(path, "{\"category\":\"1\"}", 200);
    CHECK_INTEQ(json_integer_value(json_object_get(j, "id")), ids[9]);
    CHECK_STREQ(jstr(j, "category"), "1");
    json_decref(j);
    g = read_back(s, ids[9]);
    snprintf(path, sizeof path, "/api/items/%lld", (long long)ids[9]);
    j = get_json(path, 200);
    CHECK_STREQ(jstr(json_object_get(j, "review"), "category"), "1");
    CHECK_STREQ(jstr(json_object_get(j, "review"), "examiner"), "ana");
    CHECK_INTEQ(strlen(jstr(json_object_get(j, "review"), "time")), 20);
    CHECK_STREQ(jstr(j, "category"), "1");
    json_decref(j);
    snprintf(path, sizeof path, "/api/items/%lld/category", (long long)ids[9]);
    CHECK_STREQ(g.category, "1");
    CHECK_STREQ(g.by, "ana");
    CHECK_STREQ(g.scheme, "projectvic-us");
    a = audit(s);
    CHECK_INTEQ(a.n, a0.n + 1);
    CHECK_STREQ(a.action, "categorise");
    CHECK_MSG(strstr(a.last, "\"examiner\":\"ana\"") && strstr(a.last, "\"category\":\"1\"") &&
                  strstr(a.last, "\"scheme\":\"projectvic-us\"") &&
                  strstr(a.last, "0909090909090909090909090909090909090909"),
              "audit detail %s", a.last);

    j = post_json(path, "{\"category\":\"9\"}", 400);
    CHECK_STREQ(jstr(j, "error"), "unknown category \"9\" in scheme projectvic-us");
    json_decref(j);
    CHECK_STREQ(read_back(s, ids[9]).category, "1");
    CHECK_INTEQ(audit(s).n, a0.n + 1); /* a refusal is not audited */

    j = post_json(path, "{\"category\":null}", 200);
    CHECK(json_is_null(json_object_get(j, "category")));
    json_decref(j);
    CHECK_STREQ(read_back(s, ids[9]).category, "-");
    CHECK_INTEQ(audit(s).n, a0.n + 2);

    /* a cluster: every member, one audit entry */
    j = post_json("/api/clusters/1/category", "{\"category\":\"2\"}", 200);
    CHECK_INTEQ(json_integer_value(json_object_get(j, "cluster")), 1);
    CHECK_INTEQ(json_integer_value(json_object_get(j, "items")), 2);
    json_decref(j);
    CHECK_STREQ(read_back(s, ids[2]).category, "2");
    CHECK_STREQ(read_back(s, ids[3]).category, "2");
    a = audit(s);
    CHECK_INTEQ(a.n, a0.n + 3);
    snprintf(want, sizeof want, "{\"id\":%lld,", (long long)ids[3]);
    CHECK_MSG(strstr(a.last, want) != NULL, "cluster audit %s", a.last);
    j = post_json("/api/clusters/77/category", "{\"category\":\"2\"}", 404);
    CHECK_STREQ(jstr(j, "error"), "no cluster 77");
    json_decref(j);
    j = post_json("/api/items/99999/category", "{\"category\":\"2\"}", 404);
    CHECK_STREQ(jstr(j, "error"), "no item 99999");
    json_decref(j);

    /* the listing sees it */
    j = get_json("/api/items?category=2&section=all", 200);
    CHECK_INTEQ(json_integer_value(json_object_get(j, "total")), 2); /* both members */
    json_decref(j);
    j = get_json("/api/case", 200);
    CHECK_INTEQ(json_integer_value(json_object_get(json_object_get(j, "counts"), "categorised")), 2);
    json_decref(j);
}

static void refusals(void)
{
    static char big[VG_REVIEW_BODY_MAX + 100];
    char path[128];
    hreq q = {"POST", path, NULL, cookie, "text/plain", "{\"category\":\"1\"}", 16};

    snprintf(path, sizeof path, "/api/items/%lld/category", (long long)ids[1]);
    CHECK_INTEQ(status_of(&q), 415);
    q.ctype = NULL;
    CHECK_INTEQ(status_of(&q), 415);
    q.ctype = "application/json; charset=utf-8";
    CHECK_INTEQ(status_of(&q), 200);
    q.ctype = "application/json";
    memset(big, ' ', sizeof big);
    memcpy(big, "{\"category\":\"1\"}", 16);
    q.body = big;
    q.blen = sizeof big;
    CHECK_INTEQ(status_of(&q), 413);
    q.blen = VG_REVIEW_BODY_MAX; /* at the limit: accepted (JSON allows trailing space) */
    CHECK_INTEQ(status_of(&q), 200);
    json_decref(post_json(path, "{\"category\":", 400));
    json_decref(post_json(path, "[\"1\"]", 400));
    json_decref(post_json(path, "{\"category\":1}", 400));
    json_decref(post_json(path, "{\"category\":\"1\",\"x\":2}", 400));
    json_decref(post_json(path, "{\"category\":\"1\",\"category\":\"2\"}", 400));
    json_decref(post_json(path, "{\"category\":\"1\\u0000\"}", 400));
    json_decref(post_json(path, "", 400));
    /* methods */
    q.body = "{}";
    q.blen = 2;
    q.path = "/api/case";
    CHECK_INTEQ(status_of(&q), 405);
    q.method = "GET";
    q.path = path;
    q.blen = 0;
    CHECK_INTEQ(status_of(&q), 405);
    q.method = "DELETE";
    CHECK_INTEQ(status_of(&q), 405);
}

/* Odd requests: answered or dropped, never a crash; the server goes on. */
static void hostile(void)
{
    static char longpath[15000];
    char hdr[9000];
    hreq q = {"GET", "/api/items?%00=1&limit=%00", NULL, cookie, NULL, NULL, 0};
    int st;

    st = status_of(&q);
    CHECK_MSG(st == 400, "NUL in a parameter: %d", st);
    memcpy(longpath, "/api/items?q=", 13);
    memset(longpath + 13, 'a', sizeof longpath - 14);
    q.path = longpath;
    st = status_of(&q);
    CHECK_MSG(st == -1 || st == 400 || st == 414 || st == 431, "long URL: %d", st);
    q.path = "/api/items?a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11&l=12&m=13&n=14&o=15&p=16"
             "&q=17&r=18&s=19&t=20&u=21&v=22&w=23&x=24&y=25&z=26&A=1&B=2&C=3&D=4&E=5&F=6&G=7";
    CHECK_INTEQ(status_of(&q), 400);
    q.path = "/api/case";
    /* many cookies named alike: only an exact session counts */
    memset(hdr, 0, sizeof hdr);
    for (size_t n = 0; n + 100 < sizeof hdr - 200;)
        n += (size_t)snprintf(hdr + n, sizeof hdr - n, "xvigil_session=%s; ", cookie + 26);
    q.cookie = hdr;
    st = status_of(&q);
    CHECK_MSG(st == 403 || st == 431 || st == -1, "cookie flood: %d", st);
    q.cookie = cookie;
    CHECK_INTEQ(status_of(&q), 200);
}

static void schemes(const char *dir)
{
    char path[4200], *name = NULL;
    vg_store *s;
    vg_error err;
    int64_t id[13];

    snprintf(path, sizeof path, "%s/schemes.case", dir);
    s = tc_build(path, NULL, 0);
    if (!s)
        return;
    tc_ids(s, id);
    CHECK_INTEQ(vg_review_scheme_settle(s, "custom", &name, &err), VG_ERR_ARG);
    CHECK_INTEQ(vg_review_scheme_settle(s, "no-such-scheme", &name, &err), VG_ERR_ARG);
    CHECK_INTEQ(vg_review_scheme_settle(s, NULL, &name, &err), VG_OK);
    CHECK(name && strcmp(name, "projectvic-us") == 0);
    free(name);
    /* nothing categorised yet: another scheme replaces it */
    CHECK_INTEQ(vg_review_scheme_settle(s, "uk", &name, &err), VG_OK);
    free(name);
    CHECK_INTEQ(vg_store_meta_get(s, "review_scheme", &name, &err), VG_OK);
    CHECK(name && strcmp(name, "uk") == 0);
    free(name);
    CHECK_INTEQ(vg_store_review_set(s, &id[1], 1, "A", "uk", "ana", &err), VG_OK);
    CHECK_INTEQ(vg_review_scheme_settle(s, "dhs", &name, &err), VG_ERR_ARG);
    CHECK_MSG(strstr(err.msg, "categorised in scheme uk") != NULL, "%s", err.msg);
    CHECK_INTEQ(vg_review_scheme_settle(s, NULL, &name, &err), VG_OK);
    CHECK(name && strcmp(name, "uk") == 0);
    free(name);
    {
        /* uk's letters take the keys 1..4 in order */
        vg_review_opts o = {s, path, "bo", NULL, 1, 0, 1};
        vg_review *srv;
        CHECK_INTEQ(vg_review_start(&o, &srv, &err), VG_OK);
        if (srv) {
            uint16_t keep = port;
            port = vg_review_port(srv);
            cookie[0] = '\0';
            hreq q = {"GET", strstr(vg_review_url(srv), "/?token="), NULL, NULL, NULL, NULL, 0};
            hresp r;
            char buf[256];
            CHECK(hc_do(port, &q, &r) == 0 && r.status == 303);
            if (hc_header(&r, "Set-Cookie", buf, sizeof buf))
                snprintf(cookie, sizeof cookie, "%.78s", buf);
            hc_free(&r);
            json_t *j = get_json("/api/case", 200);
            json_t *c = json_object_get(json_object_get(j, "scheme"), "categories");
            CHECK_INTEQ(json_array_size(c), 4);
            CHECK_STREQ(jstr(json_array_get(c, 0), "code"), "A");
            CHECK_STREQ(jstr(json_array_get(c, 0), "key"), "1");
            CHECK_STREQ(jstr(json_array_get(c, 3), "code"), "NI");
            CHECK_STREQ(jstr(json_array_get(c, 3), "key"), "4");
            CHECK(json_is_true(json_object_get(j, "reveal_default")));
            CHECK_STREQ(jstr(j, "examiner"), "bo");
            json_decref(j);
            vg_review_stop(srv);
            port = keep;
        }
    }
    vg_store_close(s);
}

/* Open file descriptors of this process. */
static int open_fds(void)
{
    int n = 0;
    for (int fd = 0; fd < 1024; fd++)
        if (fcntl(fd, F_GETFD) != -1)
            n++;
    return n;
}

static uint8_t *make_thumb(size_t *len)
{
    vg_thumb_opts o = {VG_THUMB_SIDE, 0, 0, 0, NULL, 0};
    size_t n;
    unsigned char *src = test_slurp(test_data("pdq/bridge-mods/square-128x128.jpg"), &n);
    uint8_t *jpeg = NULL;
    vg_error err;

    CHECK(src != NULL);
    if (src)
        CHECK_INTEQ(vg_thumb_make(src, n, &o, &jpeg, len, &err), VG_OK);
    free(src);
    return jpeg;
}

int main(void)
{
    char path[4200];
    const char *url;
    vg_store *s;
    vg_review *srv = NULL;
    vg_error err;
    int fds;
    size_t tlen = 0;
    uint8_t *thumb = make_thumb(&tlen);
    vg_review_opts o = {NULL, NULL, "ana", NULL, 0, 0, 2};

    snprintf(path, sizeof path, "%s/server.case", test_tmpdir());
    s = tc_build(path, thumb, tlen);
    free(thumb);
    if (!s)
        TEST_DONE();
    tc_ids(s, ids);
    o.store = s;
    o.case_path = path;
    fds = open_fds();
    /* a port in use is an error, and leaves nothing open */
    CHECK_INTEQ(vg_review_start(&o, &srv, &err), VG_OK);
    if (srv) {
        vg_review *second = NULL;
        o.port = vg_review_port(srv);
        CHECK_INTEQ(vg_review_start(&o, &second, &err), VG_ERR_IO);
        CHECK(second == NULL);
        o.port = 0;
        vg_review_stop(srv);
        srv = NULL;
    }
    CHECK_INTEQ(open_fds(), fds);
    CHECK_INTEQ(vg_review_start(&o, &srv, &err), VG_OK);
    if (!srv)
        TEST_DONE();
    port = vg_review_port(srv);
    url = vg_review_url(srv);
    CHECK(port > 0);
    {
        char want[64];
        snprintf(want, sizeof want, "http://127.0.0.1:%u/?token=", (unsigned)port);
        CHECK_MSG(strncmp(url, want, strlen(want)) == 0 && strlen(url) == strlen(want) + 32 &&
                      strspn(url + strlen(want), "0123456789abcdef") == 32,
                  "url %s", url);
        auth(url + strlen(want));
    }
    headers_and_assets();
    case_and_items();
    thumbs(s);
    categorise(s);
    refusals();
    hostile();
    vg_review_stop(srv);
    CHECK_INTEQ(open_fds(), fds);
    vg_store_close(s);
    schemes(test_tmpdir());
    TEST_DONE();
}
