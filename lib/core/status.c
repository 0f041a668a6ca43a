/* status.c - descriptions of vg_status codes and the vg_error helpers. */
#include <stdio.h>
#include <string.h>

#include "vigil/status.h"

const char *vg_strerror(vg_status st)
{
    switch (st) {
    case VG_OK: return "success";
    case VG_ERR_NOMEM: return "out of memory";
    case VG_ERR_IO: return "input/output error";
    case VG_ERR_OPEN: return "cannot open file";
    case VG_ERR_ARG: return "invalid argument";
    case VG_ERR_FORMAT: return "unknown or unsupported format";
    case VG_ERR_CORRUPT: return "corrupt data";
    case VG_ERR_TRUNCATED: return "truncated data";
    case VG_ERR_LIMIT_PIXELS: return "too many pixels";
    case VG_ERR_LIMIT_SIZE: return "input too large";
    case VG_ERR_LIMIT_TIME: return "time limit exceeded";
    case VG_ERR_UNSUPPORTED: return "unsupported feature";
    case VG_ERR_SYNTAX: return "syntax error";
    case VG_ERR_DB: return "database error";
    case VG_ERR_NOTFOUND: return "not found";
    case VG_ERR_EXISTS: return "already exists";
    case VG_ERR_LIMIT: return "limit reached";
    case VG_ERR_ENCRYPTED: return "encrypted content";
    case VG_ERR_INTERNAL: return "internal error";
    case VG_ERR_EMPTY: return "empty input";
    case VG_STATUS_LAST: break;
    }
    return "unknown error";
}

const char *vg_status_name(vg_status st)
{
    switch (st) {
    case VG_OK: return "ok";
    case VG_ERR_NOMEM: return "nomem";
    case VG_ERR_IO: return "io";
    case VG_ERR_OPEN: return "open";
    case VG_ERR_ARG: return "arg";
    case VG_ERR_FORMAT: return "format";
    case VG_ERR_CORRUPT: return "corrupt";
    case VG_ERR_TRUNCATED: return "truncated";
    case VG_ERR_LIMIT_PIXELS: return "limit_pixels";
    case VG_ERR_LIMIT_SIZE: return "limit_size";
    case VG_ERR_LIMIT_TIME: return "limit_time";
    case VG_ERR_UNSUPPORTED: return "unsupported";
    case VG_ERR_SYNTAX: return "syntax";
    case VG_ERR_DB: return "db";
    case VG_ERR_NOTFOUND: return "notfound";
    case VG_ERR_EXISTS: return "exists";
    case VG_ERR_LIMIT: return "limit";
    case VG_ERR_ENCRYPTED: return "encrypted";
    case VG_ERR_INTERNAL: return "internal";
    case VG_ERR_EMPTY: return "empty";
    case VG_STATUS_LAST: break;
    }
    return "unknown";
}

vg_status vg_verrorf(vg_error *err, vg_status code, const char *fmt, va_list ap)
{
    if (err) {
        err->code = code;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    }
    return code;
}

vg_status vg_errorf(vg_error *err, vg_status code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vg_verrorf(err, code, fmt, ap);
    va_end(ap);
    return code;
}

void vg_error_clear(vg_error *err)
{
    if (err) {
        err->code = VG_OK;
        err->msg[0] = '\0';
    }
}

void vg_error_prefix(vg_error *err, const char *prefix)
{
    char tmp[sizeof err->msg];
    size_t n;

    if (!err || !prefix)
        return;
    /* Built by hand: snprintf of "%s: %s" into a buffer of the same size
     * trips -Wformat-truncation, and truncating the tail is what we want. */
    n = strlen(prefix);
    if (n > sizeof tmp - 3)
        n = sizeof tmp - 3;
    memcpy(tmp, prefix, n);
    tmp[n++] = ':';
    tmp[n++] = ' ';
    size_t m = strnlen(err->msg, sizeof err->msg - 1);
    if (m > sizeof tmp - 1 - n)
        m = sizeof tmp - 1 - n;
    memcpy(tmp + n, err->msg, m);
    tmp[n + m] = '\0';
    memcpy(err->msg, tmp, sizeof tmp);
}
