/* carve.c - the carving engine: windows over a region, the scan for
 * candidate signatures, and vg_carve_mem for buffers. Parsers: carve_formats.c. */
#include <stdlib.h>
#include <string.h>

#include "evidence_int.h"

#define WIN_SIZE (1u << 20)

const uint8_t *vgi_span(vgi_bytes *b, uint64_t off, size_t *avail)
{
    long n;
    *avail = 0;
    if (off >= b->size)
        return NULL;
    if (off >= b->win_off && off < b->win_off + b->win_len) {
        *avail = b->win_len - (size_t)(off - b->win_off);
        return b->win + (off - b->win_off);
    }
    if (!b->own)
        return NULL;
    n = b->pread(b->ctx, off, b->own,
                 (size_t)(b->size - off < b->cap ? b->size - off : b->cap));
    if (n <= 0) {
        b->win_len = 0;
        return NULL;
    }
    b->win = b->own;
    b->win_off = off;
    b->win_len = (size_t)n;
    *avail = (size_t)n;
    return b->win;
}

int vgi_byte(vgi_bytes *b, uint64_t off)
{
    size_t avail;
    const uint8_t *p = vgi_span(b, off, &avail);
    return p ? p[0] : -1;
}

int vgi_get(vgi_bytes *b, uint64_t off, void *out, size_t n)
{
    uint8_t *o = out;
    while (n > 0) {
        size_t avail;
        const uint8_t *p = vgi_span(b, off, &avail);
        if (!p)
            return -1;
        if (avail > n)
            avail = n;
        memcpy(o, p, avail);
        o += avail;
        off += avail;
        n -= avail;
    }
    return 0;
}

/* The byte that must follow each possible first byte of an object (0: the
 * byte starts none): JPEG SOI, PNG, GIF, BMP, RIFF. Checking two bytes in the
 * scan loop keeps the parsers for the few real candidates: on random data one
 * position in about 13000 gets past it. */
static const uint8_t second_byte[256] = {
    [0xFF] = 0xD8, [0x89] = 'P', ['G'] = 'I', ['B'] = 'M', ['R'] = 'I',
};

/* Offset in p[0..avail) of the first candidate, or avail. A candidate whose
 * second byte lies past the window is returned for the parser to decide. */
static size_t next_candidate(const uint8_t *p, size_t avail)
{
    size_t i = 0;
    while (i < avail) {
        size_t end = i + 8 < avail ? i + 8 : avail;
        uint64_t w;
        /* Unallocated space is mostly zeros: skip them a word at a time. */
        if (end - i == 8 && (memcpy(&w, p + i, 8), w == 0)) {
            i = end;
            continue;
        }
        for (; i < end; i++) {
            uint8_t want = second_byte[p[i]];
            if (want && (i + 1 == avail || p[i + 1] == want))
                return i;
        }
    }
    return avail;
}

void vgi_carve_region(vgi_bytes *scan, vgi_bytes *parse, uint64_t max_size,
                      vg_carve_cb cb, void *ctx)
{
    uint64_t pos = 0;
    while (pos < scan->size) {
        size_t avail, i;
        const uint8_t *p = vgi_span(scan, pos, &avail);
        if (!p)
            return;
        i = next_candidate(p, avail);
        pos += i;
        if (i == avail)
            continue;
        {
            vg_carve_hit hit;
            int trunc = 0;
            uint64_t len = vgi_carve_parse(parse, pos, max_size, &hit.type, &trunc);
            if (len == 0) {
                pos++;
                continue;
            }
            hit.offset = pos;
            hit.length = len;
            hit.truncated = trunc;
            if (cb(&hit, ctx))
                return;
            pos += len;
        }
    }
}

void vg_carve_mem(const uint8_t *buf, size_t len, uint64_t max_size, vg_carve_cb cb, void *ctx)
{
    vgi_bytes b;
    memset(&b, 0, sizeof b);
    b.size = len;
    b.win = buf;
    b.win_len = len;
    if (!buf || !cb)
        return;
    vgi_carve_region(&b, &b, max_size, cb, ctx);
}

/* Windows of WIN_SIZE over a region read through pread. Returns -1 on NOMEM. */
int vgi_bytes_open(vgi_bytes *b, long (*pread)(void *, uint64_t, uint8_t *, size_t), void *ctx,
                   uint64_t size)
{
    memset(b, 0, sizeof *b);
    b->pread = pread;
    b->ctx = ctx;
    b->size = size;
    b->cap = WIN_SIZE;
    b->own = malloc(WIN_SIZE);
    return b->own ? 0 : -1;
}

void vgi_bytes_close(vgi_bytes *b)
{
    free(b->own);
    b->own = NULL;
}
