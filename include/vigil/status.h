/* status.h - vigil's error codes and error messages.
 *
 * Every fallible vigil function returns a vg_status. Codes are coarse and
 * numbered (append only: a retired code stays as a placeholder so numbers never
 * move); the detail goes into a vg_error message, which names the file and the
 * reason ("truncated JPEG at offset 1234 in a.jpg"). Functions that take a
 * `vg_error *err` accept NULL when the caller wants only the code.
 */
#ifndef VIGIL_STATUS_H
#define VIGIL_STATUS_H

#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum vg_status {
    VG_OK = 0,                /*  0 - success */
    VG_ERR_NOMEM = 1,         /*  1 - out of memory */
    VG_ERR_IO = 2,            /*  2 - reading or writing failed */
    VG_ERR_OPEN = 3,          /*  3 - a file could not be opened */
    VG_ERR_ARG = 4,           /*  4 - invalid argument or option */
    VG_ERR_FORMAT = 5,        /*  5 - unknown or unsupported file format */
    VG_ERR_CORRUPT = 6,       /*  6 - malformed data */
    VG_ERR_TRUNCATED = 7,     /*  7 - data ends before its structure does */
    VG_ERR_LIMIT_PIXELS = 8,  /*  8 - image has more pixels than allowed */
    VG_ERR_LIMIT_SIZE = 9,    /*  9 - input larger than allowed */
    VG_ERR_LIMIT_TIME = 10,   /* 10 - item took longer than allowed */
    VG_ERR_UNSUPPORTED = 11,  /* 11 - recognised, but a feature is not supported */
    VG_ERR_SYNTAX = 12,       /* 12 - text input does not follow its format */
    VG_ERR_DB = 13,           /* 13 - database error */
    VG_ERR_NOTFOUND = 14,     /* 14 - named thing does not exist */
    VG_ERR_EXISTS = 15,       /* 15 - named thing already exists */
    VG_ERR_LIMIT = 16,        /* 16 - another limit (depth, ratio, count) reached */
    VG_ERR_ENCRYPTED = 17,    /* 17 - content is encrypted */
    VG_ERR_INTERNAL = 18,     /* 18 - a bug in vigil */
    VG_ERR_EMPTY = 19,        /* 19 - input is empty */
    VG_STATUS_LAST            /* not a code: one past the last */
} vg_status;

/* A status with its message. msg is always NUL-terminated; empty when code is VG_OK. */
typedef struct vg_error {
    vg_status code;
    char msg[512];
} vg_error;

/* A short English description of a code ("truncated data"). Never NULL. */
const char *vg_strerror(vg_status st);

/* A stable lower-case identifier of a code ("truncated"), for JSON output. Never NULL. */
const char *vg_status_name(vg_status st);

/* Fills err (when not NULL) with code and a printf-style message; returns code,
 * so that `return vg_errorf(err, VG_ERR_IO, "read %s: %s", path, strerror(e));`
 * reads as one statement. */
vg_status vg_errorf(vg_error *err, vg_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
vg_status vg_verrorf(vg_error *err, vg_status code, const char *fmt, va_list ap);

/* Resets err to VG_OK with an empty message. */
void vg_error_clear(vg_error *err);

/* Prefixes the message of err with "prefix: ", e.g. the file name, keeping code. */
void vg_error_prefix(vg_error *err, const char *prefix);

#ifdef __cplusplus
}
#endif
#endif
