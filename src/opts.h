/* opts.h - option helpers shared by the subcommands. */
#ifndef VIGIL_OPTS_H
#define VIGIL_OPTS_H

#include <stdint.h>

/* Parses a non-negative integer with an optional K/M/G suffix (powers of
 * 1024, or of 1000 when si is set). Returns 0 on success, -1 on junk. */
int parse_size(const char *s, int si, uint64_t *out);

/* Parses a non-negative decimal number of seconds. */
int parse_seconds(const char *s, double *out);

/* A --scheme value: a built-in scheme by name, else a scheme file. *loaded
 * is what to free (vg_hs_scheme_free); both NULL when s is NULL. Returns -1
 * after telling stderr why ("vigil CMD: ...") when s is neither. */
struct vg_hs_scheme;
int resolve_scheme(const char *cmd, const char *s, const struct vg_hs_scheme **out,
                   struct vg_hs_scheme **loaded);

#endif
