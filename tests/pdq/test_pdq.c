/* test_pdq.c - PDQ against the C++ reference's own output, bit for bit.
 *
 * tests/data/pdq holds the reference's test images (the "bridge" photograph
 * and its edits) and the hashes and qualities pdq-photo-hasher printed for
 * them (see README.txt there). Every file must hash to distance 0 with equal
 * quality, and the 8 dihedral hashes derived from one DCT must equal the
 * reference's --pdqdih output. */
#include <stdint.h>

#include "testutil.h"
#include "vigil/pdq.h"

/* Decodes and hashes one test file as the CLI does in exact mode. */
static int hash_file(const char *rel, int dihedral, vg_pdq *out, int *quality, int fast)
{
    size_t len = 0;
    uint8_t *buf = test_slurp(test_data(rel), &len);
    vg_decode_opts o = {0};
    vg_image img;
    vg_error err = {0};
    vg_status st;

    CHECK_MSG(buf != NULL, "cannot read %s", rel);
    if (!buf)
        return -1;
    vg_pdq_decode_opts(&o, fast);
    st = vg_image_decode(buf, len, &o, &img, &err);
    CHECK_MSG(st == VG_OK, "%s: %s", rel, err.msg);
    if (st == VG_OK) {
        st = vg_pdq_hash(&img, dihedral, out, quality, &err);
        CHECK_MSG(st == VG_OK, "%s: %s", rel, err.msg);
    }
    vg_image_free(&img);
    free(buf);
    return st == VG_OK ? 0 : -1;
}

/* Splits a CSV line in place into at most max fields. */
static int split(char *line, char **f, int max)
{
    int n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    for (char *p = line; n < max; n++) {
        f[n] = p;
        p = strchr(p, ',');
        if (!p)
            return n + 1;
        *p++ = '\0';
    }
    return n;
}

static void test_reference_hashes(void)
{
    FILE *f = fopen(test_data("pdq/expected-pdq-cpp.csv"), "r");
    char line[512], *fld[5];
    int rows = 0;

    CHECK(f != NULL);
    if (!f)
        return;
    fgets(line, sizeof line, f); /* header */
    while (fgets(line, sizeof line, f)) {
        char rel[300], hex[VG_PDQ_HEX_LEN + 1];
        vg_pdq got, want;
        int q = -1;
        if (split(line, fld, 5) != 5)
            continue;
        snprintf(rel, sizeof rel, "pdq/%s", fld[0]);
        CHECK(vg_pdq_from_hex(fld[1], &want) == VG_OK);
        if (hash_file(rel, 0, &got, &q, 0) != 0)
            continue;
        vg_pdq_to_hex(&got, hex);
        CHECK_MSG(vg_pdq_distance(&got, &want) == 0, "%s: got %s want %s (distance %d)", rel,
                  hex, fld[1], vg_pdq_distance(&got, &want));
        CHECK_MSG(q == atoi(fld[2]), "%s: quality %d want %s", rel, q, fld[2]);
        /* fast mode stays within upstream's tolerance for ports (<= 10 bits
         * at quality >= 80) */
        if (hash_file(rel, 0, &got, &q, 1) == 0) {
            int d = vg_pdq_distance(&got, &want);
            printf("fast %-36s distance %d\n", rel, d);
            CHECK_MSG(d <= 10, "%s: fast mode %d bits from the reference", rel, d);
        }
        rows++;
    }
    fclose(f);
    CHECK_INTEQ(rows, 20);
}

static void test_reference_dihedral(void)
{
    FILE *f = fopen(test_data("pdq/expected-pdq-cpp-dihedral.csv"), "r");
    char line[512], *fld[4];
    vg_pdq got[VG_PDQ_VARIANTS];
    int q = -1, rows = 0;

    CHECK(f != NULL);
    if (!f)
        return;
    CHECK(hash_file("pdq/dih/bridge-1-original.jpg", 1, got, &q, 0) == 0);
    fgets(line, sizeof line, f);
    while (fgets(line, sizeof line, f)) {
        vg_pdq want;
        char hex[VG_PDQ_HEX_LEN + 1];
        if (split(line, fld, 4) != 4)
            continue;
        CHECK(vg_pdq_from_hex(fld[2], &want) == VG_OK);
        for (int v = 0; v < VG_PDQ_VARIANTS; v++) {
            if (strcmp(vg_pdq_variant_name((vg_pdq_variant)v), fld[1]) != 0)
                continue;
            vg_pdq_to_hex(&got[v], hex);
            CHECK_MSG(vg_pdq_distance(&got[v], &want) == 0, "%s: got %s want %s", fld[1], hex,
                      fld[2]);
            CHECK_INTEQ(q, atoi(fld[3]));
            rows++;
        }
    }
    fclose(f);
    CHECK_INTEQ(rows, VG_PDQ_VARIANTS);
}

