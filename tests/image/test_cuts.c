/* test_cuts.c - every seed (all formats) cut at 200 points and flipped at 200
 * bits: each decode must end in one of the documented input errors (or
 * succeed), never in out-of-memory or an internal error, nor in a limit for a
 * cut (a flipped bit may make a side huge), and a failed decode must hold no
 * pixels. A cut inside the first eighth of a file can
 * never decode. ASan builds check every read along the way. */
#include <dirent.h>

#include "imgtest.h"

static int input_error(vg_status st)
{
    return st == VG_OK || st == VG_ERR_TRUNCATED || st == VG_ERR_CORRUPT ||
           st == VG_ERR_FORMAT || st == VG_ERR_UNSUPPORTED;
}

static long bad_status, bad_pixels, early_ok;

static void one(const uint8_t *b, size_t n, const char *name, const char *what, size_t at,
                int flipped)
{
    uint8_t *c = malloc(n ? n : 1);
    vg_image img;
    vg_status st;
    vg_decode_opts o;

    memcpy(c, b, n);
    memset(&o, 0, sizeof o);
    o.pdq_side = 512;
    st = vg_image_decode(c, n, &o, &img, NULL);
    if (!input_error(st) && !(n == 0 && st == VG_ERR_EMPTY) &&
        !(flipped && st == VG_ERR_LIMIT_PIXELS) && bad_status++ < 5)
        fprintf(stderr, "%s %s at %zu: status %d\n", name, what, at, st);
    if (st != VG_OK && img.pixels && bad_pixels++ < 5)
        fprintf(stderr, "%s %s at %zu: pixels after an error\n", name, what, at);
    vg_image_free(&img);
    free(c);
}

static void file(const char *dir, const char *name)
{
    char path[4096];
    size_t n = 0;
    uint8_t *b, *c;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!(b = test_slurp(path, &n)) || n < 16) {
        free(b);
        return;
    }
    for (size_t k = 0; k < 200; k++) {
        size_t cut = n * k / 200;
        one(b, cut, name, "cut", cut, 0);
        if (cut > 0 && cut < n / 8 && strncmp(name, "bad-", 4) != 0) {
            vg_image img;
            if (dec(b, cut, 0, 0, 1, &img) == VG_OK && dec_prefix(b, cut) == VG_OK &&
                early_ok++ < 5)
                fprintf(stderr, "%s decodes cut at %zu of %zu\n", name, cut, n);
        }
    }
    c = malloc(n);
    for (size_t k = 0; k < 200; k++) {
        size_t bit = (k * 2654435761u) % (n * 8); /* spread over the file */
        memcpy(c, b, n);
        c[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        one(c, n, name, "bit flip", bit, 1);
    }
    free(c);
    free(b);
}

int main(void)
{
    DIR *d = opendir(VG_SEEDS);
    struct dirent *e;
    int files = 0;

    CHECK(d != NULL);
    while (d && (e = readdir(d)) != NULL)
        if (e->d_name[0] != '.') {
            file(VG_SEEDS, e->d_name);
            files++;
        }
    if (d)
        closedir(d);
    CHECK(files >= 20);
    CHECK_INTEQ(bad_status, 0);
    CHECK_INTEQ(bad_pixels, 0);
    CHECK_INTEQ(early_ok, 0);
    TEST_DONE();
}
