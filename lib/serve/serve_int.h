/* serve_int.h - helpers shared by the files of lib/serve. */
#ifndef VG_SERVE_INT_H
#define VG_SERVE_INT_H

#include <jansson.h>

#include "vigil/serve.h"

/* SHA-256 of a presented token. */
vg_status vgi_token_hash(const char *token, size_t len, uint8_t out[32]);

/* Checks size and nesting of body, then parses it with jansson (duplicates
 * rejected) into an object. NULL with pe filled on error. */
json_t *vgi_parse_object(const char *body, size_t len, const vg_serve_limits *lim,
                         vg_parse_error *pe);

/* Fills pe (code, field, message) and returns the code. */
vg_status vgi_perr(vg_parse_error *pe, vg_status code, const char *field, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Decodes the hex string v of exactly 2*n digits into out; field names it
 * in the error. */
vg_status vgi_hex_field(json_t *v, size_t n, uint8_t *out, const char *field,
                        vg_parse_error *pe);

#endif

/* ---- server internals ---------------------------------------------------- */
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>

#include "vigil/library.h"

enum {
    VGI_EP_HEALTH, VGI_EP_METRICS, VGI_EP_SETS, VGI_EP_HASHES, VGI_EP_IMAGE,
    VGI_EP_ADD, VGI_EP_REMOVE, VGI_EP_OTHER, VGI_EP_COUNT
};
#define VGI_N_STATUS 11
#define VGI_N_BUCKETS 12

typedef struct vgi_metrics {
    atomic_ulong requests[VGI_EP_COUNT][VGI_N_STATUS];
    atomic_ulong latency_bucket[VGI_EP_COUNT][VGI_N_BUCKETS + 1];
    atomic_ulong latency_us_sum[VGI_EP_COUNT];
    atomic_ulong items, matches, auth_failures;
} vgi_metrics;

/* What a handler answers; body is malloc'd (the response takes it). */
typedef struct vgi_reply {
    unsigned status;
    char *body;
    size_t len;
    const char *ctype;
    size_t items, matches;
    char *query;       /* JSON text for the access log with --log-queries, or NULL */
} vgi_reply;

struct vg_server {
    vg_serve_config cfg;
    vg_library *lib;   /* the matcher's */
    vg_library *meta;  /* a second handle for listing sets, under meta_mu */
    pthread_mutex_t meta_mu, log_mu;
    vg_matcher *m;
    char tokens_path[8192];
    pthread_rwlock_t tok_rw;    /* guards tokens, n_tokens, tok_stat */
    vg_token_info *tokens;
    size_t n_tokens;
    struct stat tok_stat;       /* of the file when last read */
    struct MHD_Daemon *d;
    uint16_t port;
    vgi_metrics metrics;
};

const char *vgi_ep_name(int ep);
void vgi_metrics_record(vgi_metrics *mx, int ep, unsigned status, double seconds);
void vgi_metrics_text(vg_server *s, vgi_reply *r);

/* Answers with {"error":{"status":..,"code":..,"field":..,"message":..}}. */
void vgi_reply_error(vgi_reply *r, unsigned status, const char *code, const char *field,
                     const char *msg);
/* Closes f, a memstream over *buf, and answers with its text (500 when the
 * stream failed). */
void vgi_reply_stream(vgi_reply *r, unsigned status, FILE *f, char **buf, const size_t *len);
/* 413 for a body over the limit, else 400, naming pe's field. */
void vgi_reply_parse_error(vgi_reply *r, const vg_parse_error *pe);
/* Takes the text of a closed memstream as the reply body (500 when NULL). */
void vgi_reply_json(vgi_reply *r, unsigned status, char *buf, size_t len);

void vgi_handle_hashes(vg_server *s, const char *body, size_t len, vgi_reply *r);
void vgi_handle_image(vg_server *s, const uint8_t *body, size_t len, int radius, int dihedral,
                      vgi_reply *r);
void vgi_handle_sets(vg_server *s, vgi_reply *r);
void vgi_handle_entries(vg_server *s, int ep, const char *set, const char *body, size_t len,
                        vgi_reply *r);
