/* read.c - vg_hashset_read: opening, detection, dispatch to one reader. */
#include <string.h>

#include "hashset_int.h"

static vg_status dispatch(vgi_hs_ctx *c, vg_hs_format fmt)
{
    switch (fmt) {
    case VG_HS_FMT_VICS: return vgi_hs_read_vics(c);
    case VG_HS_FMT_NSRL_RDS2: return vgi_hs_read_nsrl2(c);
    case VG_HS_FMT_NSRL_RDS3: return vgi_hs_read_nsrl3(c);
    case VG_HS_FMT_HASHKEEPER: return vgi_hs_read_hashkeeper(c);
    case VG_HS_FMT_PDQ: return vgi_hs_read_pdq(c);
    case VG_HS_FMT_MD5SUM:
    case VG_HS_FMT_SHA1SUM:
    case VG_HS_FMT_SHA256SUM:
    case VG_HS_FMT_BSD:
    case VG_HS_FMT_HASHDEEP:
    case VG_HS_FMT_PLAIN: return vgi_hs_read_sums(c, fmt);
    default: return vg_errorf(c->err, VG_ERR_ARG, "%s: no reader for format %d", c->name, fmt);
    }
}

/* Runs one import on an open stream; f is closed by the caller. */
static vg_status run(vgi_hs_ctx *c, vg_hs_format fmt)
{
    vg_status st;
    if (fmt == VG_HS_FMT_AUTO) {
        st = vgi_hs_detect_file(c->f, c->name, &fmt, c->err);
        if (st != VG_OK)
            return st;
    }
    c->st->format = fmt;
    if (!c->scheme && fmt != VG_HS_FMT_VICS) /* VICS: the context decides, see vics.c */
        c->scheme = vg_hs_scheme_builtin("custom");
    if (c->scheme)
        snprintf(c->st->scheme, sizeof c->st->scheme, "%s", vg_hs_scheme_name(c->scheme));
    st = dispatch(c, fmt);
    if (st == VG_OK && c->st->entries == 0)
        return vg_errorf(c->err, VG_ERR_EMPTY, "%s: no entries", c->name);
    return st;
}

static void init(vgi_hs_ctx *c, const char *name, const vg_hs_scheme *scheme, vg_hs_entry_cb cb,
                 void *ctx, vg_hs_stats *stats, vg_error *err)
{
    memset(stats, 0, sizeof *stats);
    vg_error_clear(err);
    const char *base = name ? strrchr(name, '/') : NULL;
    c->name = base ? base + 1 : name ? name : "input";
    c->scheme = scheme;
    c->cb = cb;
    c->cbctx = ctx;
    c->st = stats;
    c->err = err;
}

vg_status vg_hashset_read(const char *path, vg_hs_format fmt, const vg_hs_scheme *scheme,
                          vg_hs_entry_cb cb, void *ctx, vg_hs_stats *stats, vg_error *err)
{
    vg_hs_stats local;
    vgi_hs_ctx c = {0};
    init(&c, path, scheme, cb, ctx, stats ? stats : &local, err);
    c.path = path;
    if ((int)fmt < 0 || fmt >= VG_HS_FMT_COUNT)
        return vg_errorf(err, VG_ERR_ARG, "%s: bad format %d", c.name, (int)fmt);
    c.f = fopen(path, "rb");
    if (!c.f)
        return vg_errorf(err, VG_ERR_OPEN, "%s: cannot open", path);
    vg_status st = run(&c, fmt);
    fclose(c.f);
    return st;
}

vg_status vg_hashset_read_mem(const void *buf, size_t len, const char *name, vg_hs_format fmt,
                              const vg_hs_scheme *scheme, vg_hs_entry_cb cb, void *ctx,
                              vg_hs_stats *stats, vg_error *err)
{
    vg_hs_stats local;
    vgi_hs_ctx c = {0};
    init(&c, name, scheme, cb, ctx, stats ? stats : &local, err);
    if ((int)fmt < 0 || fmt >= VG_HS_FMT_COUNT)
        return vg_errorf(err, VG_ERR_ARG, "%s: bad format %d", c.name, (int)fmt);
    if (fmt == VG_HS_FMT_NSRL_RDS3)
        return vg_errorf(err, VG_ERR_UNSUPPORTED, "%s: nsrl3 is read from a file", c.name);
    if (len == 0)
        return vg_errorf(err, VG_ERR_EMPTY, "%s: empty input", c.name);
    c.f = fmemopen((void *)buf, len, "rb");
    if (!c.f)
        return vg_errorf(err, VG_ERR_NOMEM, "%s: fmemopen failed", c.name);
    vg_status st = run(&c, fmt);
    fclose(c.f);
    return st;
}
