/* test_steg_lsb.c - SPA, WS, RS and chi-square on generated covers with
 * known LSB payloads; not-analysable cases. */
#include <math.h>

#include "testutil.h"
#include "vigil/steg.h"
#include "stegsim.h"

#define W 384
#define H 384

static vg_steg_pixels view(const uint8_t *p, uint32_t w, uint32_t h, int c)
{
    vg_steg_pixels px = {p, w, h, c, (size_t)w * c};
    return px;
}

static void check_rate(double rate, uint64_t seed)
{
    uint8_t *p = sim_cover(W, H, 2.5, seed);
    sim_lsb_replace(p, (size_t)W * H * 3, rate, seed + 100);
    vg_steg_pixels px = view(p, W, H, 3);
    vg_steg_lsb r;
    CHECK(vg_steg_lsb_analyse(&px, &r, NULL) == VG_OK);
    for (int ch = 0; ch < 3; ch++) {
        CHECK_INTEQ(r.na[ch], VG_STEG_ANALYSABLE);
        CHECK_MSG(fabs(r.spa[ch] - rate) < 0.05, "SPA rate %.2f ch %d: %.4f", rate, ch, r.spa[ch]);
        CHECK_MSG(fabs(r.ws[ch] - rate) < 0.05, "WS rate %.2f ch %d: %.4f", rate, ch, r.ws[ch]);
        CHECK_MSG(fabs(r.rs[ch] - rate) < 0.05, "RS rate %.2f ch %d: %.4f", rate, ch, r.rs[ch]);
        printf("rate %.2f ch %d: spa %.4f ws %.4f rs %.4f chi %.2f\n", rate, ch, r.spa[ch],
               r.ws[ch], r.rs[ch], r.chi[ch]);
    }
    free(p);
}

static void check_clean(uint64_t seed)
{
    uint8_t *p = sim_cover(W, H, 2.5, seed);
    vg_steg_pixels px = view(p, W, H, 3);
    vg_steg_lsb r;
    CHECK(vg_steg_lsb_analyse(&px, &r, NULL) == VG_OK);
    CHECK_INTEQ(r.image_na, VG_STEG_ANALYSABLE);
    CHECK_MSG(r.spa_max < 0.03, "clean SPA %.4f", r.spa_max);
    CHECK_MSG(r.ws_max < 0.03, "clean WS %.4f", r.ws_max);
    CHECK_MSG(r.rs_max < 0.04, "clean RS %.4f", r.rs_max);
    printf("clean: spa %.4f ws %.4f rs %.4f chi %.2f block %.3f\n", r.spa_max, r.ws_max,
           r.rs_max, r.chi_max, r.blockiness);
    free(p);
}

/* A sequential message over the first 40 % of each channel's stream: the
 * chi-square prefix finds its end. */
static void check_sequential(void)
{
    uint8_t *p = sim_cover_stretched(W, H, 7);
    vg_steg_pixels px = view(p, W, H, 3);
    /* Embed into channel 0's raster stream only (stride 3). */
    sim_seed(77);
    size_t n = (size_t)W * H, k = (size_t)(0.4 * (double)n);
    for (size_t i = 0; i < k; i++)
        p[i * 3] = (uint8_t)((p[i * 3] & 0xfe) | (sim_u32() & 1));
    double c0 = vg_steg_chi(&px, 0), c1 = vg_steg_chi(&px, 1);
    CHECK_MSG(c0 >= 0.33 && c0 <= 0.42, "sequential chi %.3f", c0);
    CHECK_MSG(c1 < 0.05, "untouched channel chi %.3f", c1);
    vg_steg_lsb r;
    CHECK(vg_steg_lsb_analyse(&px, &r, NULL) == VG_OK);
    CHECK_MSG(r.spa[1] < 0.05 && r.ws[1] < 0.05, "stretched cover SPA %.3f WS %.3f", r.spa[1], r.ws[1]);
    free(p);
}

