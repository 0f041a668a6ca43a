/* export.c - a set written out through a vg_hs_writer. */
#include "library_int.h"

typedef struct export_ctx {
    vg_hs_writer *w;
    vg_error *err;
} export_ctx;

static int export_entry(void *vctx, uint64_t id, const vg_hs_entry *e)
{
    export_ctx *c = vctx;
    (void)id;
    return (int)vg_hs_writer_add(c->w, e, c->err);
}

vg_status vg_library_export(vg_library *lib, const char *name, const vg_hs_write_opts *opts,
                            const char *path, FILE *f, uint64_t *written, uint64_t *skipped,
                            vg_error *err)
{
    vg_set_info info;
    vg_hs_write_opts o = *opts;
    export_ctx c = {.err = err};
    vg_status s, s2;

    if ((s = vg_library_set_info(lib, name, &info, err)) != VG_OK)
        return s;
    /* The set's own scheme maps its codes back to VICS numbers; a scheme
     * loaded from a file at import must be given again (only its name is stored). */
    if (!o.scheme)
        o.scheme = vg_hs_scheme_builtin(info.scheme);
    if (o.format == VG_HS_FMT_VICS && !o.scheme)
        return vg_errorf(err, VG_ERR_UNSUPPORTED,
                         "set '%s' uses category scheme '%s', which is not built in: "
                         "give the scheme file to export it as VICS", name, info.scheme);
    if (!o.vics_context && info.vics_context[0])
        o.vics_context = info.vics_context;
    s = path ? vg_hs_writer_open(path, &o, &c.w, err) : vg_hs_writer_open_file(f, &o, &c.w, err);
    if (s != VG_OK)
        return s;
    s = vg_library_entries(lib, name, 0, 0, export_entry, &c, err);
    if (s != VG_OK) {
        vg_hs_writer_close(c.w, NULL, NULL, NULL);
        return s;
    }
    s2 = vg_hs_writer_close(c.w, written, skipped, err);
    return s2;
}
