/* png_struct.c - walks PNG chunks: data after IEND, after the zlib stream of
 * IDAT, private or unknown chunks, text chunks holding encoded blobs.
 *
 * PNG spec (ISO/IEC 15948, W3C 2003) 5.3: length, type, data, CRC; a type
 * whose second letter is lower case is private (bit 5 of byte 1). The IDAT
 * chunks together form one zlib stream (10.1); anything after its end is not
 * image data, so it is inflated here into a scratch buffer to find that end.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "steg_int.h"

#define PRIVATE_MIN 64         /* private chunks at least this long are reported */
#define UNKNOWN_MIN 1024       /* unknown public ancillary chunks likewise */
#define ICC_MAX (1u << 20)
#define TEXT_INFLATE_MAX (1u << 20)
#define TEXT_BUDGET (16u << 20) /* text bytes inflated per file, against bombs */

static const char *const KNOWN[] = {
    "IHDR", "PLTE", "IDAT", "IEND", "tRNS", "cHRM", "gAMA", "iCCP", "sBIT", "sRGB",
    "cICP", "mDCv", "cLLi", "tEXt", "zTXt", "iTXt", "bKGD", "hIST", "pHYs", "sPLT",
    "eXIf", "tIME", "acTL", "fcTL", "fdAT", "oFFs", "pCAL", "sCAL", "gIFg", "gIFx",
    "gIFt", "sTER", "dSIG", "iDOT", "vpAg", "caNv", "orNT", "mDCV", "cLLI"};

typedef struct pwalk {
    const uint8_t *b;
    vg_steg_findings *f;
    z_stream z;
    int zinit, zdone;
    uint8_t *scratch;
    uint64_t idat_max;    /* inflated IDAT bytes allowed: from IHDR, with slack */
    uint64_t text_budget; /* text bytes still allowed to inflate */
} pwalk;

static int known(const uint8_t *t)
{
    for (size_t i = 0; i < sizeof KNOWN / sizeof KNOWN[0]; i++)
        if (memcmp(t, KNOWN[i], 4) == 0)
            return 1;
    return 0;
}

/* Inflates at most TEXT_INFLATE_MAX bytes of src into a new buffer. */
static uint8_t *inflate_text(const uint8_t *src, size_t n, size_t *out_n)
{
    uint8_t *out = malloc(TEXT_INFLATE_MAX);
    if (!out)
        return NULL;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit(&z) != Z_OK) {
        free(out);
        return NULL;
    }
    z.next_in = (Bytef *)src;
    z.avail_in = n > 0x7fffffff ? 0x7fffffff : (uInt)n;
    z.next_out = out;
    z.avail_out = TEXT_INFLATE_MAX;
    inflate(&z, Z_FINISH);
    *out_n = TEXT_INFLATE_MAX - z.avail_out;
    inflateEnd(&z);
    return out;
}

static int check_text(pwalk *w, const uint8_t *t, size_t off, size_t n)
{
    const uint8_t *p = w->b + off;
    const uint8_t *nul = memchr(p, 0, n < 80 ? n : 80);
    if (!nul)
        return 0;
    size_t kw = (size_t)(nul - p);
    /* ImageMagick stores EXIF/XMP/ICC as hex under these keywords. */
    if (kw >= 16 && memcmp(p, "Raw profile type", 16) == 0)
        return 0;
    size_t q = kw + 1;
    int compressed = 0;
    if (memcmp(t, "zTXt", 4) == 0) {
        compressed = 1;
        q++;
    } else if (memcmp(t, "iTXt", 4) == 0) {
        if (q + 2 > n)
            return 0;
        compressed = p[q];
        q += 2;
        for (int k = 0; k < 2; k++) { /* language tag, translated keyword */
            const uint8_t *z = q < n ? memchr(p + q, 0, n - q) : NULL;
            if (!z)
                return 0;
            q = (size_t)(z - p) + 1;
        }
    }
    if (q > n)
        return 0;
    int blob;
    size_t tn = n - q;
    if (compressed) {
        if (w->text_budget < TEXT_INFLATE_MAX)
            return 0; /* budget spent: the decoder will meet the same bomb */
        w->text_budget -= TEXT_INFLATE_MAX;
        uint8_t *txt = inflate_text(p + q, n - q, &tn);
        if (!txt)
            return -1;
        blob = vgi_steg_blob_text(txt, tn);
        free(txt);
    } else {
        blob = vgi_steg_blob_text(p + q, tn);
    }
    if (!blob)
        return 0;
    return vgi_steg_add(w->f, w->b, VG_STEG_SEGMENT, off + q, n - q,
                        "PNG %.4s chunk '%.*s' with %zu bytes of encoded text", (const char *)t,
                        (int)(kw > 40 ? 40 : kw), (const char *)p, tn);
}

