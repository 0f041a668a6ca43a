/* review.h - `vigil review`: a local web application for looking through a
 * case and categorising its images, served on 127.0.0.1 only.
 *
 * Security model (docs/review.md): the server listens on the loopback
 * address, on a random port by default. It prints one URL holding a
 * one-time token (128 bits from getrandom); the first GET /?token=TOKEN trades
 * it for a session cookie (256 bits, HttpOnly, SameSite=Strict) and spends
 * it. Every other request needs that cookie and a Host header naming
 * 127.0.0.1:PORT or localhost:PORT (so a page from elsewhere reaching the
 * port through DNS rebinding is refused). Answers are never cached and carry
 * a Content-Security-Policy allowing only the bundled assets.
 *
 * Previews: GET /api/thumb/ID answers the blurred grey variant unless the
 * request says reveal=1. Nothing about items (paths, previews) is logged.
 */
#ifndef VIGIL_REVIEW_H
#define VIGIL_REVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "vigil/status.h"
#include "vigil/store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VG_REVIEW_BODY_MAX 65536        /* bytes of a POST body */
#define VG_REVIEW_DEFAULT_SCHEME "projectvic-us"

typedef struct vg_review vg_review;

typedef struct vg_review_opts {
    vg_store *store;        /* the case, opened read-write by the caller, who
                             * closes it after vg_review_stop; the server uses
                             * it from one thread at a time */
    const char *case_path;  /* as shown in /api/case */
    const char *examiner;   /* recorded with every categorisation; NULL:
                             * $USER, else "examiner" */
    const char *scheme;     /* a built-in scheme name or a scheme file; NULL:
                             * the case's (meta "review_scheme"), else
                             * VG_REVIEW_DEFAULT_SCHEME */
    int reveal_default;     /* the examiner prefers clear previews */
    uint16_t port;          /* 0: any free port */
    unsigned threads;       /* worker threads; 0: 2 */
} vg_review_opts;

/* Settles the scheme (see vg_review_scheme_settle), makes the one-time
 * token and starts serving on 127.0.0.1. VG_ERR_ARG for an unknown scheme
 * or one that conflicts with the case's, VG_ERR_IO when the port cannot be
 * bound or no randomness is available. On error *out is NULL. */
vg_status vg_review_start(const vg_review_opts *o, vg_review **out, vg_error *err);

/* "http://127.0.0.1:PORT/?token=TOKEN": the URL to open (valid until the
 * server stops; the token inside works once). */
const char *vg_review_url(const vg_review *r);
uint16_t vg_review_port(const vg_review *r);

/* The scheme's name as used in the case ("projectvic-us"). */
const char *vg_review_scheme(const vg_review *r);

/* Stops serving (waits for requests in progress) and frees r; NULL is
 * ignored. The store stays open. */
void vg_review_stop(vg_review *r);

/* The scheme of the case's categories: wanted (name or file; NULL: none
 * asked) against the meta key "review_scheme". The first use records it;
 * a later use naming another scheme is VG_ERR_ARG once any item is
 * categorised (and replaces it while none is). *name (malloc'd, caller
 * frees) gets the scheme's name. */
vg_status vg_review_scheme_settle(vg_store *s, const char *wanted, char **name, vg_error *err);

/* Parses a categorisation body {"category":"CODE"} or {"category":null}:
 * *clear set for null, else code (NUL-terminated, at most cap-1 bytes)
 * filled. VG_ERR_LIMIT_SIZE over VG_REVIEW_BODY_MAX, VG_ERR_SYNTAX for
 * anything else (not JSON, not an object, other fields, a code that is not
 * a short string). */
vg_status vg_review_parse_category(const char *body, size_t len, char *code, size_t cap,
                                   int *clear, vg_error *err);

#ifdef __cplusplus
}
#endif
#endif
