/* carve_formats.c - parsing a carve candidate to its true end: JPEG markers
 * (segment lengths skip an EXIF thumbnail's own SOI/EOI), PNG chunks with
 * CRCs, GIF blocks, BMP header sizes, WebP RIFF chunks. Each parser returns the
 * object's length, or 0 when the bytes are not that object. */
#include <string.h>
#include <zlib.h>

#include "evidence_int.h"

static uint32_t be16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }
static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static uint32_t le16(const uint8_t *p) { return (uint32_t)p[1] << 8 | p[0]; }
static uint32_t le32(const uint8_t *p) { return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0]; }

/* A broken structure after real image data still yields the valid part. */
static uint64_t broken(const vgi_bytes *b, uint64_t start, uint64_t pos, int had_data, int *trunc)
{
    if (pos > b->size) /* a length field pointed past the data */
        pos = b->size;
    if (!had_data || pos <= start)
        return 0;
    *trunc = 1;
    return pos - start;
}

/* An image longer than max is carved up to max, as truncated: rejecting it
 * would let every later candidate inside it parse up to max again, which
 * hostile bytes can turn into quadratic work. */
static uint64_t too_long(uint64_t max, int had_data, int *trunc)
{
    if (!had_data)
        return 0;
    *trunc = 1;
    return max;
}

static int is_sof(int m)
{
    return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

/* Skips entropy-coded data; returns the offset of the FF that starts the next
 * real marker, or UINT64_MAX when the region ends first. */
static uint64_t skip_entropy(vgi_bytes *b, uint64_t pos, uint64_t limit)
{
    while (pos < limit) {
        size_t avail;
        const uint8_t *p = vgi_span(b, pos, &avail);
        const uint8_t *ff;
        int nb;
        if (!p)
            return UINT64_MAX;
        if (!(ff = memchr(p, 0xFF, avail))) {
            pos += avail;
            continue;
        }
        pos += (uint64_t)(ff - p);
        nb = vgi_byte(b, pos + 1);
        if (nb < 0)
            return UINT64_MAX;
        if (nb == 0x00 || (nb >= 0xD0 && nb <= 0xD7) || nb == 0xFF)
            pos += nb == 0xFF ? 1 : 2;
        else
            return pos;
    }
    return UINT64_MAX;
}

static uint64_t parse_jpeg(vgi_bytes *b, uint64_t off, uint64_t max, int *trunc)
{
    uint64_t pos = off + 2, limit = max ? off + max : UINT64_MAX;
    int sof = 0, sos = 0;
    uint8_t h[4];
    while (pos < limit) {
        int m;
        if (vgi_byte(b, pos) != 0xFF)
            return broken(b, off, pos, sos, trunc);
        while (vgi_byte(b, pos) == 0xFF)
            pos++;
        if ((m = vgi_byte(b, pos)) < 0)
            return broken(b, off, pos - 1, sos, trunc);
        pos++;
        if (m == 0xD9)
            return !sos ? 0 : max && pos - off > max ? too_long(max, 1, trunc) : pos - off;
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7))
            continue;
        if (m == 0xD8 || m == 0x00 || vgi_get(b, pos, h, 2) != 0 || be16(h) < 2)
            return broken(b, off, pos - 2, sos, trunc); /* a new file begins, or bytes end */
        if (is_sof(m))
            sof = 1;
        if (m == 0xDA && !sof)
            return 0;
        pos += be16(h);
        if (m == 0xDA) {
            uint64_t next = skip_entropy(b, pos, limit);
            sos = 1;
            if (next == UINT64_MAX) /* past max, or the region ends inside the scan */
                return limit < b->size ? too_long(max, 1, trunc) : broken(b, off, b->size, 1, trunc);
            pos = next;
        }
    }
    return too_long(max, sos, trunc);
}

static int chunk_type_ok(const uint8_t *t)
{
    for (int i = 0; i < 4; i++)
        if (!((t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= 'a' && t[i] <= 'z')))
            return 0;
    return 1;
}

