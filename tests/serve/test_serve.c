/* test_serve.c - the real server on an ephemeral loopback port, driven over
 * plain sockets: every endpoint, each refusal (401, 403, 400 naming the field,
 * 404, 405, 413), T1 by its digests, the bridge by PDQ and by its image, live
 * add/lookup/delete, concurrent clients, metrics and the access log. */
#include <jansson.h>
#include <pthread.h>

#include "http.h"
#include "library/libtest.h"
#include "vigil/digest.h"
#include "vigil/library.h"
#include "vigil/serve.h"
#include "vigil/util.h"

#define BRIDGE "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22"

static uint16_t port;
static char lookup_tok[65], admin_tok[65];
static char t1_md5[33], t1_sha1[41], t1_sha256[65];

static vg_library *make_library(char *path, size_t len)
{
    char tokens[8300];
    vg_library *lib = fresh_lib("serve.db", path, len);
    vg_error err;

    snprintf(tokens, sizeof tokens, "%s.tokens", path);
    remove(tokens);
    if (!lib)
        return NULL;
    CHECK_INTEQ(vg_library_import(lib, "media", test_data("hashset/vics-2.0-hashset-media.json"),
                                  VG_HS_FMT_AUTO, NULL, NULL, NULL, &err), VG_OK);
    CHECK_INTEQ(vg_library_import(lib, "hashdeep", test_data("hashset/hashdeep.txt"),
                                  VG_HS_FMT_AUTO, NULL, NULL, NULL, &err), VG_OK);
    CHECK_INTEQ(vg_library_import(lib, "bridge", write_tmp("bridge.pdq", BRIDGE ",100,bridge\n"),
                                  VG_HS_FMT_PDQ, NULL, NULL, NULL, &err), VG_OK);
    CHECK_INTEQ(vg_library_create_set(lib, "live", NULL, &err), VG_OK);
    return lib;
}

/* POSTs a JSON text; returns the parsed answer (NULL when not JSON). */
static json_t *post_json(const char *path, const char *tok, const char *body, int *status)
{
    http_resp r;
    json_t *j = NULL;

    *status = -1;
    if (http_req(port, "POST", path, tok, body, strlen(body), &r) == 0) {
        *status = r.status;
        j = json_loads(r.body, 0, NULL);
    }
    http_free(&r);
    return j;
}

/* "kind/set kind/set" of a matches array. */
static void describe(json_t *matches, char *out, size_t len)
{
    size_t o = 0;
    json_t *m;
    size_t i;

    out[0] = '\0';
    json_array_foreach(matches, i, m) {
        o += (size_t)snprintf(out + o, len - o, "%s%s/%s", i ? " " : "",
                              json_string_value(json_object_get(m, "kind")),
                              json_string_value(json_object_get(m, "set")));
        if (o >= len)
            break;
    }
}

static json_t *item_matches(json_t *j, size_t i)
{
    return json_object_get(json_array_get(json_object_get(j, "items"), i), "matches");
}

static void expect_error(const char *path, const char *tok, const char *body, int want_status,
                         const char *want_field)
{
    int st;
    json_t *j = post_json(path, tok, body, &st);
    json_t *e = json_object_get(j, "error");
    const char *field = json_string_value(json_object_get(e, "field"));

    CHECK_MSG(st == want_status, "%s: status %d, want %d", body, st, want_status);
    CHECK_MSG(field && strcmp(field, want_field) == 0, "%.60s: field '%s', want '%s'", body,
              field ? field : "(none)", want_field);
    json_decref(j);
}

static int get_status(const char *path, const char *tok, char **body)
{
    http_resp r;
    int st = -1;

    if (http_req(port, "GET", path, tok, NULL, 0, &r) == 0) {
        st = r.status;
        if (body)
            *body = strdup(r.body);
    }
    http_free(&r);
    return st;
}

