/* bench_hs_read.c - streaming VICS import against a whole-document parse.
 *
 * "stream FILE": vg_hashset_read, counting entries. "jansson FILE": the
 * baseline, json_load_file of the same document (what a slurping importer
 * does). Prints entries, seconds, MB/s and peak RSS; run each in its own
 * process so the RSS figures are independent. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "vigil/hashset.h"
#include "vigil/util.h"

static int count(void *ctx, const vg_hs_entry *e)
{
    (void)e;
    ++*(unsigned long long *)ctx;
    return 0;
}

int main(int argc, char **argv)
{
    struct stat sb;
    struct rusage ru;
    unsigned long long n = 0;
    if (argc != 3 || stat(argv[2], &sb) != 0) {
        fprintf(stderr, "usage: bench_hs_read stream|jansson FILE\n");
        return 2;
    }
    double t0 = vg_now();
    if (strcmp(argv[1], "stream") == 0) {
        vg_error err;
        if (vg_hashset_read(argv[2], VG_HS_FMT_VICS, NULL, count, &n, NULL, &err) != VG_OK) {
            fprintf(stderr, "%s\n", err.msg);
            return 1;
        }
    } else {
        json_error_t je;
        json_t *doc = json_load_file(argv[2], 0, &je);
        if (!doc) {
            fprintf(stderr, "%s\n", je.text);
            return 1;
        }
        n = json_array_size(json_object_get(doc, "value"));
        json_decref(doc);
    }
    double s = vg_now() - t0;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
                 (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    printf("%s entries=%llu cpu_seconds=%.2f CPU_MB/s=%.1f wall_seconds=%.2f peak_rss_MB=%.1f\n",
           argv[1], n, cpu, (double)sb.st_size / 1e6 / cpu, s, ru.ru_maxrss / 1024.0);
    return 0;
}
