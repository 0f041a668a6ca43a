/* synth.h - benign synthetic pictures for tests, the demo and benchmarks:
 * smooth gradients, discs and bars with seeded noise, written as JPEG or PNG.
 * The same seed always gives the same pixels. */
#ifndef VIGIL_SYNTH_H
#define VIGIL_SYNTH_H

#include <stdint.h>

/* A w x h RGB picture (malloc'd, caller frees) drawn from seed. */
uint8_t *synth_scene(uint32_t seed, int w, int h);

/* Nearest-neighbour resize of an RGB buffer (malloc'd). */
uint8_t *synth_resize(const uint8_t *rgb, int w, int h, int nw, int nh);

/* Mirror an RGB buffer left-right in place. */
void synth_mirror(uint8_t *rgb, int w, int h);

/* Write rgb as JPEG (quality 1..100) or PNG. 0 on success, -1 on failure. */
int synth_write_jpeg(const char *path, const uint8_t *rgb, int w, int h, int quality);
int synth_write_png(const char *path, const uint8_t *rgb, int w, int h);

#endif
