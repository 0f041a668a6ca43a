/* review_int.h - what the files of lib/review share. */
#ifndef VG_REVIEW_INT_H
#define VG_REVIEW_INT_H

#include <pthread.h>
#include <stdio.h>

#include "vigil/review.h"
#include "vigil/store_query.h"

/* ---- the category scheme (scheme.c) ---- */

#define VGI_CATS_MAX 64

typedef struct vgi_cat {
    char code[32];
    char label[160];
    char key[2];   /* the digit that applies it, "" none */
} vgi_cat;

typedef struct vgi_scheme {
    char name[48];
    vgi_cat cats[VGI_CATS_MAX];
    const char *codes[VGI_CATS_MAX]; /* into cats, for vg_scheme_order */
    size_t n;
} vgi_scheme;

/* Loads a built-in scheme by name or a scheme file, with its categories in
 * order. VG_ERR_ARG for an unknown one or one without categories ("custom"). */
vg_status vgi_scheme_load(const char *name_or_file, vgi_scheme *out, vg_error *err);
const vgi_cat *vgi_scheme_find(const vgi_scheme *s, const char *code);

/* ---- embedded assets (assets.c and the generated table) ---- */

typedef struct vgi_asset {
    const char *name;  /* "index.html" */
    const char *type;  /* its Content-Type */
    const unsigned char *data;
    size_t len;
} vgi_asset;

extern const vgi_asset vgi_assets[];
extern const size_t vgi_n_assets;

/* The asset named name (no leading slash); NULL when there is none. */
const vgi_asset *vgi_asset_find(const char *name);

/* ---- the server ---- */

struct vg_review {
    vg_store *store;
    pthread_mutex_t store_mu;   /* one request at a time uses store */
    pthread_mutex_t auth_mu;    /* token_spent, session */
    char case_path[4096];
    char examiner[128];
    int reveal_default;
    vgi_scheme scheme;
    vg_scheme_order order;
    char token[33];             /* one-time, hex */
    int token_spent;
    char session[65];           /* hex; "" until the token is traded */
    char host_ip[32], host_name[32]; /* the Host values accepted */
    char url[96];
    uint16_t port;
    struct MHD_Daemon *d;
};

/* An answer: status, body (malloc'd; the response takes it), content type,
 * and for 303 where to. */
typedef struct vgi_reply {
    unsigned status;
    char *body;                /* malloc'd, or NULL */
    const void *static_body;   /* not freed (assets, fixed pages) when body is NULL */
    size_t len;
    const char *ctype;
    const char *location;      /* Location of a redirect, or NULL */
    char cookie[128];          /* Set-Cookie value, or "" */
} vgi_reply;

/* {"error":"msg"} with status. */
void vgi_rv_error(vgi_reply *r, unsigned status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Opens a memstream for a JSON answer (NULL: out of memory). */
FILE *vgi_json_open(char **buf, size_t *len);
/* Closes it and answers with its text with status (500 when it failed). */
void vgi_rv_stream(vgi_reply *r, unsigned status, FILE *f, char **buf, size_t *len);

/* ---- authentication (auth.c) ---- */

/* Fills hex (2*n+1 bytes) with n random bytes from getrandom. */
vg_status vgi_random_hex(char *hex, size_t n, vg_error *err);
/* Whether host is exactly one of the accepted Host values. */
int vgi_host_ok(const vg_review *r, const char *host);
/* Trades token for the session: 1 and the session set on the first use of
 * the right token, 0 otherwise (wrong or spent). */
int vgi_token_trade(vg_review *r, const char *token);
/* Whether the Cookie header holds the session. */
int vgi_cookie_ok(vg_review *r, const char *cookie_header);

/* ---- the API (api_*.c); each runs under store_mu ---- */

void vgi_api_case(vg_review *r, vgi_reply *out);
/* args: the request's query parameters, as (key, value) pairs. */
void vgi_api_items(vg_review *r, const char *const *keys, const char *const *vals, size_t n,
                   vgi_reply *out);
void vgi_api_item(vg_review *r, int64_t id, vgi_reply *out);
void vgi_api_thumb(vg_review *r, int64_t id, int reveal, vgi_reply *out);
void vgi_api_categorise(vg_review *r, int cluster, int64_t id, const char *body, size_t len,
                        vgi_reply *out);

/* Writes the ITEM object of the listing (without the closing brace when
 * open is set, so the detail can add fields). */
void vgi_item_json(FILE *f, const vg_list_item *it, int open);
/* A match object; labels adds its "labels". */
void vgi_match_json(FILE *f, const vg_match_rec *m, int labels);
/* A JSON string, or null for NULL. */
void vgi_json_str_or_null(FILE *f, const char *s);

#endif
