/* test_exact_index.c - exact digests: hits with every id, duplicates, misses, removal, batch, save/load. */
#include <stdlib.h>

#include "pdqgen.h"
#include "testutil.h"

#define N 20000

static uint8_t digests[VG_DIGEST_KINDS][N][32];

static void random_bytes(uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        p[i] = (uint8_t)gen_next();
}

static int has_id(const uint64_t *ids, size_t n, uint64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return 1;
    return 0;
}

/* Digest i of kind k carries id i*10+k; every 100th also i*10+k+5; the pair
 * added twice is stored once. Digests share 8-byte prefixes in pairs, so the
 * full comparison behind the fingerprint is exercised. */
static vg_exact_index *build(size_t expected)
{
    vg_exact_index *x = vg_exact_index_new(expected, NULL);
    for (int k = 0; k < VG_DIGEST_KINDS; k++) {
        size_t len = vg_digest_kind_len((vg_digest_kind)k);
        for (size_t i = 0; i < N; i++) {
            random_bytes(digests[k][i], len);
            if (i % 2 == 1)
                memcpy(digests[k][i], digests[k][i - 1], 8);
            CHECK(vg_exact_index_add(x, (vg_digest_kind)k, digests[k][i], i * 10 + (size_t)k,
                                     NULL) == VG_OK);
            if (i % 100 == 0) {
                vg_exact_index_add(x, (vg_digest_kind)k, digests[k][i], i * 10 + (size_t)k + 5,
                                   NULL);
                vg_exact_index_add(x, (vg_digest_kind)k, digests[k][i], i * 10 + (size_t)k + 5,
                                   NULL);
            }
        }
    }
    return x;
}

static void check_contents(const vg_exact_index *x, const char *stage)
{
    uint64_t ids[4];
    int bad = 0;
    for (int k = 0; k < VG_DIGEST_KINDS; k++) {
        CHECK_MSG(vg_exact_index_count(x, (vg_digest_kind)k) == N + N / 100, "%s kind %d",
                  stage, k);
        for (size_t i = 0; i < N; i++) {
            size_t n = vg_exact_index_find(x, (vg_digest_kind)k, digests[k][i], ids, 4);
            size_t want = i % 100 == 0 ? 2 : 1;
            bad += n != want || !has_id(ids, n, i * 10 + (size_t)k) ||
                   (want == 2 && !has_id(ids, n, i * 10 + (size_t)k + 5));
        }
        uint8_t miss[32];
        for (int i = 0; i < 1000; i++) {
            random_bytes(miss, 32);
            if (i % 2) /* same fingerprint as a stored digest, different tail */
                memcpy(miss, digests[k][i], 8);
            bad += vg_exact_index_find(x, (vg_digest_kind)k, miss, ids, 4) != 0;
        }
    }
    CHECK_MSG(bad == 0, "%s: %d wrong lookups", stage, bad);
}

static void check_batch(const vg_exact_index *x)
{
    static uint8_t q[2 * N][32];
    static uint32_t counts[2 * N];
    static uint64_t first[2 * N];
    size_t len = vg_digest_kind_len(VG_DIGEST_SHA1);
    uint8_t *flat = malloc(2 * N * len);
    for (size_t i = 0; i < 2 * N; i++) {
        if (i % 2 == 0)
            memcpy(q[i], digests[VG_DIGEST_SHA1][i / 2], len);
        else
            random_bytes(q[i], len);
        memcpy(flat + i * len, q[i], len);
    }
    vg_exact_index_find_batch(x, VG_DIGEST_SHA1, flat, 2 * N, counts, first);
    int bad = 0;
    for (size_t i = 0; i < 2 * N; i++) {
        size_t want = i % 2 ? 0 : (i / 2) % 100 == 0 ? 2 : 1;
        bad += counts[i] != want || (want && first[i] != (i / 2) * 10 + 1 &&
                                     first[i] != (i / 2) * 10 + 6);
    }
    CHECK_MSG(bad == 0, "batch: %d wrong", bad);
    free(flat);
}

static void check_remove(vg_exact_index *x)
{
    size_t removed = 9;
    uint64_t ids[4];
    CHECK(vg_exact_index_remove(x, 0 * 10 + 5, &removed, NULL) == VG_OK && removed == 1);
    CHECK(vg_exact_index_find(x, VG_DIGEST_MD5, digests[0][0], ids, 4) == 1 && ids[0] == 0);
    CHECK(vg_exact_index_remove(x, 33 * 10 + 2, &removed, NULL) == VG_OK && removed == 1);
    CHECK(vg_exact_index_find(x, VG_DIGEST_SHA256, digests[2][33], ids, 4) == 0);
    CHECK(vg_exact_index_remove(x, 1234567, &removed, NULL) == VG_OK && removed == 0);
    CHECK_INTEQ(vg_exact_index_count(x, VG_DIGEST_MD5), N + N / 100 - 1);
    /* Re-adding after removal reuses the deleted slots' runs correctly. */
    CHECK(vg_exact_index_add(x, VG_DIGEST_SHA256, digests[2][33], 332, NULL) == VG_OK);
    CHECK(vg_exact_index_find(x, VG_DIGEST_SHA256, digests[2][33], ids, 4) == 1 && ids[0] == 332);
}

