/* bmp_struct.c - the declared extent of a BMP: pixel array (or the declared
 * file size, or an embedded V5 colour profile, whichever ends last); bytes
 * beyond it are appended data, a gap before the pixels is reported too. */
#include <string.h>

#include "steg_int.h"

#define GAP_MAX 1024

static uint64_t pixel_end(const uint8_t *b, size_t n, uint32_t off)
{
    uint32_t hs = vgi_le32(b + 14);
    if (hs < 40 || 14 + (uint64_t)hs > n)
        return 0;
    int32_t w = (int32_t)vgi_le32(b + 18), h = (int32_t)vgi_le32(b + 22);
    uint32_t bpp = vgi_le16(b + 28), comp = vgi_le32(b + 30), isz = vgi_le32(b + 34);
    if (w <= 0 || h == 0 || h == INT32_MIN || bpp == 0 || bpp > 64)
        return 0;
    uint64_t ah = (uint64_t)(h < 0 ? -(int64_t)h : h);
    uint64_t row = (((uint64_t)w * bpp + 31) / 32) * 4, end;
    if (comp == 0 || comp == 3 || comp == 6) {
        if (row > n || ah > n || row * ah > n) /* cannot fit: and no overflow below */
            return 0;
        end = off + row * ah;
    }
    else
        end = (uint64_t)off + isz; /* RLE, JPEG, PNG: only the declared size */
    if (hs >= 124) { /* BITMAPV5HEADER: profile data offset/size at +112/+116 */
        uint64_t pe = 14 + (uint64_t)vgi_le32(b + 14 + 112) + vgi_le32(b + 14 + 116);
        if (vgi_le32(b + 14 + 116) && pe > end)
            end = pe;
    }
    return end;
}

int vgi_steg_bmp_walk(const uint8_t *b, size_t n, vg_steg_findings *f, size_t *end)
{
    *end = 0;
    if (n < 54 || b[0] != 'B' || b[1] != 'M')
        return 0;
    uint32_t fsize = vgi_le32(b + 2), off = vgi_le32(b + 10);
    uint64_t pe = pixel_end(b, n, off);
    if (!pe || pe > n || off > n)
        return 0; /* truncated or nonsense header: claim nothing */
    uint64_t e = pe;
    if (fsize <= n && fsize > e)
        e = fsize;
    uint32_t hs = vgi_le32(b + 14);
    uint32_t bpp = vgi_le16(b + 28), colours = vgi_le32(b + 46);
    uint64_t pal = bpp <= 8 ? 4ull * (colours ? colours : (1u << bpp)) : 0;
    uint64_t hdr_end = 14 + (uint64_t)hs + pal + (hs == 40 && vgi_le32(b + 30) == 3 ? 12 : 0);
    if (off > hdr_end + GAP_MAX && hdr_end < n &&
        vgi_steg_add(f, b, VG_STEG_SEGMENT, (size_t)hdr_end, off - hdr_end,
                     "%llu bytes between BMP header and pixel data",
                     (unsigned long long)(off - hdr_end)) < 0)
        return -1;
    *end = (size_t)e;
    return 0;
}
