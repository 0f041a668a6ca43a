/* hashset_int.h - helpers shared by the hash-set readers and writers. */
#ifndef VIGIL_HASHSET_INT_H
#define VIGIL_HASHSET_INT_H

#include <stdio.h>

#include "vigil/hashset.h"

/* One import in progress: where entries go and how errors are named. */
typedef struct vgi_hs_ctx {
    const char *name;            /* file name for messages (base name) */
    const char *path;            /* full path (RDSv3 opens it itself), may be NULL */
    FILE *f;                     /* the input, positioned at its start */
    const vg_hs_scheme *scheme;  /* never NULL once reading starts */
    vg_hs_entry_cb cb;
    void *cbctx;
    vg_hs_stats *st;             /* never NULL */
    vg_error *err;
} vgi_hs_ctx;

/* Bounded line reader: strips a UTF-8 BOM on line 1, LF / CRLF endings. */
typedef struct vgi_lr {
    FILE *f;
    char *buf;
    size_t cap;
    uint64_t lineno;
} vgi_lr;

void vgi_hs_lr_init(vgi_lr *r, FILE *f);
void vgi_hs_lr_free(vgi_lr *r);
/* 1 with *line set (NUL-terminated, *len bytes), 0 at end of file, or -1
 * with the error recorded in c->err (*st receives the code). */
int vgi_hs_lr_next(vgi_lr *r, vgi_hs_ctx *c, char **line, size_t *len, vg_status *st);

/* Error "name:line: msg" (line 0: "name: msg"). Returns code. */
vg_status vgi_hs_fail(vgi_hs_ctx *c, vg_status code, uint64_t line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* Records a non-fatal oddity in the stats. */
void vgi_hs_warn(vgi_hs_ctx *c, uint64_t line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Initialises e: no hashes, quality -1, category "none" through the scheme. */
void vgi_hs_entry_init(vgi_hs_ctx *c, vg_hs_entry *e, uint64_t line);
/* Maps raw (NULL = absent) through the scheme into e. VG_ERR_NOTFOUND named. */
vg_status vgi_hs_entry_category(vgi_hs_ctx *c, vg_hs_entry *e, const char *raw, uint64_t line);
/* Hands e to the callback, counting it. */
vg_status vgi_hs_emit(vgi_hs_ctx *c, const vg_hs_entry *e);

/* Parses n hex digits as the hash of that length (32 MD5, 40 SHA-1, 64
 * SHA-256) into e. want restricts the kind (0 = any). Errors name the field. */
vg_status vgi_hs_parse_hash(vgi_hs_ctx *c, vg_hs_entry *e, const char *s, size_t n, unsigned want,
                         const char *field, uint64_t line);
/* Sets one kind of hash from exactly the right number of hex digits. */
vg_status vgi_hs_parse_kind(vgi_hs_ctx *c, vg_hs_entry *e, const char *s, size_t n, unsigned kind,
                         const char *field, uint64_t line);
/* Unsigned decimal with no sign or junk; -1 when s is not one. */
int vgi_hs_parse_u64(const char *s, size_t n, uint64_t *out);
int vgi_hs_is_hex(const char *s, size_t n);

/* Splits a CSV line in place (quotes, doubled quotes). Up to max fields;
 * returns the count, or -1 on an unterminated quote. */
int vgi_hs_csv_split(char *line, char **fields, int max);

/* Normalises a date to ISO 8601 UTC in out (>= 32 bytes). 0 on success. */
int vgi_hs_date_iso(const char *in, char *out, size_t outsz);

/* Format readers. Each reads c->f (or c->path) from its start. */
vg_status vgi_hs_read_vics(vgi_hs_ctx *c);
vg_status vgi_hs_read_sums(vgi_hs_ctx *c, vg_hs_format fmt);
vg_status vgi_hs_read_nsrl2(vgi_hs_ctx *c);
vg_status vgi_hs_read_nsrl3(vgi_hs_ctx *c);
vg_status vgi_hs_read_hashkeeper(vgi_hs_ctx *c);
vg_status vgi_hs_read_pdq(vgi_hs_ctx *c);
/* Detects the format of an open file and rewinds it. */
vg_status vgi_hs_detect_file(FILE *f, const char *name, vg_hs_format *out, vg_error *err);

/* Hash kind name for messages: "MD5", "SHA1", "SHA256", "PDQ". */
const char *vgi_hs_kind_name(unsigned kind);
/* Digit count of a kind. */
size_t vgi_hs_kind_hexlen(unsigned kind);

#endif
