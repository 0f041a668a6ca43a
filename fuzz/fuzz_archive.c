/* fuzz_archive.c - the evidence walker over an arbitrary file: archive
 * sniffing, nested expansion, limits, item reads and loads. Disk images are
 * off (TSK's own parsers are not ours to fuzz); carving has fuzz_carve. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vigil/evidence.h"

static vg_walk_ret on_item(vg_item *it, void *ctx)
{
    const uint8_t *d;
    size_t n, got;
    uint8_t buf[4096];
    (void)ctx;
    if (!it->path || !it->name || !it->error)
        abort();
    if (it->type != VG_ITEM_REG || it->status != VG_OK)
        return VG_WALK_CONTINUE;
    /* alternate the two ways of reading, as the pipeline may */
    if (it->depth & 1) {
        while (vg_item_read(it, buf, sizeof buf, &got, NULL) == VG_OK && got)
            ;
    } else if (vg_item_load(it, &d, &n, NULL) == VG_OK && n && d[n - 1] == 0xA5) {
        buf[0] = d[0]; /* touch both ends */
    }
    return VG_WALK_CONTINUE;
}

static char path[64];

static void cleanup(void)
{
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vg_evidence_opts o;
    FILE *f;
    if (!path[0]) {
        snprintf(path, sizeof path, "/tmp/vigil-fuzz-archive-%d.bin", (int)getpid());
        atexit(cleanup);
    }
    if (!(f = fopen(path, "wb")))
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    vg_evidence_opts_default(&o);
    o.disk_images = 0;
    o.max_item_mem = 1u << 20;
    o.max_total_bytes = 64u << 20;
    o.max_entries = 1000;
    vg_evidence_walk(path, &o, on_item, NULL, NULL);
    return 0;
}