static void test_open_endpoints(void)
{
    char *body = NULL;

    CHECK_INTEQ(get_status("/v1/health", NULL, &body), 200);
    CHECK(body && strstr(body, "\"status\":\"ok\""));
    free(body);
    CHECK_INTEQ(get_status("/v1/sets", NULL, NULL), 401);
    CHECK_INTEQ(get_status("/v1/sets", "0000", NULL), 401);
    CHECK_INTEQ(get_status("/v1/nothing", lookup_tok, NULL), 404);
    CHECK_INTEQ(get_status("/v1/lookup/hashes", lookup_tok, NULL), 405);
    CHECK_INTEQ(get_status("/v1/sets", lookup_tok, &body), 200);
    json_t *j = body ? json_loads(body, 0, NULL) : NULL;
    json_t *sets = json_object_get(j, "sets");
    CHECK_INTEQ(json_array_size(sets), 4);
    CHECK_STREQ(json_string_value(json_object_get(json_array_get(sets, 0), "name")), "bridge");
    CHECK_INTEQ(json_integer_value(json_object_get(json_array_get(sets, 0), "pdq")), 1);
    json_decref(j);
    free(body);
}

static void test_t1(void)
{
    char body[512], got[256];
    int st;

    snprintf(body, sizeof body,
             "{\"items\":[{\"md5\":\"%s\",\"id\":\"a\"},{\"sha1\":\"%s\",\"id\":7},"
             "{\"sha256\":\"%s\"},{\"md5\":\"%032d\"}]}",
             t1_md5, t1_sha1, t1_sha256, 0);
    json_t *j = post_json("/v1/lookup/hashes", lookup_tok, body, &st);
    CHECK_INTEQ(st, 200);
    describe(item_matches(j, 0), got, sizeof got);
    CHECK_STREQ(got, "md5/hashdeep md5/media");
    describe(item_matches(j, 1), got, sizeof got);
    CHECK_STREQ(got, "sha1/media");
    describe(item_matches(j, 2), got, sizeof got);
    CHECK_STREQ(got, "sha256/hashdeep");
    describe(item_matches(j, 3), got, sizeof got);
    CHECK_STREQ(got, "");
    CHECK_STREQ(json_string_value(json_object_get(json_array_get(json_object_get(j, "items"), 0),
                                                  "id")), "a");
    CHECK_INTEQ(json_integer_value(json_object_get(json_array_get(json_object_get(j, "items"), 1),
                                                   "id")), 7);
    CHECK_INTEQ(json_integer_value(json_object_get(j, "matches")), 4);
    json_decref(j);
}

static void test_pdq(void)
{
    char hex[65], body[512], got[256];
    int st;

    /* The bridge with its first 8 bits flipped: distance 8. */
    snprintf(hex, sizeof hex, "%s", BRIDGE);
    hex[0] = '2';
    hex[1] = '7';
    snprintf(body, sizeof body, "{\"items\":[{\"pdq\":\"%s\"},{\"pdq\":\"%s\"}]}", BRIDGE, hex);
    json_t *j = post_json("/v1/lookup/hashes", lookup_tok, body, &st);
    CHECK_INTEQ(st, 200);
    describe(item_matches(j, 0), got, sizeof got);
    CHECK_STREQ(got, "pdq/bridge");
    CHECK_INTEQ(json_integer_value(json_object_get(json_array_get(item_matches(j, 1), 0),
                                                   "distance")), 8);
    json_decref(j);
    snprintf(body, sizeof body, "{\"items\":[{\"pdq\":\"%s\"}],\"radius\":7}", hex);
    j = post_json("/v1/lookup/hashes", lookup_tok, body, &st);
    CHECK_INTEQ(st, 200);
    CHECK_INTEQ(json_array_size(item_matches(j, 0)), 0);
    json_decref(j);
}

