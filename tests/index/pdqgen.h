/* pdqgen.h - random PDQ codes and planted neighbours for the index tests (fixed seeds). */
#ifndef VIGIL_TEST_PDQGEN_H
#define VIGIL_TEST_PDQGEN_H

#include <stdint.h>
#include <string.h>

#include "vigil/index.h"

static uint64_t gen_state = 0x1234567887654321ull;

static inline uint64_t gen_next(void)
{
    uint64_t z = (gen_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static inline void gen_random(vg_pdq *h)
{
    for (int i = 0; i < 32; i += 8) {
        uint64_t v = gen_next();
        memcpy(h->b + i, &v, 8);
    }
}

/* h = src with exactly d distinct bits flipped. */
static inline void gen_flip(const vg_pdq *src, int d, vg_pdq *h)
{
    *h = *src;
    for (int done = 0; done < d;) {
        int bit = (int)(gen_next() % 256);
        vg_pdq t = *h;
        t.b[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        int differs = 0;
        for (int i = 0; i < 32; i++)
            differs += __builtin_popcount((unsigned)(t.b[i] ^ src->b[i]));
        if (differs == done + 1) {
            *h = t;
            done++;
        }
    }
}

static inline int gen_distance(const vg_pdq *a, const vg_pdq *b)
{
    uint64_t x[4], y[4];
    memcpy(x, a->b, 32);
    memcpy(y, b->b, 32);
    return __builtin_popcountll(x[0] ^ y[0]) + __builtin_popcountll(x[1] ^ y[1]) +
           __builtin_popcountll(x[2] ^ y[2]) + __builtin_popcountll(x[3] ^ y[3]);
}

#endif
