/* json.h - a bounded streaming JSON reader for VICS: pull tokens from a
 * FILE, skip what is not needed, build small trees (one Media) in an arena. */
#ifndef VIGIL_HS_JSON_H
#define VIGIL_HS_JSON_H

#include "hashset_int.h"

enum { J_NULL, J_FALSE, J_TRUE, J_NUM, J_STR, J_ARR, J_OBJ };

typedef struct jnode {
    int type;
    uint64_t line;        /* where the value starts */
    const char *key;      /* member name when in an object */
    char *s;              /* J_STR text (NUL-terminated, may hold NULs: len) / J_NUM text */
    size_t len;
    struct jnode *first;  /* children of J_ARR / J_OBJ */
    struct jnode *next;
} jnode;

typedef struct jblock jblock;

/* Bump allocator with a byte limit; freed whole. */
typedef struct jarena {
    jblock *head;
    size_t used;
    size_t limit;
} jarena;

typedef struct vgi_json {
    FILE *f;
    vgi_hs_ctx *c;
    uint64_t line, col; /* of the last consumed character */
    int la;             /* lookahead character, or -2 for none */
    char *sbuf;         /* scratch for strings */
    size_t scap;
} vgi_json;

void vgi_hs_ja_init(jarena *a, size_t limit);
void vgi_hs_ja_free(jarena *a);
/* Empties the arena for the next tree, keeping one block for reuse. */
void vgi_hs_ja_reset(jarena *a);
void *vgi_hs_ja_alloc(jarena *a, size_t n);

void vgi_hs_json_init(vgi_json *j, vgi_hs_ctx *c, FILE *f);
void vgi_hs_json_free(vgi_json *j);

/* Error at the current position: "name:line:col: msg". */
vg_status vgi_hs_json_fail(vgi_json *j, vg_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Skips blanks (and a UTF-8 BOM at the very start); returns the next
 * character without consuming it, or EOF. */
int vgi_hs_json_peek(vgi_json *j);
/* Consumes the next non-blank character, which must be ch. */
vg_status vgi_hs_json_expect(vgi_json *j, int ch, const char *what);
/* After a member or element: consumes ',' (returns 1) or the closer (returns 0). */
vg_status vgi_hs_json_more(vgi_json *j, int closer, int *more);
/* Reads a string into the scratch buffer (valid until the next string). */
vg_status vgi_hs_json_string(vgi_json *j, const char **s, size_t *len);
/* Skips one value of any type. depth counts enclosing containers. */
vg_status vgi_hs_json_skip(vgi_json *j, int depth);
/* Parses one value into a tree in a (VG_ERR_LIMIT beyond a's limit). */
vg_status vgi_hs_json_tree(vgi_json *j, jarena *a, int depth, jnode **out);

/* Member of an object by name (case-insensitive), NULL when absent. */
const jnode *vgi_hs_jn_get(const jnode *obj, const char *key);

#endif