static void test_refusals(void)
{
    const char *lh = "/v1/lookup/hashes";
    char big[300000];

    expect_error(lh, lookup_tok, "{\"items\":[{\"md5\":\"abc\"}", 400, "");
    expect_error(lh, lookup_tok, "{\"items\":[{\"md5\":\"abcd\"}]}", 400, "items[0].md5");
    expect_error(lh, lookup_tok,
                 "{\"items\":[{\"md5\":\"00000000000000000000000000000000\"},"
                 "{\"sha1\":\"zz00000000000000000000000000000000000000\"}]}",
                 400, "items[1].sha1");
    expect_error(lh, lookup_tok, "{\"items\":[{\"md5\":1}]}", 400, "items[0].md5");
    expect_error(lh, lookup_tok, "{\"items\":[{\"crc\":\"00\"}]}", 400, "items[0].crc");
    expect_error(lh, lookup_tok, "{\"items\":[{}]}", 400, "items[0]");
    expect_error(lh, lookup_tok, "{\"items\":[]}", 400, "items");
    expect_error(lh, lookup_tok, "[1]", 400, "");
    expect_error(lh, lookup_tok, "{\"items\":[{\"pdq\":\"" BRIDGE "\"}],\"radius\":65}", 400,
                 "radius");
    expect_error(lh, lookup_tok,
                 "{\"items\":[{\"pdq\":\"" BRIDGE "\"}],\"radius\":99999999999999999999999}", 400,
                 "");
    expect_error(lh, lookup_tok, "{\"items\":[[[[[[[[[[[[1]]]]]]]]]]]]}", 400, "");
    expect_error(lh, lookup_tok,
                 "{\"items\":[{\"md5\":\"00000000000000000000000000000000\","
                 "\"md5\":\"00000000000000000000000000000000\"}]}", 400, "");
    expect_error(lh, lookup_tok, "{\"items\":[{\"pdq\":\"" BRIDGE "\"}],\"dihedral\":true}", 400,
                 "dihedral");
    /* 101 items against a batch limit of 100. */
    size_t o = (size_t)snprintf(big, sizeof big, "{\"items\":[");
    for (int i = 0; i < 101; i++)
        o += (size_t)snprintf(big + o, sizeof big - o, "%s{\"md5\":\"%032d\"}", i ? "," : "", i);
    snprintf(big + o, sizeof big - o, "]}");
    expect_error(lh, lookup_tok, big, 400, "items");
    /* A body over the 64 KiB limit. */
    memset(big, ' ', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    expect_error(lh, lookup_tok, big, 413, "");
    expect_error("/v1/sets/live/entries", lookup_tok, "{\"ids\":[1]}", 403, "");
    expect_error("/v1/sets/live/entries", NULL, "{\"ids\":[1]}", 401, "");
    expect_error("/v1/sets/nosuch/entries", admin_tok,
                 "{\"entries\":[{\"md5\":\"00000000000000000000000000000000\"}]}", 404, "set");
    expect_error("/v1/sets/live/entries", admin_tok, "{\"entries\":[{\"name\":\"x\"}]}", 400,
                 "entries[0]");
}

static void test_image(void)
{
    size_t len = 0;
    unsigned char *img = test_slurp(test_data("pdq/bridge-mods/aaa-orig.jpg"), &len);
    http_resp r;
    char got[256];

    CHECK(img != NULL);
    if (!img)
        return;
    CHECK_INTEQ(http_req(port, "POST", "/v1/lookup/image", lookup_tok, img, len, &r), 0);
    CHECK_INTEQ(r.status, 200);
    json_t *j = json_loads(r.body, 0, NULL);
    CHECK_STREQ(json_string_value(json_object_get(j, "pdq")), BRIDGE);
    describe(json_object_get(j, "matches"), got, sizeof got);
    CHECK_STREQ(got, "pdq/bridge");
    json_decref(j);
    http_free(&r);
    CHECK_INTEQ(http_req(port, "POST", "/v1/lookup/image?radius=300", lookup_tok, img, len, &r),
                0);
    CHECK_INTEQ(r.status, 400);
    http_free(&r);
    /* The bridge turned 90 degrees: found only with dihedral=1. */
    free(img);
    img = test_slurp(test_data("pdq/dih/bridge-2-rotate-90.jpg"), &len);
    CHECK_INTEQ(http_req(port, "POST", "/v1/lookup/image", lookup_tok, img, len, &r), 0);
    j = json_loads(r.body, 0, NULL);
    CHECK_INTEQ(json_array_size(json_object_get(j, "matches")), 0);
    json_decref(j);
    http_free(&r);
    CHECK_INTEQ(http_req(port, "POST", "/v1/lookup/image?dihedral=1", lookup_tok, img, len, &r),
                0);
    j = json_loads(r.body, 0, NULL);
    describe(json_object_get(j, "matches"), got, sizeof got);
    CHECK_STREQ(got, "pdq/bridge");
    CHECK(json_is_true(json_object_get(j, "dihedral")));
    json_decref(j);
    http_free(&r);
    /* Over the 1 MB image limit of this test's server. */
    unsigned char *big = calloc(1, 1100000);
    CHECK_INTEQ(http_req(port, "POST", "/v1/lookup/image", lookup_tok, big, 1100000, &r), 0);
    CHECK_INTEQ(r.status, 413);
    http_free(&r);
    free(big);
    free(img);
    /* Not an image: its digests still match, the decode failure is reported. */
    img = test_slurp(test_data("cli/t1.bin"), &len);
    CHECK_INTEQ(http_req(port, "POST", "/v1/lookup/image", lookup_tok, img, len, &r), 0);
    j = json_loads(r.body, 0, NULL);
    CHECK_STREQ(json_string_value(json_object_get(j, "md5")), t1_md5);
    describe(json_object_get(j, "matches"), got, sizeof got);
    CHECK_STREQ(got, "md5/hashdeep md5/media sha1/media sha256/hashdeep");
    CHECK_STREQ(json_string_value(json_object_get(j, "image_error")), "not a recognised image format");
    json_decref(j);
    http_free(&r);
    free(img);
}

static void test_live(void)
{
    const char *md5 = "0123456789abcdef0123456789abcdef";
    char body[512], got[256];
    int st;

    snprintf(body, sizeof body, "{\"items\":[{\"md5\":\"%s\"}]}", md5);
    snprintf(got, sizeof got,
             "{\"entries\":[{\"md5\":\"%s\",\"category\":\"1\",\"labels\":[\"series:x\"]}]}", md5);
    json_t *j = post_json("/v1/sets/live/entries", admin_tok, got, &st);
    CHECK_INTEQ(st, 200);
    json_int_t id = json_integer_value(json_array_get(json_object_get(j, "ids"), 0));
    CHECK(id > 0);
    json_decref(j);
    j = post_json("/v1/lookup/hashes", lookup_tok, body, &st);
    json_t *m = json_array_get(item_matches(j, 0), 0);
    CHECK_STREQ(json_string_value(json_object_get(m, "set")), "live");
    CHECK_STREQ(json_string_value(json_object_get(m, "category")), "1");
    CHECK_STREQ(json_string_value(json_array_get(json_object_get(m, "labels"), 0)), "series:x");
    json_decref(j);
    snprintf(got, sizeof got, "{\"ids\":[%lld]}", (long long)id);
    http_resp r;
    CHECK_INTEQ(http_req(port, "DELETE", "/v1/sets/live/entries", admin_tok, got, strlen(got),
                         &r), 0);
    CHECK_INTEQ(r.status, 200);
    http_free(&r);
    j = post_json("/v1/lookup/hashes", lookup_tok, body, &st);
    CHECK_INTEQ(st, 200);
    CHECK_INTEQ(json_array_size(item_matches(j, 0)), 0);
    json_decref(j);
    /* Removing it again: 404 naming the id. */
    CHECK_INTEQ(http_req(port, "DELETE", "/v1/sets/live/entries", admin_tok, got, strlen(got),
                         &r), 0);
    CHECK_INTEQ(r.status, 404);
    CHECK(strstr(r.body, "\"field\":\"ids[0]\"") != NULL);
    http_free(&r);
}

enum { THREADS = 4, PER_THREAD = 20 };

static void *client(void *arg)
{
    char body[256];
    long ok = 0;
    int st;

    (void)arg;
    snprintf(body, sizeof body, "{\"items\":[{\"md5\":\"%s\"},{\"pdq\":\"%s\"}]}", t1_md5,
             BRIDGE);
    for (int i = 0; i < PER_THREAD; i++) {
        json_t *j = post_json("/v1/lookup/hashes", lookup_tok, body, &st);
        ok += st == 200 && json_integer_value(json_object_get(j, "matches")) == 3;
        json_decref(j);
    }
    return (void *)ok;
}

/* Adds and removes entries of "live" while the clients look up. */
static void *admin_client(void *arg)
{
    long ok = 0;
    int st;

    (void)arg;
    for (int i = 0; i < 10; i++) {
        char body[160];
        snprintf(body, sizeof body, "{\"entries\":[{\"md5\":\"%032d\"}]}", i + 1);
        json_t *j = post_json("/v1/sets/live/entries", admin_tok, body, &st);
        json_int_t id = json_integer_value(json_array_get(json_object_get(j, "ids"), 0));
        json_decref(j);
        snprintf(body, sizeof body, "{\"ids\":[%lld]}", (long long)id);
        http_resp r = {0};
        if (st == 200 && id > 0 &&
            http_req(port, "DELETE", "/v1/sets/live/entries", admin_tok, body, strlen(body),
                     &r) == 0)
            ok += r.status == 200;
        http_free(&r);
    }
    return (void *)ok;
}

static void test_concurrent(void)
{
    pthread_t t[THREADS], adm;
    long total = 0;
    void *adm_ok;

    pthread_create(&adm, NULL, admin_client, NULL);
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, client, NULL);
    for (int i = 0; i < THREADS; i++) {
        void *ok;
        pthread_join(t[i], &ok);
        total += (long)ok;
    }
    CHECK_INTEQ(total, THREADS * PER_THREAD);
    pthread_join(adm, &adm_ok);
    CHECK_INTEQ((long)adm_ok, 10);
}

