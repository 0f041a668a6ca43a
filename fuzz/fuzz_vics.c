/* fuzz_vics.c - VICS JSON reader (streaming tokenizer, Media conversion,
 * dates), then the VICS writer: whatever imports must export and import again
 * with the same number of entries. */
#include <stdio.h>
#include <stdlib.h>

#include "vigil/hashset.h"

typedef struct sink {
    vg_hs_writer *w;
    int failed;
} sink;

static int to_writer(void *ctx, const vg_hs_entry *e)
{
    sink *s = ctx;
    if (!s->failed && vg_hs_writer_add(s->w, e, NULL) != VG_OK)
        s->failed = 1;
    return 0;
}

static int count(void *ctx, const vg_hs_entry *e)
{
    (void)e;
    ++*(uint64_t *)ctx;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    if (!out)
        return 0;
    vg_hs_stats st;
    sink s = {NULL, 0};
    const vg_hs_scheme *scheme = NULL;
    vg_hs_write_opts o = {.format = VG_HS_FMT_VICS};
    if (vg_hs_writer_open_file(out, &o, &s.w, NULL) != VG_OK) {
        fclose(out);
        free(buf);
        return 0;
    }
    vg_status rc = vg_hashset_read_mem(data, size, "fuzz.json", VG_HS_FMT_VICS, NULL, to_writer,
                                       &s, &st, NULL);
    scheme = vg_hs_scheme_builtin(st.scheme[0] ? st.scheme : "custom");
    vg_hs_writer_close(s.w, NULL, NULL, NULL);
    fclose(out);
    /* the writer used projectvic-us; only compare when the import did too */
    if (rc == VG_OK && !s.failed && scheme == vg_hs_scheme_builtin("projectvic-us")) {
        uint64_t again = 0;
        vg_error err;
        vg_status rc2 = vg_hashset_read_mem(buf, len, "again.json", VG_HS_FMT_AUTO, scheme, count,
                                            &again, NULL, &err);
        if (rc2 != VG_OK || again != st.entries) {
            fprintf(stderr, "re-import: %s, %llu vs %llu entries\n", err.msg,
                    (unsigned long long)again, (unsigned long long)st.entries);
            abort();
        }
    }
    free(buf);
    return 0;
}