static void check_not_analysable(void)
{
    vg_steg_lsb r;
    /* Flat: a few large constant blocks. */
    uint8_t *p = calloc((size_t)W * H * 3, 1);
    for (size_t i = 0; i < (size_t)W * H * 3; i++)
        p[i] = (uint8_t)(((i / 3) % W) / 64 * 40 + 10);
    vg_steg_pixels px = view(p, W, H, 3);
    CHECK(vg_steg_lsb_analyse(&px, &r, NULL) == VG_OK);
    CHECK_INTEQ(r.image_na, VG_STEG_NA_PALETTE);
    CHECK(r.spa_max == 0 && r.ws_max == 0);
    /* Saturated: a cover with a third of its values clipped to 255. */
    free(p);
    p = sim_cover(W, H, 2.5, 3);
    for (size_t i = 0; i < (size_t)W * H * 3 / 3; i++)
        p[i] = 255;
    px = view(p, W, H, 3);
    CHECK(vg_steg_lsb_analyse(&px, &r, NULL) == VG_OK);
    CHECK_INTEQ(r.na[0], VG_STEG_NA_SATURATED);
    /* Too small. */
    px = view(p, 40, 40, 3);
    CHECK(vg_steg_lsb_analyse(&px, &r, NULL) == VG_OK);
    CHECK_INTEQ(r.image_na, VG_STEG_NA_SMALL);
    /* 8x8 blocking as left by JPEG: add a step at every 8th row and column. */
    free(p);
    p = sim_cover(W, H, 2.5, 4);
    for (uint32_t y = 0; y < H; y++)
        for (uint32_t x = 0; x < W; x++)
            for (int c = 0; c < 3; c++) {
                size_t i = ((size_t)y * W + x) * 3 + c;
                int v = p[i] + (((x / 8) + (y / 8)) % 2 ? 3 : -3);
                p[i] = (uint8_t)v;
            }
    px = view(p, W, H, 3);
    CHECK(vg_steg_lsb_analyse(&px, &r, NULL) == VG_OK);
    CHECK_MSG(r.blockiness > 1.10, "blockiness %.3f", r.blockiness);
    CHECK_INTEQ(r.image_na, VG_STEG_NA_JPEG_ORIGIN);
    free(p);
    /* Bad arguments. */
    px = view(NULL, W, H, 3);
    CHECK(vg_steg_lsb_analyse(&px, &r, NULL) == VG_ERR_ARG);
}

static void check_grey_and_lsbm(void)
{
    /* Grey: channel 1 of the cover copied out. */
    uint8_t *p = sim_cover(W, H, 2.5, 11);
    uint8_t *g = malloc((size_t)W * H);
    for (size_t i = 0; i < (size_t)W * H; i++)
        g[i] = p[i * 3 + 1];
    sim_lsb_replace(g, (size_t)W * H, 0.5, 5);
    vg_steg_pixels px = view(g, W, H, 1);
    vg_steg_lsb r;
    CHECK(vg_steg_lsb_analyse(&px, &r, NULL) == VG_OK);
    CHECK_INTEQ(r.channels, 1);
    CHECK_MSG(fabs(r.spa_max - 0.5) < 0.05, "grey SPA %.4f", r.spa_max);
    /* LSB matching is the known blind spot: estimates stay low. */
    sim_lsb_match(p, (size_t)W * H * 3, 0.5, 6);
    px = view(p, W, H, 3);
    CHECK(vg_steg_lsb_analyse(&px, &r, NULL) == VG_OK);
    CHECK_MSG(r.spa_max < 0.1, "LSBM SPA %.4f", r.spa_max);
    free(p);
    free(g);
}

int main(void)
{
    check_rate(0.25, 1);
    check_rate(0.50, 2);
    check_rate(0.10, 9);
    check_clean(3);
    check_clean(8);
    check_sequential();
    check_not_analysable();
    check_grey_and_lsbm();
    TEST_DONE();
}