static void test_metrics_and_log(const char *logpath)
{
    char *body = NULL;
    size_t len = 0;

    CHECK_INTEQ(get_status("/v1/metrics", NULL, NULL), 401);
    CHECK_INTEQ(get_status("/v1/metrics", lookup_tok, &body), 200);
    CHECK(body && strstr(body, "vigil_requests_total{endpoint=\"/v1/lookup/hashes\",status=\"200\"}"));
    CHECK(body && strstr(body, "vigil_requests_total{endpoint=\"/v1/lookup/hashes\",status=\"413\"} 1"));
    CHECK(body && strstr(body, "vigil_request_seconds_bucket{endpoint=\"/v1/health\",le=\"+Inf\"} 1"));
    CHECK(body && strstr(body, "vigil_auth_failures_total 4"));
    free(body);
    char *log = (char *)test_slurp(logpath, &len);
    CHECK(log != NULL);
    if (!log)
        return;
    log[len] = '\0';
    CHECK(strstr(log, "\"token\":null,\"method\":\"GET\",\"endpoint\":\"/v1/sets\",\"status\":401"));
    CHECK(strstr(log, "\"token\":\"reader\",\"method\":\"POST\",\"endpoint\":\"/v1/lookup/hashes\","
                      "\"status\":200,\"items\":4,\"matches\":4"));
    CHECK(strstr(log, "\"token\":\"boss\",\"method\":\"POST\",\"endpoint\":\"POST /v1/sets/{name}/"
                      "entries\",\"set\":\"live\",\"status\":200,\"items\":1"));
    CHECK_MSG(!strstr(log, t1_md5), "the log holds a looked-up hash without --log-queries");
    free(log);
}

