/* test_steg_photo.c - the LSB estimators on real photo crops (PNG, decoded
 * by lib/image): near 0 when clean, within 0.05 of the truth at 0.25 and 0.50
 * bits per channel value with our LSB-replacement embedder (fixed seeds). */
#include <math.h>

#include "testutil.h"
#include "vigil/image.h"
#include "vigil/steg.h"
#include "stegsim.h"

static void one(const char *rel, uint64_t seed)
{
    size_t n;
    uint8_t *b = test_slurp(test_data(rel), &n);
    CHECK_MSG(b != NULL, "missing %s", rel);
    if (!b)
        return;
    vg_image img;
    vg_decode_opts o;
    memset(&o, 0, sizeof o);
    CHECK(vg_image_decode(b, n, &o, &img, NULL) == VG_OK);
    size_t len = (size_t)img.pix_height * img.stride;
    vg_steg_pixels px = {img.pixels, img.pix_width, img.pix_height, img.channels, img.stride};
    vg_steg_lsb r;
    CHECK(vg_steg_lsb_analyse(&px, &r, NULL) == VG_OK);
    CHECK_INTEQ(r.image_na, VG_STEG_ANALYSABLE);
    CHECK_MSG(r.ws_mean < 0.03 && r.spa_mean < 0.03, "%s clean: WS %.3f SPA %.3f", rel,
              r.ws_mean, r.spa_mean);
    /* The whole file: no structural finding, verdict clean. */
    vg_steg_report rep;
    CHECK(vg_steg_analyse(b, n, NULL, &rep, NULL) == VG_OK);
    CHECK_MSG(rep.verdict == VG_STEG_CLEAN, "%s: %s", rel, rep.reason);
    vg_steg_report_free(&rep);
    uint8_t *w = malloc(len);
    static const double rates[2] = {0.25, 0.50};
    for (int k = 0; k < 2; k++) {
        memcpy(w, img.pixels, len);
        sim_lsb_replace(w, len, rates[k], seed + k);
        px.data = w;
        CHECK(vg_steg_lsb_analyse(&px, &r, NULL) == VG_OK);
        CHECK_MSG(fabs(r.spa_mean - rates[k]) < 0.05, "%s %.2f: SPA %.3f", rel, rates[k], r.spa_mean);
        CHECK_MSG(fabs(r.ws_mean - rates[k]) < 0.05, "%s %.2f: WS %.3f", rel, rates[k], r.ws_mean);
        CHECK_MSG(fabs(r.rs_mean - rates[k]) < 0.05, "%s %.2f: RS %.3f", rel, rates[k], r.rs_mean);
        printf("%s %.2f: SPA %.3f WS %.3f RS %.3f\n", rel, rates[k], r.spa_mean, r.ws_mean, r.rs_mean);
    }
    free(w);
    vg_image_free(&img);
    free(b);
}

int main(void)
{
    one("steg/photo1.png", 31);
    one("steg/photo2.png", 32);
    one("steg/photo3.png", 33);
    TEST_DONE();
}