static void check_file(vg_exact_index *x)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/exact.idx", test_tmpdir());
    CHECK(vg_exact_index_save(x, path, NULL) == VG_OK);
    vg_exact_index *y = NULL;
    CHECK(vg_exact_index_load(path, 0, &y, NULL) == VG_OK && y);
    if (y) {
        uint64_t ids[4];
        CHECK(vg_exact_index_count(y, VG_DIGEST_SHA1) == N + N / 100);
        CHECK(vg_exact_index_find(y, VG_DIGEST_SHA1, digests[1][7], ids, 4) == 1 && ids[0] == 71);
        CHECK(vg_exact_index_find(y, VG_DIGEST_SHA256, digests[2][33], ids, 4) == 1);
        CHECK(vg_exact_index_add(y, VG_DIGEST_MD5, digests[1][7], 99, NULL) == VG_OK);
        CHECK(vg_exact_index_find(y, VG_DIGEST_MD5, digests[1][7], ids, 4) == 1 && ids[0] == 99);
        /* The loaded slots are a read-only mapping: a removal copies them first. */
        size_t removed = 0;
        CHECK(vg_exact_index_remove(y, 71, &removed, NULL) == VG_OK && removed == 1);
        CHECK(vg_exact_index_find(y, VG_DIGEST_SHA1, digests[1][7], ids, 4) == 0);
        vg_exact_index_free(y);
    }
    /* ... and the file is as it was saved. */
    CHECK(vg_exact_index_load(path, 0, &y, NULL) == VG_OK && y);
    if (y) {
        uint64_t ids[4];
        CHECK(vg_exact_index_find(y, VG_DIGEST_SHA1, digests[1][7], ids, 4) == 1 && ids[0] == 71);
        CHECK(vg_exact_index_find(y, VG_DIGEST_MD5, digests[1][7], ids, 4) == 0);
        check_batch(y);
        vg_exact_index_free(y);
    }
    size_t len = 0;
    unsigned char *buf = test_slurp(path, &len);
    vg_error e;
    CHECK(buf && vg_exact_index_load_buffer(buf, len - 1, 0, &y, &e) == VG_ERR_TRUNCATED && !y);
    CHECK(vg_exact_index_load_buffer(buf, 100, 0, &y, &e) == VG_ERR_TRUNCATED);
    buf[len / 2] ^= 1;
    CHECK(vg_exact_index_load_buffer(buf, len, 0, &y, &e) == VG_ERR_CORRUPT);
    buf[len / 2] ^= 1;
    buf[0] = 'X';
    CHECK(vg_exact_index_load_buffer(buf, len, 0, &y, &e) == VG_ERR_FORMAT);
    free(buf);
    CHECK(vg_exact_index_load("/nonexistent/exact.idx", 0, &y, &e) == VG_ERR_OPEN);
}

int main(void)
{
    CHECK(vg_digest_kind_len(VG_DIGEST_MD5) == 16 && vg_digest_kind_len(VG_DIGEST_SHA1) == 20 &&
          vg_digest_kind_len(VG_DIGEST_SHA256) == 32 && vg_digest_kind_len(VG_DIGEST_KINDS) == 0);
    vg_exact_index *x = build(0); /* grows by rehashing */
    check_contents(x, "grown");
    vg_exact_index_free(x);
    gen_state = 0x1234567887654321ull;
    x = build(3 * N); /* presized */
    check_contents(x, "presized");
    check_batch(x);
    uint64_t id;
    CHECK(vg_exact_index_add(x, VG_DIGEST_KINDS, digests[0][0], 1, NULL) == VG_ERR_ARG);
    CHECK(vg_exact_index_find(x, VG_DIGEST_KINDS, digests[0][0], &id, 1) == 0);
    CHECK(vg_exact_index_add(x, VG_DIGEST_MD5, digests[0][0], UINT64_MAX, NULL) == VG_ERR_ARG);
    CHECK(vg_exact_index_add(x, VG_DIGEST_MD5, digests[0][0], VG_EXACT_MAX_ID, NULL) == VG_OK);
    CHECK(vg_exact_index_find(x, VG_DIGEST_MD5, digests[0][0], NULL, 0) == 3);
    CHECK(vg_exact_index_remove(x, VG_EXACT_MAX_ID, NULL, NULL) == VG_OK);
    check_remove(x);
    check_file(x);
    CHECK(vg_exact_index_memory(x) > 3 * N * 40);
    vg_exact_index_free(x);
    vg_exact_index *empty = vg_exact_index_new(0, NULL);
    CHECK(vg_exact_index_find(empty, VG_DIGEST_MD5, digests[0][0], &id, 1) == 0);
    uint32_t c = 7;
    vg_exact_index_find_batch(empty, VG_DIGEST_MD5, digests[0][0], 1, &c, NULL);
    CHECK(c == 0);
    vg_exact_index_free(empty);
    TEST_DONE();
}