/* Tokens added or removed while the server runs count at the next request. */
static void test_token_reload(const char *tokpath)
{
    char late[65];
    vg_error err;

    CHECK_INTEQ(vg_token_add(tokpath, "late", VG_ROLE_ADMIN, late, &err), VG_OK);
    CHECK_INTEQ(get_status("/v1/sets", late, NULL), 200);
    CHECK_INTEQ(vg_token_remove(tokpath, "late", &err), VG_OK);
    CHECK_INTEQ(get_status("/v1/sets", late, NULL), 401);
    CHECK_INTEQ(get_status("/v1/sets", lookup_tok, NULL), 200);
}

static void t1_digests(void)
{
    size_t len = 0;
    unsigned char *b = test_slurp(test_data("cli/t1.bin"), &len);
    vg_digests d;

    CHECK(b && vg_digest_buffer(b, len, 0, &d, NULL) == VG_OK);
    vg_hex_encode(d.md5, 16, t1_md5);
    vg_hex_encode(d.sha1, 20, t1_sha1);
    vg_hex_encode(d.sha256, 32, t1_sha256);
    free(b);
}

int main(void)
{
    char libpath[8192], tokpath[8300], logpath[8300];
    vg_serve_config cfg;
    vg_server *srv = NULL;
    vg_error err;
    vg_library *lib = make_library(libpath, sizeof libpath);

    CHECK(lib != NULL);
    if (!lib)
        TEST_DONE();
    vg_library_close(lib);
    t1_digests();
    CHECK_INTEQ(vg_tokens_path(libpath, tokpath, sizeof tokpath, &err), VG_OK);
    CHECK_INTEQ(vg_token_add(tokpath, "reader", VG_ROLE_LOOKUP, lookup_tok, &err), VG_OK);
    CHECK_INTEQ(vg_token_add(tokpath, "boss", VG_ROLE_ADMIN, admin_tok, &err), VG_OK);
    snprintf(logpath, sizeof logpath, "%s/access.log", test_tmpdir());
    vg_serve_config_init(&cfg);
    cfg.library = libpath;
    cfg.listen = "127.0.0.1:0";
    cfg.matcher_flags = VG_MATCHER_NO_CACHE;
    cfg.limits.max_body = 65536;
    cfg.limits.max_image = 1000000;
    cfg.limits.max_batch = 100;
    cfg.log = fopen(logpath, "w");
    CHECK(cfg.log != NULL);
    CHECK_INTEQ(vg_server_start(&cfg, &srv, &err), VG_OK);
    if (!srv) {
        fprintf(stderr, "start: %s\n", err.msg);
        TEST_DONE();
    }
    port = vg_server_port(srv);
    CHECK(port != 0);
    test_open_endpoints();
    test_t1();
    test_pdq();
    test_refusals();
    test_image();
    test_live();
    test_concurrent();
    test_metrics_and_log(logpath);
    test_token_reload(tokpath);
    vg_server_stop(srv);

    /* The per-request time limit: with a limit already past, a lookup stops
     * before its first item and answers 503 naming the items. */
    cfg.limits.max_seconds = 1e-9;
    CHECK_INTEQ(vg_server_start(&cfg, &srv, &err), VG_OK);
    if (srv) {
        char body[128];
        port = vg_server_port(srv);
        snprintf(body, sizeof body, "{\"items\":[{\"md5\":\"%s\"}]}", t1_md5);
        expect_error("/v1/lookup/hashes", lookup_tok, body, 503, "items");
        vg_server_stop(srv);
    }
    fclose(cfg.log);
    TEST_DONE();
}
