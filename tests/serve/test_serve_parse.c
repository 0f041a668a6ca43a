/* test_serve_parse.c - the pure request parsers and the tokens file: known
 * answers, every refusal naming its field, tokens stored only as hashes. */
#include "testutil.h"
#include "vigil/serve.h"
#include "vigil/util.h"

static vg_serve_limits lim;

static void parse_fails(const char *body, vg_status want, const char *field)
{
    vg_lookup_req q;
    vg_parse_error pe;
    vg_status st = vg_serve_parse_lookup(body, strlen(body), &lim, &q, &pe);

    CHECK_MSG(st == want, "%s: status %d, want %d (%s)", body, st, want, pe.err.msg);
    CHECK_MSG(strcmp(pe.field, field) == 0, "%s: field '%s', want '%s'", body, pe.field, field);
    CHECK(q.n == 0 && q.items == NULL);
}

static void test_lookup(void)
{
    const char *ok = "{\"radius\":12,\"items\":[{\"md5\":\"000102030405060708090A0B0C0D0E0F\","
                     "\"id\":\"x\\\"y\"},{\"pdq\":\"" "ff00000000000000000000000000000000000000"
                     "0000000000000000000000ff\",\"sha1\":\"0000000000000000000000000000000000000001\"}]}";
    vg_lookup_req q;
    vg_parse_error pe;

    CHECK_INTEQ(vg_serve_parse_lookup(ok, strlen(ok), &lim, &q, &pe), VG_OK);
    CHECK_INTEQ(q.n, 2);
    CHECK_INTEQ(q.radius, 12);
    CHECK_INTEQ(q.items[0].has, VG_LQ_MD5);
    CHECK_INTEQ(q.items[0].md5[15], 15);
    CHECK_STREQ(q.items[0].id, "\"x\\\"y\"");
    CHECK_INTEQ(q.items[1].has, VG_LQ_PDQ | VG_LQ_SHA1);
    CHECK_INTEQ(q.items[1].pdq.b[0], 0xff);
    CHECK_INTEQ(q.items[1].sha1[19], 1);
    CHECK(q.items[1].id == NULL);
    vg_lookup_req_free(&q);

    parse_fails("", VG_ERR_SYNTAX, "");
    parse_fails("{\"items\":[{\"sha256\":\"00\"}]}", VG_ERR_SYNTAX, "items[0].sha256");
    parse_fails("{\"items\":[{\"md5\":\"0000000000000000000000000000000g\"}]}", VG_ERR_SYNTAX,
                "items[0].md5");
    parse_fails("{\"items\":[{\"md5\":\"00000000000000000000000000000000\",\"id\":[1]}]}",
                VG_ERR_SYNTAX, "items[0].id");
    parse_fails("{\"items\":[{\"md5\":\"00000000000000000000000000000000\"}],\"radius\":-1}",
                VG_ERR_LIMIT, "radius");
    parse_fails("{\"items\":[{\"md5\":\"00000000000000000000000000000000\"}],\"radius\":1.5}",
                VG_ERR_SYNTAX, "radius");
    parse_fails("{\"items\":{}}", VG_ERR_SYNTAX, "items");
    parse_fails("{\"x\":1}", VG_ERR_SYNTAX, "x");
    parse_fails("{\"items\":[1]}", VG_ERR_SYNTAX, "items[0]");
    parse_fails("{\"items\":[{\"md5\":\"[[[[[[[[[[[[[\"}]}", VG_ERR_SYNTAX, "items[0].md5");
    parse_fails("[[[[[[[[[[]]]]]]]]]]", VG_ERR_LIMIT, "");
    lim.max_body = 10;
    parse_fails("{\"items\":[]}", VG_ERR_LIMIT_SIZE, "");
    vg_serve_limits_init(&lim);
}

