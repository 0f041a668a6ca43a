/* util.h - small helpers shared by every module: hex and base32 text,
 * monotonic time for per-item deadlines. */
#ifndef VIGIL_UTIL_H
#define VIGIL_UTIL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Writes 2*len lower-case hex digits and a NUL into out (2*len+1 bytes). */
void vg_hex_encode(const uint8_t *in, size_t len, char *out);

/* Parses exactly 2*len hex digits (either case) from hex into out.
 * Returns 0 on success, -1 on a non-hex digit. Reads no more than 2*len chars. */
int vg_hex_decode(const char *hex, size_t len, uint8_t *out);

/* RFC 4648 base32 (upper case, no padding) of len bytes; out needs
 * (len*8+4)/5+1 bytes. Used for Gnutella's urn:sha1. */
void vg_base32_encode(const uint8_t *in, size_t len, char *out);

/* Seconds from a monotonic clock, for deadlines. */
double vg_now(void);

#ifdef __cplusplus
}
#endif
#endif
