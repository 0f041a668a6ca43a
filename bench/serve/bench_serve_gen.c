/* bench_serve_gen.c - N pseudo-random md5sum lines ("HEX  fileI.jpg", fixed
 * seed) for the serve benchmark's library. usage: bench_serve_gen N OUT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t state = 0x9E3779B97F4A7C15ull;

static uint64_t next(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

int main(int argc, char **argv)
{
    FILE *f;
    long n;

    if (argc != 3 || (n = atol(argv[1])) <= 0 || !(f = fopen(argv[2], "w"))) {
        fprintf(stderr, "usage: bench_serve_gen N OUT\n");
        return 2;
    }
    for (long i = 0; i < n; i++) {
        uint64_t a = next(), b = next();
        fprintf(f, "%016llx%016llx  file%ld.jpg\n", (unsigned long long)a, (unsigned long long)b,
                i);
    }
    return fclose(f) == 0 ? 0 : 1;
}
