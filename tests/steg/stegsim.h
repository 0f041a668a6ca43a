/* stegsim.h - deterministic covers and LSB embedders for the steg tests
 * (header-only, fixed seeds, so every run sees the same pixels). */
#ifndef VIGIL_TEST_STEGSIM_H
#define VIGIL_TEST_STEGSIM_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static uint64_t sim_state;

static inline void sim_seed(uint64_t s) { sim_state = s * 0x9E3779B97F4A7C15ull + 1; }

static inline uint32_t sim_u32(void)
{
    uint64_t x = sim_state; /* xorshift64* */
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    sim_state = x;
    return (uint32_t)((x * 0x2545F4914F6CDD1Dull) >> 32);
}

static inline double sim_unit(void) { return (sim_u32() + 0.5) / 4294967296.0; }

/* Approximately normal (sum of 4 uniforms), unit variance. */
static inline double sim_gauss(void)
{
    return (sim_unit() + sim_unit() + sim_unit() + sim_unit() - 2.0) * 1.7320508;
}

/* A smooth but textured RGB cover: low-frequency waves, a soft edge, and
 * sensor-like noise of the given sigma; values kept inside 16..239. */
static inline uint8_t *sim_cover(uint32_t w, uint32_t h, double sigma, uint64_t seed)
{
    uint8_t *p = malloc((size_t)w * h * 3);
    if (!p)
        return NULL;
    sim_seed(seed);
    double f1 = 0.01 + 0.02 * sim_unit(), f2 = 0.015 + 0.02 * sim_unit();
    for (uint32_t y = 0; y < h; y++) {
        for (uint32_t x = 0; x < w; x++) {
            double base = 128 + 60 * sin(x * f1 + y * 0.003) * cos(y * f2) +
                          (x + y > (w + h) / 2 ? 25 : -25);
            for (int c = 0; c < 3; c++) {
                double v = base + 10 * c * sin((x - y) * 0.02) + sigma * sim_gauss();
                v = v < 16 ? 16 : v > 239 ? 239 : v;
                p[((size_t)y * w + x) * 3 + c] = (uint8_t)lrint(v);
            }
        }
    }
    return p;
}

/* A cover after a contrast stretch (as photo editors apply): the 8-bit
 * rounding leaves a comb-shaped histogram whose pairs (2i,2i+1) differ, the
 * property the chi-square attack needs. */
static inline uint8_t *sim_cover_stretched(uint32_t w, uint32_t h, uint64_t seed)
{
    uint8_t *p = sim_cover(w, h, 2.5, seed);
    for (size_t i = 0; p && i < (size_t)w * h * 3; i++)
        p[i] = (uint8_t)lrint(128 + 1.3 * (p[i] - 128.0));
    return p;
}

/* LSB replacement at rate r (bits per value): each value carries a random
 * message bit with probability r, scattered. */
static inline void sim_lsb_replace(uint8_t *p, size_t n, double r, uint64_t seed)
{
    sim_seed(seed);
    for (size_t i = 0; i < n; i++)
        if (sim_unit() < r)
            p[i] = (uint8_t)((p[i] & 0xfe) | (sim_u32() & 1));
}

/* LSB matching (+-1) at rate r. */
static inline void sim_lsb_match(uint8_t *p, size_t n, double r, uint64_t seed)
{
    sim_seed(seed);
    for (size_t i = 0; i < n; i++) {
        if (sim_unit() >= r || (p[i] & 1) == (sim_u32() & 1))
            continue;
        if (p[i] == 0) p[i] = 1;
        else if (p[i] == 255) p[i] = 254;
        else p[i] = (uint8_t)(p[i] + ((sim_u32() & 1) ? 1 : -1));
    }
}

/* Sequential LSB replacement of the first share of the raster stream. */
static inline void sim_lsb_sequential(uint8_t *p, size_t n, double share, uint64_t seed)
{
    sim_seed(seed);
    size_t k = (size_t)(share * (double)n);
    for (size_t i = 0; i < k; i++)
        p[i] = (uint8_t)((p[i] & 0xfe) | (sim_u32() & 1));
}

#endif
