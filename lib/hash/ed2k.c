/* ed2k.c - the eDonkey2000 / eMule file hash.
 *
 * The file is cut into chunks of 9,728,000 bytes (9500 KiB, eMule's PARTSIZE)
 * and each chunk is hashed with MD4. A file shorter than one chunk is
 * identified by the MD4 of its bytes; otherwise by the MD4 of the
 * concatenated chunk hashes.
 *
 * Sizes that are an exact multiple of the chunk size have two conventions.
 * eMule (CKnownFile::CreateFromFile) hashes full chunks while at least one
 * chunk's worth remains, then always hashes the remainder, which is empty for
 * such sizes, and appends that MD4 of nothing (31d6cfe0...) to the list; its
 * comment table in CKnownFile::SetFileSize shows "File size: 1*PARTSIZE ...
 * Nr. hashs: 2 ... 31D6CFE0D16AE931B73C59D7E0C089C0 *special part hash*".
 * aMule and RHash ("eMule-compatible") do the same, and the network checks a
 * hash set against the file hash this way, so that is the eD2k hash here
 * (tools call it "red"). Some other tools leave the empty chunk out ("blue");
 * that value is returned too, for matching lists those tools produced. The two
 * differ only when the size is a nonzero multiple of 9,728,000.
 */
#include <string.h>

#include "digest_int.h"

void vgi_ed2k_init(vgi_ed2k *e)
{
    vgi_md4_init(&e->chunk);
    vgi_md4_init(&e->list);
    e->fill = 0;
    e->nchunks = 0;
}

void vgi_ed2k_update(vgi_ed2k *e, const uint8_t *p, size_t n)
{
    while (n) {
        size_t room = VGI_ED2K_CHUNK - e->fill;
        size_t take = n < room ? n : room;
        uint8_t h[16];

        vgi_md4_update(&e->chunk, p, take);
        e->fill += (uint32_t)take;
        p += take;
        n -= take;
        if (e->fill < VGI_ED2K_CHUNK)
            break;
        vgi_md4_final(&e->chunk, h);
        vgi_md4_update(&e->list, h, sizeof h);
        if (e->nchunks++ == 0)
            memcpy(e->first, h, sizeof h);
        vgi_md4_init(&e->chunk);
        e->fill = 0;
    }
}

void vgi_ed2k_final(vgi_ed2k *e, uint8_t red[16], uint8_t blue[16])
{
    uint8_t last[16];

    vgi_md4_final(&e->chunk, last);
    if (e->nchunks == 0) {
        memcpy(red, last, 16);
        memcpy(blue, last, 16);
        return;
    }
    if (e->fill == 0) {
        vgi_md4 without = e->list;
        if (e->nchunks == 1)
            memcpy(blue, e->first, 16);
        else
            vgi_md4_final(&without, blue);
    }
    vgi_md4_update(&e->list, last, sizeof last);
    vgi_md4_final(&e->list, red);
    if (e->fill != 0)
        memcpy(blue, red, 16);
}