static void test_entries(void)
{
    const char *add = "{\"entries\":[{\"sha256\":\"" "000000000000000000000000000000000000000000"
                      "0000000000000000000000\",\"name\":\"a.jpg\",\"category\":\"2\","
                      "\"labels\":[\"p\",\"q\"],\"pdq_quality\":80}]}";
    vg_entries_req q;
    vg_parse_error pe;

    CHECK_INTEQ(vg_serve_parse_entries_add(add, strlen(add), &lim, &q, &pe), VG_OK);
    CHECK_INTEQ(q.n, 1);
    CHECK_INTEQ(q.entries[0].has, VG_HS_HAS_SHA256);
    CHECK_STREQ(q.entries[0].name, "a.jpg");
    CHECK_STREQ(q.entries[0].category, "2");
    CHECK_INTEQ(q.entries[0].n_labels, 2);
    CHECK_STREQ(q.entries[0].labels[1], "q");
    CHECK_INTEQ(q.entries[0].pdq_quality, 80);
    vg_entries_req_free(&q);
    add = "{\"entries\":[{\"md5\":\"00000000000000000000000000000000\",\"labels\":[\"a\",2]}]}";
    CHECK_INTEQ(vg_serve_parse_entries_add(add, strlen(add), &lim, &q, &pe), VG_ERR_SYNTAX);
    CHECK_STREQ(pe.field, "entries[0].labels[1]");
    add = "{\"entries\":[{\"md5\":\"00\"}]}";
    CHECK_INTEQ(vg_serve_parse_entries_add(add, strlen(add), &lim, &q, &pe), VG_ERR_SYNTAX);
    CHECK_STREQ(pe.field, "entries[0].md5");
    add = "{\"ids\":[3,4]}";
    CHECK_INTEQ(vg_serve_parse_entries_remove(add, strlen(add), &lim, &q, &pe), VG_OK);
    CHECK_INTEQ(q.n_ids, 2);
    CHECK_INTEQ(q.ids[1], 4);
    vg_entries_req_free(&q);
    add = "{\"ids\":[3,0]}";
    CHECK_INTEQ(vg_serve_parse_entries_remove(add, strlen(add), &lim, &q, &pe), VG_ERR_SYNTAX);
    CHECK_STREQ(pe.field, "ids[1]");
}

static void test_tokens(void)
{
    char path[8192], tok[65], tok2[65];
    vg_token_info *v;
    size_t n;
    vg_error err;
    struct stat sb;

    snprintf(path, sizeof path, "%s/t.tokens", test_tmpdir());
    remove(path);
    CHECK_INTEQ(vg_token_list(path, &v, &n, &err), VG_OK);
    CHECK_INTEQ(n, 0);
    CHECK_INTEQ(vg_token_add(path, "a", VG_ROLE_LOOKUP, tok, &err), VG_OK);
    CHECK_INTEQ(strlen(tok), 64);
    CHECK_INTEQ(vg_token_add(path, "b", VG_ROLE_ADMIN, tok2, &err), VG_OK);
    CHECK(strcmp(tok, tok2) != 0);
    CHECK_INTEQ(vg_token_add(path, "a", VG_ROLE_ADMIN, tok2, &err), VG_ERR_EXISTS);
    CHECK_INTEQ(vg_token_add(path, "../x", VG_ROLE_ADMIN, tok2, &err), VG_ERR_ARG);
    CHECK(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600);
    size_t len = 0;
    char *text = (char *)test_slurp(path, &len);
    CHECK(text != NULL);
    if (text) {
        text[len] = '\0';
        CHECK_MSG(!strstr(text, tok), "the token itself is in the file");
        free(text);
    }
    CHECK_INTEQ(vg_token_list(path, &v, &n, &err), VG_OK);
    CHECK_INTEQ(n, 2);
    if (n == 2) {
        CHECK_STREQ(v[1].name, "b");
        CHECK_INTEQ(v[1].role, VG_ROLE_ADMIN);
    }
    free(v);
    CHECK_INTEQ(vg_token_remove(path, "a", &err), VG_OK);
    CHECK_INTEQ(vg_token_remove(path, "a", &err), VG_ERR_NOTFOUND);
    CHECK_INTEQ(vg_token_list(path, &v, &n, &err), VG_OK);
    CHECK_INTEQ(n, 1);
    free(v);
}

int main(void)
{
    vg_serve_limits_init(&lim);
    test_lookup();
    test_entries();
    test_tokens();
    TEST_DONE();
}
