/* bench_scan.c - the floor a scan is measured against: read every file of a
 * tree and decode the pictures (PDQ pre-shrink, as the scan decodes them), on
 * N threads, with nothing else. Usage: bench_scan DIR THREADS */
#define _GNU_SOURCE
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vigil/image.h"
#include "vigil/pdq.h"
#include "vigil/util.h"

static char **files;
static size_t n_files, cap_files;
static atomic_size_t next_file;
static atomic_ullong total_bytes, decoded;

static int collect(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    if (type != FTW_F)
        return 0;
    if (n_files == cap_files) {
        cap_files = cap_files ? cap_files * 2 : 4096;
        files = realloc(files, cap_files * sizeof *files);
        if (!files)
            return 1;
    }
    files[n_files++] = strdup(path);
    return 0;
}

static void *work(void *arg)
{
    (void)arg;
    size_t i;
    while ((i = atomic_fetch_add(&next_file, 1)) < n_files) {
        int fd = open(files[i], O_RDONLY);
        struct stat sb;
        if (fd < 0 || fstat(fd, &sb) != 0) {
            if (fd >= 0)
                close(fd);
            continue;
        }
        uint8_t *buf = malloc((size_t)sb.st_size + 1);
        ssize_t got = buf ? read(fd, buf, (size_t)sb.st_size) : -1;
        close(fd);
        if (got > 0) {
            vg_decode_opts o;
            vg_image img;
            memset(&o, 0, sizeof o);
            vg_pdq_decode_opts(&o, 0);
            atomic_fetch_add(&total_bytes, (unsigned long long)got);
            if (vg_image_decode(buf, (size_t)got, &o, &img, NULL) == VG_OK)
                atomic_fetch_add(&decoded, 1);
            vg_image_free(&img);
        }
        free(buf);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int threads = argc > 2 ? atoi(argv[2]) : 2;
    pthread_t t[64];

    if (argc < 2 || threads < 1 || threads > 64) {
        fprintf(stderr, "usage: bench_scan DIR THREADS\n");
        return 2;
    }
    if (nftw(argv[1], collect, 64, FTW_PHYS) != 0)
        return 1;
    double t0 = vg_now();
    for (int k = 0; k < threads; k++)
        pthread_create(&t[k], NULL, work, NULL);
    for (int k = 0; k < threads; k++)
        pthread_join(t[k], NULL);
    double s = vg_now() - t0;
    printf("floor: %zu files (%llu decoded), %.1f MB, %.2f s: %.1f items/s, %.1f MB/s\n", n_files,
           (unsigned long long)decoded, (double)total_bytes / 1e6, s, (double)n_files / s,
           (double)total_bytes / 1e6 / s);
    return 0;
}