static int crc_ok(vgi_bytes *b, uint64_t pos, uint64_t n, uint32_t want)
{
    uLong crc = crc32(0L, Z_NULL, 0);
    while (n > 0) {
        size_t avail;
        const uint8_t *p = vgi_span(b, pos, &avail);
        if (!p)
            return 0;
        if (avail > n)
            avail = (size_t)n;
        crc = crc32(crc, p, (uInt)avail);
        pos += avail;
        n -= avail;
    }
    return (uint32_t)crc == want;
}

static uint64_t parse_png(vgi_bytes *b, uint64_t off, uint64_t max, int *trunc)
{
    uint64_t pos = off + 8;
    int idat = 0, first = 1;
    for (;;) {
        uint8_t h[8], c[4];
        uint32_t len;
        if (max && pos - off > max)
            return 0;
        if (vgi_get(b, pos, h, 8) != 0 || (len = be32(h)) > 0x7FFFFFFFu || !chunk_type_ok(h + 4))
            return broken(b, off, pos, idat, trunc);
        if (first && (memcmp(h + 4, "IHDR", 4) != 0 || len != 13))
            return 0;
        if (vgi_get(b, pos + 8 + len, c, 4) != 0 || !crc_ok(b, pos + 4, 4 + (uint64_t)len, be32(c)))
            return broken(b, off, pos, idat, trunc);
        first = 0;
        idat |= memcmp(h + 4, "IDAT", 4) == 0;
        pos += 12 + (uint64_t)len;
        if (memcmp(h + 4, "IEND", 4) == 0)
            return idat ? pos - off : 0;
    }
}

/* Skips GIF data sub-blocks; returns the offset after the terminator or 0. */
static uint64_t gif_blocks(vgi_bytes *b, uint64_t pos, uint64_t limit)
{
    for (;;) {
        int n = vgi_byte(b, pos);
        if (n < 0 || pos >= limit)
            return 0;
        pos += 1 + (uint64_t)n;
        if (n == 0)
            return pos;
    }
}

static uint64_t parse_gif(vgi_bytes *b, uint64_t off, uint64_t max, int *trunc)
{
    uint8_t h[13];
    uint64_t pos = off + 13, limit = max ? off + max : UINT64_MAX, next;
    int images = 0;
    if (vgi_get(b, off, h, 13) != 0 || (memcmp(h, "GIF87a", 6) && memcmp(h, "GIF89a", 6)))
        return 0;
    if (le16(h + 6) == 0 || le16(h + 8) == 0)
        return 0;
    if (h[10] & 0x80)
        pos += 3u << ((h[10] & 7) + 1);
    while (pos < limit) {
        int c = vgi_byte(b, pos);
        uint8_t d[10];
        if (c == 0x3B)
            return images ? pos + 1 - off : 0;
        if (c == 0x21 && vgi_get(b, pos, d, 2) == 0) {
            next = gif_blocks(b, pos + 2, limit);
        } else if (c == 0x2C && vgi_get(b, pos, d, 10) == 0) {
            uint64_t p2 = pos + 10 + ((d[9] & 0x80) ? 3u << ((d[9] & 7) + 1) : 0);
            int lzw = vgi_byte(b, p2);
            next = lzw >= 1 && lzw <= 12 ? gif_blocks(b, p2 + 1, limit) : 0;
            images += next != 0;
        } else {
            next = 0;
        }
        if (!next)
            return broken(b, off, pos, images, trunc);
        pos = next;
    }
    return 0;
}