static void test_hex_and_distance(void)
{
    const char *a = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";
    const char *b = "D0F8F0CEC0F4A84F0E370A22238F67F0B36A2EF596231E1D73E6A39C4E9C9B22";
    char hex[VG_PDQ_HEX_LEN + 1];
    vg_pdq ha, hb, inv;

    CHECK(vg_pdq_from_hex(a, &ha) == VG_OK);
    CHECK_INTEQ(ha.b[0], 0xd8);
    CHECK_INTEQ(ha.b[31], 0x22);
    vg_pdq_to_hex(&ha, hex);
    CHECK_STREQ(hex, a);
    CHECK(vg_pdq_from_hex(b, &hb) == VG_OK); /* upper case accepted, written lower */
    vg_pdq_to_hex(&hb, hex);
    CHECK_STREQ(hex, "d0f8f0cec0f4a84f0e370a22238f67f0b36a2ef596231e1d73e6a39c4e9c9b22");
    /* aaa-orig vs sharpen-a-lot: popcount of the XOR of the two numbers, 14 */
    CHECK_INTEQ(vg_pdq_distance(&ha, &hb), 14);
    CHECK_INTEQ(vg_pdq_distance(&ha, &ha), 0);
    for (int i = 0; i < 32; i++)
        inv.b[i] = (uint8_t)~ha.b[i];
    CHECK_INTEQ(vg_pdq_distance(&ha, &inv), 256);
    CHECK(vg_pdq_from_hex("d8f8", &hb) == VG_ERR_SYNTAX);
    CHECK(vg_pdq_from_hex("x8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22", &hb) ==
          VG_ERR_SYNTAX);
    CHECK(vg_pdq_from_hex("d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b220",
                          &hb) == VG_ERR_SYNTAX);
    CHECK(vg_pdq_from_hex(NULL, &hb) == VG_ERR_SYNTAX);
    CHECK_STREQ(vg_pdq_variant_name(VG_PDQ_FLIP_MINUS1), "flipminus1");
}

/* An image of w x h x ch pixels from a fixed-seed pattern. */
static vg_image make_image(uint32_t w, uint32_t h, int ch, int flat)
{
    vg_image img = {.pix_width = w, .pix_height = h, .channels = ch};
    uint32_t seed = 99;

    img.stride = (size_t)w * (size_t)ch;
    img.pixels = malloc(img.stride * h);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++) {
            seed = seed * 1103515245u + 12345u;
            uint8_t v = flat ? 128 : (uint8_t)((x * 3 + y * 5 + ((x / 20) % 2) * 90 + (seed >> 28)) & 255);
            for (int c = 0; c < ch; c++)
                img.pixels[y * img.stride + x * (size_t)ch + (size_t)c] = v;
        }
    return img;
}

static int is_zero(const vg_pdq *h)
{
    vg_pdq z = {{0}};
    return memcmp(h, &z, sizeof z) == 0;
}

static void test_edge_cases(void)
{
    vg_image tiny = make_image(4, 300, 3, 0), flat = make_image(200, 100, 3, 1);
    vg_image grey = make_image(300, 200, 1, 0), rgb = make_image(300, 200, 3, 0);
    vg_pdq h[VG_PDQ_VARIANTS], g;
    vg_error err;
    int q = -1;

    CHECK(vg_pdq_hash(&tiny, 1, h, &q, &err) == VG_OK);
    CHECK_INTEQ(q, 0);
    for (int v = 0; v < VG_PDQ_VARIANTS; v++)
        CHECK(is_zero(&h[v]));
    CHECK(vg_pdq_hash(&flat, 0, h, &q, &err) == VG_OK);
    CHECK_INTEQ(q, 0);
    /* a grey pixel's weighted luma equals its value to within a float ulp:
     * the hashes agree and the picture has enough detail for quality 100 */
    CHECK(vg_pdq_hash(&grey, 0, &g, &q, &err) == VG_OK);
    CHECK_INTEQ(q, 100);
    CHECK(vg_pdq_hash(&rgb, 0, h, &q, &err) == VG_OK);
    CHECK_INTEQ(vg_pdq_distance(&g, &h[0]), 0);
    /* 128 bits above the median, 128 not */
    CHECK_INTEQ(vg_pdq_distance(&g, &(vg_pdq){{0}}), 128);
    grey.channels = 2;
    CHECK(vg_pdq_hash(&grey, 0, h, &q, &err) == VG_ERR_ARG);
    free(tiny.pixels);
    free(flat.pixels);
    free(grey.pixels);
    free(rgb.pixels);
}

int main(void)
{
    test_reference_hashes();
    test_reference_dihedral();
    test_hex_and_distance();
    test_edge_cases();
    TEST_DONE();
}
