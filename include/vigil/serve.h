/* serve.h - `vigil serve`: the hash library as an authenticated HTTP API
 * (libmicrohttpd), its bearer tokens, and the pure request parser the
 * server and its fuzz harness share. See docs/api.md. */
#ifndef VIGIL_SERVE_H
#define VIGIL_SERVE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vigil/hashset.h"
#include "vigil/pdq.h"
#include "vigil/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- tokens ---------------------------------------------------------------
 * Tokens live in a text file beside the library, LIBRARY.tokens (mode 0600),
 * one per line: "NAME<TAB>ROLE<TAB>SHA256-HEX<TAB>CREATED". Only the SHA-256 of
 * a token is stored; the token itself is shown once, by vg_token_add. */

typedef enum vg_token_role { VG_ROLE_LOOKUP = 1, VG_ROLE_ADMIN = 2 } vg_token_role;

#define VG_TOKEN_NAME_MAX 64 /* same character rules as set names */
#define VG_TOKEN_HEX_LEN 64  /* a token is 32 random bytes as 64 hex digits */

typedef struct vg_token_info {
    char name[VG_TOKEN_NAME_MAX + 1];
    vg_token_role role;
    uint8_t sha256[32];
    char created[32]; /* UTC ISO 8601 */
} vg_token_info;

/* "lookup" / "admin"; NULL for anything else. */
const char *vg_token_role_name(vg_token_role r);
/* 0 and *out on "lookup"/"admin", -1 otherwise. */
int vg_token_role_parse(const char *s, vg_token_role *out);

/* LIBRARY.tokens for library_path into buf. VG_ERR_ARG when buf is too small. */
vg_status vg_tokens_path(const char *library_path, char *buf, size_t len, vg_error *err);

/* Creates token name with role in the tokens file at path (created 0600 when
 * missing), writing its 64 hex digits and a NUL into token. The file is
 * rewritten through a temporary file and rename. VG_ERR_ARG (bad name or
 * role), VG_ERR_EXISTS, VG_ERR_IO, VG_ERR_OPEN, VG_ERR_CORRUPT (bad line). */
vg_status vg_token_add(const char *path, const char *name, vg_token_role role,
                       char token[VG_TOKEN_HEX_LEN + 1], vg_error *err);

/* Removes token name. VG_ERR_NOTFOUND when there is none. */
vg_status vg_token_remove(const char *path, const char *name, vg_error *err);

/* Every token of the file (a missing file is an empty list) in a malloc'd
 * array (*out; free() it, NULL when *n is 0). VG_ERR_CORRUPT names the line. */
vg_status vg_token_list(const char *path, vg_token_info **out, size_t *n, vg_error *err);

/* ---- request parsing (pure: bytes in, request or error out) ------------- */

enum { VG_LQ_MD5 = 1, VG_LQ_SHA1 = 2, VG_LQ_SHA256 = 4, VG_LQ_PDQ = 8 };

typedef struct vg_serve_limits {
    size_t max_body;   /* bytes of a JSON body (default 8 MiB) */
    size_t max_image;  /* bytes of an image body (default 50,000,000) */
    size_t max_batch;  /* items of one lookup or entries of one add (default 10,000) */
    int max_depth;     /* JSON nesting (default 8) */
    int max_radius;    /* largest PDQ radius a request may ask (default 64) */
    uint64_t max_pixels;  /* decoding an uploaded image: pixels (default 100,000,000) */
    double max_seconds;   /* and wall time (default 10); also the time limit of one
                           * hash lookup request (503 "time_limit" beyond it) */
} vg_serve_limits;

void vg_serve_limits_init(vg_serve_limits *l);

typedef struct vg_lookup_item {
    unsigned has;      /* VG_LQ_* */
    uint8_t md5[16], sha1[20], sha256[32];
    vg_pdq pdq;
    char *id;          /* the client's "id" as JSON text (string or integer), or NULL */
} vg_lookup_item;

