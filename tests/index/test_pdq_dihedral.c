/* test_pdq_dihedral.c - dihedral queries find the rotated and flipped bridge photographs.
 *
 * The index holds the reference hashes of the 20 bridge files
 * (tests/data/pdq/expected-pdq-cpp.csv: the original, its 7 rotations and
 * flips, 12 edits). The query is the 8 variants the reference derives from
 * the original alone (expected-pdq-cpp-dihedral.csv). Each transformed file
 * must match through its own variant; a plain query of the original must not
 * reach the rotations (104-130 bits away, shared/notes/pdq.md).
 */
#include <stdlib.h>

#include "testutil.h"
#include "vigil/index.h"
#include "vigil/util.h"

#define MAXROWS 32

typedef struct row {
    char file[128];
    vg_pdq h;
} row;

/* Rows of "file,...,hex,..." where the hash is field hexfield (0-based). */
static size_t read_csv(const char *rel, int hexfield, row *rows)
{
    size_t len = 0, n = 0;
    char *text = (char *)test_slurp(test_data(rel), &len);
    if (!text)
        return 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line && n < MAXROWS;
         line = strtok_r(NULL, "\n", &save)) {
        char *f[6] = {0}, *fs = NULL;
        int nf = 0;
        for (char *t = strtok_r(line, ",", &fs); t && nf < 6; t = strtok_r(NULL, ",", &fs))
            f[nf++] = t;
        if (nf <= hexfield || strlen(f[hexfield]) != 64 ||
            vg_hex_decode(f[hexfield], 32, rows[n].h.b) != 0)
            continue; /* the header */
        snprintf(rows[n].file, sizeof rows[n].file, "%s", f[0]);
        n++;
    }
    free(text);
    return n;
}

/* dih/bridge-K-...: the variant of that file is K-1; -1 for the edits. */
static int variant_of(const char *file)
{
    const char *p = strstr(file, "dih/bridge-");
    return p ? p[11] - '1' : -1;
}

int main(void)
{
    static row files[MAXROWS], dih[MAXROWS];
    size_t nf = read_csv("pdq/expected-pdq-cpp.csv", 1, files);
    size_t nd = read_csv("pdq/expected-pdq-cpp-dihedral.csv", 2, dih);
    CHECK_INTEQ(nf, 20);
    CHECK_INTEQ(nd, VG_PDQ_VARIANTS);
    if (nf != 20 || nd != VG_PDQ_VARIANTS)
        TEST_DONE();
    vg_pdq q[VG_PDQ_VARIANTS];
    for (int v = 0; v < VG_PDQ_VARIANTS; v++)
        q[v] = dih[v].h;

    vg_pdq_index *x = vg_pdq_index_new(NULL);
    for (size_t i = 0; i < nf; i++)
        CHECK(vg_pdq_index_add(x, &files[i].h, i, NULL) == VG_OK);
    for (int pass = 0; pass < 2; pass++) { /* delta segment, then main */
        vg_pdq_results r = {0};
        CHECK(vg_pdq_index_query(x, q, VG_PDQ_VARIANTS, 100, NULL, &r, NULL) == VG_OK);
        int found[VG_PDQ_VARIANTS] = {0};
        for (size_t i = 0; i < r.n; i++) {
            int v = variant_of(files[r.v[i].id].file);
            if (v >= 0) {
                found[v] = 1;
                CHECK_MSG(r.v[i].variant == v && r.v[i].distance <= 18, "%s: variant %u at %u",
                          files[r.v[i].id].file, r.v[i].variant, r.v[i].distance);
            } else {
                CHECK_MSG(r.v[i].variant == VG_PDQ_ORIG, "%s: variant %u",
                          files[r.v[i].id].file, r.v[i].variant);
            }
        }
        for (int v = 0; v < VG_PDQ_VARIANTS; v++)
            CHECK_MSG(found[v], "pass %d: no match for variant %d", pass, v);

        CHECK(vg_pdq_index_query(x, &q[0], 1, 100, NULL, &r, NULL) == VG_OK);
        for (size_t i = 0; i < r.n; i++)
            CHECK_MSG(variant_of(files[r.v[i].id].file) <= 0, "plain query reached %s",
                      files[r.v[i].id].file);
        CHECK(r.n >= 1 && r.v[0].id == 0 && r.v[0].distance == 0);
        vg_pdq_results_free(&r);
        CHECK(vg_pdq_index_compact(x, NULL) == VG_OK);
    }
    vg_pdq_index_free(x);
    TEST_DONE();
}