/* Feeds one IDAT chunk to the inflater; reports bytes after the stream end. */
static int feed_idat(pwalk *w, size_t off, size_t n)
{
    if (w->zdone)
        return n ? vgi_steg_add(w->f, w->b, VG_STEG_SEGMENT, off, n,
                                "IDAT chunk after the end of the zlib stream")
                 : 0;
    if (!w->zinit) {
        memset(&w->z, 0, sizeof w->z);
        if (inflateInit(&w->z) != Z_OK)
            return -1;
        w->zinit = 1;
    }
    w->z.next_in = (Bytef *)(w->b + off);
    w->z.avail_in = (uInt)n;
    while (w->z.avail_in) {
        w->z.next_out = w->scratch;
        w->z.avail_out = 65536;
        int r = inflate(&w->z, Z_NO_FLUSH);
        if (w->z.total_out > w->idat_max) {
            w->zdone = 2; /* more pixels than IHDR declares: a bomb, not data */
            return 0;
        }
        if (r == Z_STREAM_END) {
            w->zdone = 1;
            size_t rest = w->z.avail_in;
            return rest ? vgi_steg_add(w->f, w->b, VG_STEG_SEGMENT, off + n - rest, rest,
                                       "%zu bytes after the zlib stream in IDAT", rest)
                        : 0;
        }
        if (r != Z_OK) {
            w->zdone = 2; /* corrupt: the decoder will say so; claim nothing */
            return 0;
        }
    }
    return 0;
}

/* Raw size IHDR implies (rows of filter byte + samples), doubled for
 * interlacing's extra filter bytes, plus slack; 1 GiB when IHDR is odd. */
static void ihdr_limit(pwalk *w, const uint8_t *p, size_t n)
{
    w->idat_max = 1ull << 30;
    if (n < 13)
        return;
    uint64_t wd = vgi_be32(p), ht = vgi_be32(p + 4), depth = p[8], ct = p[9];
    uint64_t ch = ct == 2 ? 3 : ct == 4 ? 2 : ct == 6 ? 4 : 1;
    uint64_t row = (wd * ch * depth + 7) / 8 + 1;
    if (wd && ht && wd < (1u << 31) && ht < (1u << 31))
        w->idat_max = 2 * row * ht + (1u << 20);
}

static int check_chunk(pwalk *w, const uint8_t *t, size_t off, size_t n)
{
    if (memcmp(t, "IHDR", 4) == 0) {
        ihdr_limit(w, w->b + off, n);
        return 0;
    }
    if (memcmp(t, "IDAT", 4) == 0)
        return w->zdone == 2 ? 0 : feed_idat(w, off, n);
    if (memcmp(t, "tEXt", 4) == 0 || memcmp(t, "zTXt", 4) == 0 || memcmp(t, "iTXt", 4) == 0)
        return check_text(w, t, off, n);
    if (memcmp(t, "iCCP", 4) == 0 && n > ICC_MAX)
        return vgi_steg_add(w->f, w->b, VG_STEG_SEGMENT, off, n, "iCCP chunk of %zu bytes", n);
    if (known(t))
        return 0;
    if ((t[1] & 0x20) && n >= PRIVATE_MIN)
        return vgi_steg_add(w->f, w->b, VG_STEG_SEGMENT, off, n,
                            "private PNG chunk '%.4s' of %zu bytes", (const char *)t, n);
    if (n >= UNKNOWN_MIN)
        return vgi_steg_add(w->f, w->b, VG_STEG_SEGMENT, off, n,
                            "unknown PNG chunk '%.4s' of %zu bytes", (const char *)t, n);
    return 0;
}

static int walk(pwalk *w, size_t n, size_t *end)
{
    size_t p = 8;
    while (p + 12 <= n) {
        size_t len = vgi_be32(w->b + p);
        const uint8_t *t = w->b + p + 4;
        if (len > 0x7fffffff || len > n - p - 12)
            return 0;
        if (check_chunk(w, t, p + 8, len) < 0)
            return -1;
        p += 12 + len;
        if (memcmp(t, "IEND", 4) == 0) {
            *end = p;
            return 0;
        }
    }
    return 0;
}

int vgi_steg_png_walk(const uint8_t *b, size_t n, vg_steg_findings *f, size_t *end)
{
    *end = 0;
    if (n < 8 || memcmp(b, "\x89PNG\r\n\x1a\n", 8) != 0)
        return 0;
    pwalk w = {.b = b, .f = f, .idat_max = 1ull << 30, .text_budget = TEXT_BUDGET};
    w.scratch = malloc(65536);
    if (!w.scratch)
        return -1;
    int r = walk(&w, n, end);
    if (w.zinit)
        inflateEnd(&w.z);
    free(w.scratch);
    return r;
}