static uint64_t parse_bmp(vgi_bytes *b, uint64_t off, uint64_t max, int *trunc)
{
    uint8_t h[34];
    uint32_t fsize, pix, dib, bpp, comp, planes;
    int64_t w, hgt;
    uint64_t need, len;
    if (vgi_get(b, off, h, sizeof h) != 0 || le32(h + 6) != 0)
        return 0;
    fsize = le32(h + 2), pix = le32(h + 10), dib = le32(h + 14);
    if (dib == 12) {
        w = le16(h + 18), hgt = le16(h + 20), planes = le16(h + 22), bpp = le16(h + 24), comp = 0;
    } else if (dib == 40 || dib == 52 || dib == 56 || dib == 64 || dib == 108 || dib == 124) {
        w = (int32_t)le32(h + 18), hgt = (int32_t)le32(h + 22);
        planes = le16(h + 26), bpp = le16(h + 28), comp = le32(h + 30);
    } else {
        return 0;
    }
    if (hgt < 0)
        hgt = -hgt;
    if (planes != 1 || w <= 0 || hgt == 0 || w > 100000 || hgt > 100000 || pix < 14 + dib ||
        (bpp != 1 && bpp != 4 && bpp != 8 && bpp != 16 && bpp != 24 && bpp != 32) || comp > 6)
        return 0;
    if (comp == 0 || comp == 3 || comp == 6) {
        need = pix + (uint64_t)(((uint64_t)w * bpp + 31) / 32 * 4) * (uint64_t)hgt;
        len = fsize >= need && fsize - need < 65536 ? fsize : need;
    } else {
        if (fsize <= pix)
            return 0;
        len = fsize;
    }
    if (max && len > max)
        return 0;
    if (off + len > b->size) {
        *trunc = 1;
        return b->size - off;
    }
    return len;
}

static uint64_t parse_webp(vgi_bytes *b, uint64_t off, uint64_t max, int *trunc)
{
    uint8_t h[12], c[12];
    uint64_t end, pos = off + 12;
    int first = 1;
    if (vgi_get(b, off, h, 12) != 0 || memcmp(h + 8, "WEBP", 4) != 0 || le32(h + 4) < 4 + 8 + 10)
        return 0;
    end = off + 8 + le32(h + 4) + (le32(h + 4) & 1);
    if (max && end - off > max)
        return 0;
    while (pos < end) {
        uint32_t n;
        if (vgi_get(b, pos, c, 12) != 0)
            return broken(b, off, pos, !first, trunc);
        n = le32(c + 4);
        if (first && !((!memcmp(c, "VP8 ", 4) && n >= 10) || (!memcmp(c, "VP8L", 4) && c[8] == 0x2F) ||
                       (!memcmp(c, "VP8X", 4) && n == 10)))
            return 0;
        if (first && !memcmp(c, "VP8 ", 4) && vgi_get(b, pos + 11, c, 3) == 0 &&
            memcmp(c, "\x9D\x01\x2A", 3) != 0)
            return 0;
        first = 0;
        pos += 8 + (uint64_t)n + (n & 1);
    }
    if (pos != end)
        return 0;
    if (end > b->size) {
        *trunc = 1;
        return b->size - off;
    }
    return end - off;
}

static uint64_t parse_any(vgi_bytes *b, uint64_t off, uint64_t max, const char **type, int *trunc)
{
    uint8_t m[8];
    size_t n = (size_t)(b->size - off < 8 ? b->size - off : 8);
    if (n < 4 || vgi_get(b, off, m, n) != 0)
        return 0;
    if (m[0] == 0xFF && m[1] == 0xD8 && m[2] == 0xFF)
        return *type = "jpeg", parse_jpeg(b, off, max, trunc);
    if (n == 8 && memcmp(m, "\x89PNG\r\n\x1a\n", 8) == 0)
        return *type = "png", parse_png(b, off, max, trunc);
    if (m[0] == 'G' && m[1] == 'I' && m[2] == 'F' && m[3] == '8')
        return *type = "gif", parse_gif(b, off, max, trunc);
    if (m[0] == 'B' && m[1] == 'M')
        return *type = "bmp", parse_bmp(b, off, max, trunc);
    if (memcmp(m, "RIFF", 4) == 0)
        return *type = "webp", parse_webp(b, off, max, trunc);
    return 0;
}

uint64_t vgi_carve_parse(vgi_bytes *b, uint64_t off, uint64_t max, const char **type, int *trunc)
{
    uint64_t len;
    *trunc = 0;
    len = parse_any(b, off, max, type, trunc);
    /* The parsers check max per step; the last step may overshoot it. */
    return max && len > max ? 0 : len;
}
