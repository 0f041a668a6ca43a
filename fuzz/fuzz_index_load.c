/* fuzz_index_load.c - the PDQ and exact index loaders on damaged and arbitrary files.
 *
 * Input byte 0 picks the target. Modes 0/1 feed the rest of the input as a
 * whole file (PDQ / exact); modes 2/3 take a real index built here once and
 * apply the input as damage: a truncation length and (offset, xor) pairs, then
 * load it with and without the checksum (without, the structural checks and
 * the query code must cope with whatever the damage left). Whatever loads is
 * queried, changed and (byte 0 bit 2) compacted. With byte 0 bit 3 an exact
 * index is also written to a file and loaded from it, which maps it and uses
 * it in place until the first change copies a table.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vigil/index.h"

static unsigned char *pdq_file, *exact_file;
static size_t pdq_len, exact_len;

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *b = NULL;
    if (f && fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        rewind(f);
        b = malloc((size_t)n + 8);
        if (b && fread(b, 1, (size_t)n, f) == (size_t)n)
            *len = (size_t)n;
    }
    if (f)
        fclose(f);
    return b;
}

static void build_files(void)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/fuzz_index_load.%d", (int)getpid());
    vg_pdq_index *p = vg_pdq_index_new(NULL);
    vg_exact_index *x = vg_exact_index_new(0, NULL);
    uint64_t s = 12345;
    for (uint64_t i = 0; i < 200; i++) {
        vg_pdq h;
        uint8_t d[32];
        for (int j = 0; j < 32; j++) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            h.b[j] = d[j] = (uint8_t)(s >> 56);
        }
        vg_pdq_index_add(p, &h, i, NULL);
        vg_exact_index_add(x, (vg_digest_kind)(i % 3), d, i, NULL);
    }
    vg_pdq_index_save(p, path, NULL);
    pdq_file = slurp(path, &pdq_len);
    vg_exact_index_save(x, path, NULL);
    exact_file = slurp(path, &exact_len);
    unlink(path);
    vg_pdq_index_free(p);
    vg_exact_index_free(x);
}

static int compact_too, mapped_too;

static void use_pdq(vg_pdq_index *p)
{
    vg_pdq q[VG_PDQ_VARIANTS];
    vg_pdq_results r = {0};
    vg_pdq_query_opts o;
    memset(q, 0x5a, sizeof q);
    vg_pdq_query_opts_init(&o);
    for (int rad = 0; rad <= 64; rad += 32) {
        o.radius = rad;
        o.method = VG_PDQ_MIH;
        vg_pdq_index_query(p, q, 1, 100, &o, &r, NULL);
        o.method = VG_PDQ_SCAN;
        vg_pdq_index_query(p, q, VG_PDQ_VARIANTS, 100, &o, &r, NULL);
    }
    vg_pdq_index_add(p, &q[0], 1, NULL);
    vg_pdq_index_remove(p, 3, NULL, NULL);
    if (compact_too) /* costs a 4 MiB rebuild: only when asked */
        vg_pdq_index_compact(p, NULL);
    vg_pdq_results_free(&r);
}

static void use_exact(vg_exact_index *x)
{
    uint8_t d[32] = {0};
    uint64_t ids[4];
    uint32_t c;
    for (int k = 0; k < VG_DIGEST_KINDS; k++) {
        vg_exact_index_find(x, (vg_digest_kind)k, d, ids, 4);
        vg_exact_index_find_batch(x, (vg_digest_kind)k, d, 1, &c, ids);
    }
    vg_exact_index_add(x, VG_DIGEST_MD5, d, 9, NULL);
    vg_exact_index_remove(x, 7, NULL, NULL);
}

/* The exact loader's file path: mapped, used in place, copied on change. */
static void load_mapped(const unsigned char *b, size_t len, unsigned flags)
{
    static char path[64];
    vg_exact_index *x = NULL;
    FILE *f;

    if (!path[0])
        snprintf(path, sizeof path, "/tmp/fuzz_index_mapped.%d", (int)getpid());
    if (!(f = fopen(path, "wb")))
        return;
    int ok = fwrite(b, 1, len, f) == len;
    if (fclose(f) == 0 && ok && vg_exact_index_load(path, flags, &x, NULL) == VG_OK) {
        use_exact(x);
        vg_exact_index_free(x);
    }
    unlink(path);
}

static void load_both(const unsigned char *b, size_t len, int pdq)
{
    for (unsigned flags = 0; flags <= VG_INDEX_LOAD_NOVERIFY; flags++) {
        if (pdq) {
            vg_pdq_index *p = NULL;
            if (vg_pdq_index_load_buffer(b, len, flags, &p, NULL) == VG_OK) {
                use_pdq(p);
                vg_pdq_index_free(p);
            }
        } else {
            vg_exact_index *x = NULL;
            if (vg_exact_index_load_buffer(b, len, flags, &x, NULL) == VG_OK) {
                use_exact(x);
                vg_exact_index_free(x);
            }
            if (mapped_too)
                load_mapped(b, len, flags);
        }
    }
}

/* A real file, cut at a length from the input and xored at its offsets. The
 * damage is undone afterwards rather than copying megabytes per run. */
static void damage(unsigned char *b, size_t srclen, const uint8_t *in, size_t n, int pdq)
{
    size_t len = srclen, at[64], k = 0;
    uint8_t x[64];
    if (n >= 4) {
        uint32_t cut;
        memcpy(&cut, in, 4);
        if (cut & 1)
            len = (size_t)(cut >> 1) % (srclen + 1);
        in += 4, n -= 4;
    }
    for (; n >= 5 && k < 64; in += 5, n -= 5) {
        uint32_t off;
        memcpy(&off, in, 4);
        /* Half the pairs land in the first 4 KiB, where headers and offsets are. */
        at[k] = (off & 1) ? (off >> 1) % 4096 : (size_t)off % srclen;
        x[k] = in[4];
        b[at[k]] ^= x[k];
        k++;
    }
    load_both(b, len, pdq);
    while (k-- > 0)
        b[at[k]] ^= x[k];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!pdq_file)
        build_files();
    if (size < 1 || !pdq_file || !exact_file)
        return 0;
    int mode = data[0] & 3;
    compact_too = (data[0] & 4) != 0;
    mapped_too = (data[0] & 8) != 0;
    if (mode < 2) {
        uint64_t *b = malloc(size + 8); /* loaders want 8-byte alignment */
        if (!b)
            return 0;
        memcpy(b, data + 1, size - 1);
        load_both((const unsigned char *)b, size - 1, mode == 0);
        free(b);
    } else if (mode == 2) {
        damage(pdq_file, pdq_len, data + 1, size - 1, 1);
    } else {
        damage(exact_file, exact_len, data + 1, size - 1, 0);
    }
    return 0;
}
