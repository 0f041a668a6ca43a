/* fuzz_hashlist.c - the line and CSV readers (md5sum, sha1sum, sha256sum,
 * BSD, hashdeep, plain, PDQ lines and CSV, NSRL RDS2, HashKeeper) and format
 * detection. The first byte picks the format; the rest is the file. Entries
 * go through the plain, *sum and PDQ CSV writers. */
#include <stdio.h>

#include "vigil/hashset.h"

static const vg_hs_format formats[] = {
    VG_HS_FMT_AUTO,   VG_HS_FMT_MD5SUM, VG_HS_FMT_SHA1SUM,  VG_HS_FMT_SHA256SUM,
    VG_HS_FMT_BSD,    VG_HS_FMT_HASHDEEP, VG_HS_FMT_PLAIN,  VG_HS_FMT_PDQ,
    VG_HS_FMT_NSRL_RDS2, VG_HS_FMT_HASHKEEPER};

typedef struct sinks {
    vg_hs_writer *w[3];
} sinks;

static int to_writers(void *ctx, const vg_hs_entry *e)
{
    sinks *s = ctx;
    for (int i = 0; i < 3; i++)
        if (s->w[i])
            vg_hs_writer_add(s->w[i], e, NULL);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *devnull;
    if (size < 1)
        return 0;
    if (!devnull)
        devnull = fopen("/dev/null", "wb");
    vg_hs_format fmt = formats[data[0] % (sizeof formats / sizeof formats[0])];
    vg_hs_format found;
    vg_hs_detect_mem(data + 1, size - 1, &found, NULL);
    const vg_hs_write_opts o[3] = {{.format = VG_HS_FMT_PLAIN, .kind = VG_HS_HAS_SHA1},
                                   {.format = VG_HS_FMT_MD5SUM},
                                   {.format = VG_HS_FMT_PDQ}};
    sinks s = {{NULL, NULL, NULL}};
    for (int i = 0; devnull && i < 3; i++)
        vg_hs_writer_open_file(devnull, &o[i], &s.w[i], NULL);
    const vg_hs_scheme *scheme = vg_hs_scheme_builtin(data[0] & 0x80 ? "dhs" : "custom");
    vg_hashset_read_mem(data + 1, size - 1, "fuzz.txt", fmt, scheme, to_writers, &s, NULL, NULL);
    for (int i = 0; i < 3; i++)
        vg_hs_writer_close(s.w[i], NULL, NULL, NULL);
    return 0;
}