typedef struct vg_lookup_req {
    vg_lookup_item *items;
    size_t n;
    int radius;        /* -1: the server's default */
} vg_lookup_req;

/* A field-naming parse failure: err says why, field names the JSON path
 * ("items[3].md5", "radius", "" for the document itself). */
typedef struct vg_parse_error {
    vg_error err;
    char field[96];
} vg_parse_error;

/* Parses a POST /v1/lookup/hashes body:
 * {"items":[{"md5"|"sha1"|"sha256"|"pdq": hex, "id": str|int}, ...], "radius": int}.
 * Unknown keys, duplicate keys, wrong lengths, non-hex, depth beyond
 * lim->max_depth, more than lim->max_batch items: VG_ERR_SYNTAX or VG_ERR_LIMIT
 * with pe filled. *out is zeroed on error; free with vg_lookup_req_free. */
vg_status vg_serve_parse_lookup(const char *body, size_t len, const vg_serve_limits *lim,
                                vg_lookup_req *out, vg_parse_error *pe);
void vg_lookup_req_free(vg_lookup_req *r);

/* An admin entries request. Add: {"entries":[{"md5".., "sha1".., "sha256"..,
 * "pdq".., "pdq_quality": 0..100, "name": str, "category": str,
 * "labels": [str...]}]}; every entry needs a hash. Remove: {"ids":[int...]}. */
typedef struct vg_entries_req {
    vg_hs_entry *entries;
    size_t n;
    uint64_t *ids;
    size_t n_ids;
    void *priv;        /* the parsed document the strings point into */
} vg_entries_req;

vg_status vg_serve_parse_entries_add(const char *body, size_t len, const vg_serve_limits *lim,
                                     vg_entries_req *out, vg_parse_error *pe);
vg_status vg_serve_parse_entries_remove(const char *body, size_t len,
                                        const vg_serve_limits *lim, vg_entries_req *out,
                                        vg_parse_error *pe);
void vg_entries_req_free(vg_entries_req *r);

/* ---- the server ---------------------------------------------------------- */

typedef struct vg_serve_config {
    const char *library;        /* library path (required) */
    const char *const *sets;    /* sets to serve; n_sets 0 = all */
    size_t n_sets;
    unsigned matcher_flags;     /* VG_MATCHER_* */
    const char *tokens;         /* tokens file; NULL = LIBRARY.tokens */
    const char *listen;         /* "ADDR:PORT" (IPv4); NULL = "127.0.0.1:8080"; port 0 = any */
    vg_serve_limits limits;
    int default_radius;         /* PDQ radius when a request names none (default 31) */
    unsigned threads;           /* worker threads (default 2) */
    unsigned max_connections;   /* default 256 */
    unsigned timeout_s;         /* idle connection timeout (default 30) */
    FILE *log;                  /* access log (JSON lines); NULL = none */
    int log_queries;            /* also log the hashes looked up */
    const char *cert_pem;       /* TLS certificate chain (PEM text), or NULL: plain HTTP */
    const char *key_pem;        /* its private key (PEM text); both or neither */
} vg_serve_config;

/* Defaults as documented above; library must still be set. */
void vg_serve_config_init(vg_serve_config *c);

typedef struct vg_server vg_server;

/* Opens the library, its matcher and tokens, and starts listening. The
 * server runs on its own threads until vg_server_stop. The tokens file is
 * read again whenever it changes (size, mtime or inode), so added and removed
 * tokens take effect at the next request; a file that has become unreadable
 * or malformed keeps the tokens last read. VG_ERR_ARG (bad
 * listen address, no tokens file), VG_ERR_IO (cannot bind), the library's
 * and matcher's errors. *out is NULL on error. */
vg_status vg_server_start(const vg_serve_config *c, vg_server **out, vg_error *err);

/* The TCP port actually bound (useful with port 0). */
uint16_t vg_server_port(const vg_server *s);

/* Stops listening, waits for requests in flight, frees everything. NULL is fine. */
void vg_server_stop(vg_server *s);

#ifdef __cplusplus
}
#endif
#endif
