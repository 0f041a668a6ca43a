/* test_pdq_file.c - a saved PDQ index maps back with the same answers; damaged files are refused. */
#include <stdlib.h>
#include <unistd.h>

#include "pdqgen.h"
#include "testutil.h"

#define N 30000

static vg_pdq hs[N + 100];
static uint64_t ids[N + 100];

static int same_answer(vg_pdq_index *a, vg_pdq_index *b, const vg_pdq *q, int radius)
{
    vg_pdq_results ra = {0}, rb = {0};
    vg_pdq_query_opts o;
    vg_pdq_query_opts_init(&o);
    o.radius = radius;
    int ok = vg_pdq_index_query(a, q, 1, 100, &o, &ra, NULL) == VG_OK &&
             vg_pdq_index_query(b, q, 1, 100, &o, &rb, NULL) == VG_OK && ra.n == rb.n &&
             ra.n > 0;
    for (size_t i = 0; ok && i < ra.n; i++)
        ok = ra.v[i].id == rb.v[i].id && ra.v[i].distance == rb.v[i].distance &&
             ra.v[i].variant == rb.v[i].variant;
    if (!ok)
        fprintf(stderr, "radius %d: %zu vs %zu matches\n", radius, ra.n, rb.n);
    vg_pdq_results_free(&ra);
    vg_pdq_results_free(&rb);
    return ok;
}

static void write_bytes(const char *path, const unsigned char *b, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(b, 1, len, f);
        fclose(f);
    }
}

static vg_status load_status(const char *path, unsigned flags)
{
    vg_pdq_index *y = (vg_pdq_index *)1;
    vg_error e;
    vg_status st = vg_pdq_index_load(path, flags, &y, &e);
    CHECK(st == VG_OK ? y != NULL : y == NULL);
    CHECK(st == VG_OK || e.msg[0] != '\0');
    vg_pdq_index_free(y);
    return st;
}

static void check_damage(const char *path, const char *bad)
{
    size_t len = 0;
    unsigned char *b = test_slurp(path, &len);
    CHECK(b && len > 1000);
    if (!b)
        return;
    write_bytes(bad, b, len - 1);
    CHECK_INTEQ(load_status(bad, 0), VG_ERR_TRUNCATED);
    write_bytes(bad, b, 64);
    CHECK_INTEQ(load_status(bad, 0), VG_ERR_TRUNCATED);
    write_bytes(bad, b, 0);
    CHECK_INTEQ(load_status(bad, 0), VG_ERR_TRUNCATED);
    b[len - 5] ^= 0x10; /* body damage: the checksum catches it */
    write_bytes(bad, b, len);
    CHECK_INTEQ(load_status(bad, 0), VG_ERR_CORRUPT);
    CHECK_INTEQ(load_status(bad, VG_INDEX_LOAD_NOVERIFY), VG_OK);
    b[len - 5] ^= 0x10;
    size_t off_at = 128 + (size_t)(N + 100) * 40 + 4 * 100; /* an offset in slot 0 */
    b[off_at + 3] ^= 0x80;
    write_bytes(bad, b, len);
    CHECK_INTEQ(load_status(bad, VG_INDEX_LOAD_NOVERIFY), VG_ERR_CORRUPT);
    b[off_at + 3] ^= 0x80;
    b[16] ^= 1; /* the count of hashes */
    write_bytes(bad, b, len);
    CHECK_INTEQ(load_status(bad, 0), VG_ERR_CORRUPT);
    b[16] ^= 1;
    b[8] = 99; /* version */
    write_bytes(bad, b, len);
    CHECK_INTEQ(load_status(bad, 0), VG_ERR_FORMAT);
    b[0] = 'Z';
    write_bytes(bad, b, len);
    CHECK_INTEQ(load_status(bad, 0), VG_ERR_FORMAT);
    vg_pdq_index *y = NULL;
    CHECK(vg_pdq_index_load_buffer(b + 1, len - 1, 0, &y, NULL) == VG_ERR_ARG && !y);
    free(b);
    CHECK_INTEQ(load_status("/nonexistent/dir/pdq.idx", 0), VG_ERR_OPEN);
}

int main(void)
{
    vg_pdq centre;
    gen_random(&centre);
    for (size_t i = 0; i < N + 100; i++) {
        if (i % 300 == 0)
            gen_flip(&centre, (int)(i / 300) % 40, &hs[i]);
        else
            gen_random(&hs[i]);
        ids[i] = i * 7919 + 3;
    }
    vg_pdq_index *x = vg_pdq_index_new(NULL);
    CHECK(vg_pdq_index_add_many(x, hs, ids, N, NULL) == VG_OK);
    CHECK(vg_pdq_index_compact(x, NULL) == VG_OK);
    CHECK(vg_pdq_index_add_many(x, hs + N, ids + N, 100, NULL) == VG_OK); /* delta */
    size_t removed = 0;
    CHECK(vg_pdq_index_remove(x, ids[300], &removed, NULL) == VG_OK && removed == 1);

    char path[4200], bad[4200];
    snprintf(path, sizeof path, "%s/pdq.idx", test_tmpdir());
    snprintf(bad, sizeof bad, "%s/bad.idx", test_tmpdir());
    CHECK(vg_pdq_index_save(x, path, NULL) == VG_OK); /* compacts first */
    vg_pdq_index *y = NULL;
    CHECK(vg_pdq_index_load(path, 0, &y, NULL) == VG_OK && y);
    if (!y)
        TEST_DONE();
    CHECK_INTEQ(vg_pdq_index_count(y), N + 100 - 1);
    static const int radii[] = {0, 31, 32, 64, 100};
    for (size_t r = 0; r < sizeof radii / sizeof radii[0]; r++)
        CHECK_MSG(same_answer(x, y, &centre, radii[r]), "radius %d", radii[r]);
    CHECK(same_answer(x, y, &hs[N + 50], 0));

    /* A mapped index takes adds, removals and compaction (which moves it to the heap). */
    vg_pdq extra;
    gen_flip(&centre, 3, &extra);
    CHECK(vg_pdq_index_add(y, &extra, 5, NULL) == VG_OK);
    CHECK(vg_pdq_index_add(x, &extra, 5, NULL) == VG_OK);
    CHECK(vg_pdq_index_remove(y, ids[600], &removed, NULL) == VG_OK && removed == 1);
    CHECK(vg_pdq_index_remove(x, ids[600], &removed, NULL) == VG_OK && removed == 1);
    CHECK(same_answer(x, y, &centre, 31));
    CHECK(vg_pdq_index_compact(y, NULL) == VG_OK);
    CHECK(same_answer(x, y, &centre, 31));
    vg_pdq_index_free(y);

    check_damage(path, bad);
    vg_pdq_index *empty = vg_pdq_index_new(NULL);
    CHECK(vg_pdq_index_save(empty, bad, NULL) == VG_OK);
    CHECK(vg_pdq_index_load(bad, 0, &y, NULL) == VG_OK && vg_pdq_index_count(y) == 0);
    vg_pdq_index_free(y);
    vg_pdq_index_free(empty);
    vg_pdq_index_free(x);
    unlink(bad);
    TEST_DONE();
}
