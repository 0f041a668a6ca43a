/* opts.c - parsing shared by the subcommands' options: numbers, schemes. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "opts.h"
#include "vigil/hashset.h"

int parse_size(const char *s, int si, uint64_t *out)
{
    char *end;
    unsigned long long v;
    uint64_t mul = 1, base = si ? 1000 : 1024;

    if (!s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno)
        return -1;
    switch (*end) {
    case '\0': break;
    case 'k': case 'K': mul = base; end++; break;
    case 'm': case 'M': mul = base * base; end++; break;
    case 'g': case 'G': mul = base * base * base; end++; break;
    default: return -1;
    }
    if (*end || (mul > 1 && v > UINT64_MAX / mul))
        return -1;
    *out = v * mul;
    return 0;
}

int parse_seconds(const char *s, double *out)
{
    char *end;
    double v;

    if (!s || !*s)
        return -1;
    errno = 0;
    v = strtod(s, &end);
    if (errno || *end || !isfinite(v) || v < 0)
        return -1;
    *out = v;
    return 0;
}

int resolve_scheme(const char *cmd, const char *s, const vg_hs_scheme **out,
                   vg_hs_scheme **loaded)
{
    vg_error err;

    *out = NULL;
    *loaded = NULL;
    if (!s)
        return 0;
    if ((*out = vg_hs_scheme_builtin(s)) != NULL)
        return 0;
    vg_error_clear(&err);
    if (vg_hs_scheme_load(s, loaded, &err) != VG_OK) {
        fprintf(stderr, "vigil %s: --scheme '%s' is neither a built-in scheme (projectvic-us, "
                        "dhs, uk, custom) nor a readable scheme file: %s\n", cmd, s, err.msg);
        return -1;
    }
    *out = *loaded;
    return 0;
}
