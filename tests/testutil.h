/* testutil.h - the few macros vigil's C tests share.
 *
 * CHECK(cond) records a failure with file and line and goes on, so one run
 * shows every broken assertion; TEST_DONE() prints "N passed, N failed" and
 * returns the exit status. Test data lives under $VG_TEST_DATA; scratch files
 * go below $VG_TEST_TMP (created on demand by test_tmpdir()).
 */
#ifndef VIGIL_TESTUTIL_H
#define VIGIL_TESTUTIL_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int test_passed, test_failed;

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (cond) {                                                          \
            test_passed++;                                                   \
        } else {                                                             \
            test_failed++;                                                   \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                  \
        }                                                                    \
    } while (0)

#define CHECK_MSG(cond, ...)                                                 \
    do {                                                                     \
        if (cond) {                                                          \
            test_passed++;                                                   \
        } else {                                                             \
            test_failed++;                                                   \
            fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, \
                    #cond);                                                  \
            fprintf(stderr, __VA_ARGS__);                                    \
            fputc('\n', stderr);                                             \
        }                                                                    \
    } while (0)

#define CHECK_STREQ(a, b) CHECK_MSG(strcmp((a), (b)) == 0, "'%s' != '%s'", (a), (b))
#define CHECK_INTEQ(a, b) \
    CHECK_MSG((long long)(a) == (long long)(b), "%lld != %lld", (long long)(a), (long long)(b))

#define TEST_DONE()                                                      \
    do {                                                                 \
        printf("%d passed, %d failed\n", test_passed, test_failed);      \
        return test_failed ? 1 : 0;                                      \
    } while (0)

/* Path of a test data file: $VG_TEST_DATA/rel, in a static buffer. */
static inline const char *test_data(const char *rel)
{
    static char buf[4096];
    const char *d = getenv("VG_TEST_DATA");
    snprintf(buf, sizeof buf, "%s/%s", d ? d : "tests/data", rel);
    return buf;
}

/* Creates (mkdir -p) and returns the test's scratch directory. */
static inline const char *test_tmpdir(void)
{
    static char buf[4096];
    const char *d = getenv("VG_TEST_TMP");
    snprintf(buf, sizeof buf, "%s", d ? d : "/tmp/vigil-test");
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(buf, 0755);
            *p = '/';
        }
    }
    mkdir(buf, 0755);
    return buf;
}

/* Reads a whole file into malloc'd memory; NULL on error. */
static inline unsigned char *test_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long n;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)n + 1);
        if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        }
        if (buf)
            *len = (size_t)n;
    }
    fclose(f);
    return buf;
}

#endif
