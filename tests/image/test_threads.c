/* test_threads.c - vg_image_decode is thread-safe: four threads decode every
 * fuzz seed (all formats; those named bad-* must fail) at once, including the first TIFF and HEIF decodes
 * that run the libraries' one-time set-up, and each result must equal the
 * one a single thread got before. */
#include <dirent.h>
#include <pthread.h>

#include "imgtest.h"

#define MAX_FILES 128
#define THREADS 4

typedef struct item {
    uint8_t *buf;
    size_t len;
    vg_status st;
    uint64_t sum; /* FNV-1a of the pixels and sides */
    int bad;      /* a seed named bad-*: made not to decode */
} item;

static item items[MAX_FILES];
static int nitems;

static void result(const item *it, vg_status *st, uint64_t *sum)
{
    vg_image img;
    vg_decode_opts o;
    uint64_t h = 1469598103934665603ULL;

    memset(&o, 0, sizeof o);
    o.pdq_side = 512;
    *st = vg_image_decode(it->buf, it->len, &o, &img, NULL);
    for (size_t i = 0; img.pixels && i < img.stride * img.pix_height; i++)
        h = (h ^ img.pixels[i]) * 1099511628211ULL;
    *sum = h ^ ((uint64_t)img.width << 32 | img.height);
    vg_image_free(&img);
}

static void *worker(void *arg)
{
    long *bad = arg;
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < nitems; i++) {
            int k = (i * 7 + round) % nitems; /* threads meet on different files */
            vg_status st;
            uint64_t sum;
            result(&items[k], &st, &sum);
            *bad += st != items[k].st || sum != items[k].sum;
        }
    return NULL;
}

static void load(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4096];

    CHECK(d != NULL);
    while (d && (e = readdir(d)) != NULL && nitems < MAX_FILES) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        items[nitems].buf = test_slurp(path, &items[nitems].len);
        items[nitems].bad = strncmp(e->d_name, "bad-", 4) == 0;
        if (items[nitems].buf)
            nitems++;
    }
    if (d)
        closedir(d);
}

int main(void)
{
    pthread_t t[THREADS];
    long bad[THREADS] = {0};
    int ok = 0;

    load(VG_SEEDS);
    CHECK(nitems >= 20);
    /* the baseline is taken after the threads so that they, not it, run
     * the one-time set-up; then each thread's results are checked */
    for (int i = 0; i < THREADS; i++)
        CHECK(pthread_create(&t[i], NULL, worker, &bad[i]) == 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < nitems; i++) {
        result(&items[i], &items[i].st, &items[i].sum);
        ok += (items[i].st == VG_OK) != items[i].bad;
    }
    CHECK_MSG(ok == nitems, "%d of %d seeds decode as their names say", ok, nitems);
    memset(bad, 0, sizeof bad);
    for (int i = 0; i < THREADS; i++)
        CHECK(pthread_create(&t[i], NULL, worker, &bad[i]) == 0);
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        CHECK_MSG(bad[i] == 0, "thread %d: %ld results differ", i, bad[i]);
    }
    for (int i = 0; i < nitems; i++)
        free(items[i].buf);
    TEST_DONE();
}
