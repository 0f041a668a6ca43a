/* fuzz_carve.c - the carver on arbitrary bytes: every hit must lie inside the
 * buffer, hits must come in offset order without overlapping, and the whole
 * buffer is also carved through the windowed reader used on disk images. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/evidence/evidence_int.h" /* the windowed reader is internal */
#include "vigil/evidence.h"

typedef struct state {
    size_t len;
    uint64_t next; /* first offset a new hit may start at */
} state;

static int check(const vg_carve_hit *h, void *ctx)
{
    state *s = ctx;
    if (h->length == 0 || h->offset < s->next || h->offset + h->length > s->len)
        abort();
    s->next = h->offset + h->length;
    return 0;
}

static long mem_pread(void *ctx, uint64_t off, uint8_t *buf, size_t len)
{
    const uint8_t **d = ctx;
    memcpy(buf, d[0] + off, len);
    return (long)len;
}

/* A region read through pread with a tiny window, so that objects straddle
 * windows (the disk-image path); static storage keeps the harness fast. */
static void windowed(vgi_bytes *b, uint8_t *win, const uint8_t **ctx, size_t size)
{
    memset(b, 0, sizeof *b);
    b->pread = mem_pread;
    b->ctx = ctx;
    b->size = size;
    b->own = win;
    b->cap = 61;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t w1[64], w2[64];
    state s = {size, 0};
    vgi_bytes scan, parse;
    const uint8_t *ctx[1] = {data};
    vg_carve_mem(data, size, 1u << 20, check, &s);
    s.next = 0;
    windowed(&scan, w1, ctx, size);
    windowed(&parse, w2, ctx, size);
    vgi_carve_region(&scan, &parse, 1u << 20, check, &s);
    return 0;
}
