/* test_core.c - status messages, hex and base32 helpers. */
#include "testutil.h"
#include "vigil/status.h"
#include "vigil/text.h"
#include "vigil/util.h"

static void test_status(void)
{
    vg_error err;
    vg_status st = vg_errorf(&err, VG_ERR_TRUNCATED, "truncated JPEG at offset %d", 12);
    CHECK_INTEQ(st, VG_ERR_TRUNCATED);
    CHECK_STREQ(err.msg, "truncated JPEG at offset 12");
    vg_error_prefix(&err, "a.jpg");
    CHECK_STREQ(err.msg, "a.jpg: truncated JPEG at offset 12");
    CHECK_STREQ(vg_status_name(VG_ERR_LIMIT_PIXELS), "limit_pixels");
    /* every code has its own name and description */
    for (int i = 0; i < VG_STATUS_LAST; i++) {
        CHECK(strcmp(vg_status_name((vg_status)i), "unknown") != 0);
        CHECK(strcmp(vg_strerror((vg_status)i), "unknown error") != 0);
    }
    CHECK_INTEQ(vg_errorf(NULL, VG_ERR_IO, "x"), VG_ERR_IO);
}

static void test_hex(void)
{
    const uint8_t in[] = {0x00, 0x9f, 0xa0, 0xff};
    char hex[9];
    uint8_t out[4];
    vg_hex_encode(in, 4, hex);
    CHECK_STREQ(hex, "009fa0ff");
    CHECK(vg_hex_decode("009FA0ff", 4, out) == 0);
    CHECK(memcmp(in, out, 4) == 0);
    CHECK(vg_hex_decode("009FA0fg", 4, out) == -1);
    CHECK(vg_hex_decode("0", 1, out) == -1); /* odd length: NUL is not hex */
}

static void test_base32(void)
{
    /* RFC 4648 section 10 vectors (without padding). */
    char out[32];
    vg_base32_encode((const uint8_t *)"f", 1, out);
    CHECK_STREQ(out, "MY");
    vg_base32_encode((const uint8_t *)"fooba", 5, out);
    CHECK_STREQ(out, "MZXW6YTB");
    vg_base32_encode((const uint8_t *)"foobar", 6, out);
    CHECK_STREQ(out, "MZXW6YTBOI");
}

/* What fn writes for s, in a static buffer. */
static const char *written(void (*fn)(FILE *, const char *), const char *s)
{
    static char out[256];
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fn(f, s);
    fclose(f);
    snprintf(out, sizeof out, "%s", buf ? buf : "");
    free(buf);
    return out;
}

static void json_str(FILE *f, const char *s) { vg_json_str(f, s); }

static void test_text(void)
{
    CHECK_STREQ(written(json_str, "a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
    CHECK_STREQ(written(json_str, "caf\xc3\xa9"), "\"caf\xc3\xa9\"");      /* valid UTF-8 kept */
    CHECK_STREQ(written(json_str, "bad\xff\xc0\xaf"), "\"bad\\ufffd\\ufffd\\ufffd\"");
    CHECK(vg_utf8_valid("caf\xc3\xa9") && !vg_utf8_valid("\xed\xa0\x80")); /* surrogate */
    CHECK(!vg_utf8_valid("\xc0\xaf")); /* overlong '/' */
    CHECK_STREQ(written(vg_csv_field, "plain"), "plain");
    CHECK_STREQ(written(vg_csv_field, "a,\"b\""), "\"a,\"\"b\"\"\"");
    CHECK_STREQ(written(vg_csv_field, " lead"), "\" lead\"");
    CHECK_STREQ(written(vg_xml_text, "<a href='x'>&\x02</a>"),
                "&lt;a href=&apos;x&apos;&gt;&amp;\xef\xbf\xbd&lt;/a&gt;");
}

int main(void)
{
    test_text();
    test_status();
    test_hex();
    test_base32();
    TEST_DONE();
}
