/* bench_carve.c - carving throughput on three kinds of unallocated space,
 * each against the floor of touching every byte once. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vigil/evidence.h"
#include "vigil/util.h"

static const uint8_t gif[] = {0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00,
                              0x00, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00,
                              0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B};

static int count(const vg_carve_hit *h, void *ctx)
{
    (void)h;
    (*(size_t *)ctx)++;
    return 0;
}

/* The floor: find every 0xFF (the commonest candidate byte) and sum the bytes. */
static uint64_t floor_pass(const uint8_t *b, size_t n)
{
    uint64_t sum = 0;
    const uint8_t *p = b, *end = b + n;
    for (size_t i = 0; i < n; i++)
        sum += b[i];
    while ((p = memchr(p, 0xFF, (size_t)(end - p))) != NULL)
        p++, sum++;
    return sum;
}

static void fill(uint8_t *b, size_t n, int kind)
{
    uint64_t x = 0x9E3779B97F4A7C15ull;
    if (kind == 0) {
        memset(b, 0, n);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        b[i] = (uint8_t)x;
    }
    if (kind == 2) /* a GIF every 4 KiB, as in a card full of small pictures */
        for (size_t off = 0; off + sizeof gif < n; off += 4096)
            memcpy(b + off, gif, sizeof gif);
}

int main(int argc, char **argv)
{
    size_t mib = argc > 1 ? (size_t)atoi(argv[1]) : 256, n = mib << 20;
    uint8_t *b = malloc(n);
    static const char *names[] = {"zeros", "random", "random+gif/4KiB"};
    if (!b)
        return 1;
    printf("carving %zu MiB buffers (best of 3; machine shared, figures noisy)\n", mib);
    for (int kind = 0; kind < 3; kind++) {
        double tf = 1e9, tc = 1e9;
        size_t hits = 0;
        volatile uint64_t sink = 0;
        fill(b, n, kind);
        for (int rep = 0; rep < 3; rep++) {
            double t0 = vg_now();
            sink += floor_pass(b, n);
            double t1 = vg_now();
            hits = 0;
            vg_carve_mem(b, n, 64u << 20, count, &hits);
            double t2 = vg_now();
            tf = t1 - t0 < tf ? t1 - t0 : tf;
            tc = t2 - t1 < tc ? t2 - t1 : tc;
        }
        printf("%-16s floor %8.0f MB/s  carve %8.0f MB/s  ratio %.2f  objects %zu%s\n",
               names[kind], n / tf / 1e6, n / tc / 1e6, tf / tc, hits,
               sink == 1 ? " " : ""); /* reading sink keeps the floor pass */
    }
    free(b);
    return 0;
}
