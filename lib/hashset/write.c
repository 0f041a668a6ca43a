/* write.c - hash-set export: a writer object that streams entries out as
 * VICS 2.0 JSON (hash-set form), plain lists, *sum lines or PDQ CSV. */
#include <stdlib.h>
#include <string.h>

#include "vigil/text.h"
#include "write_int.h"

static vg_status check_opts(const vg_hs_write_opts *o, vg_error *err)
{
    switch (o->format) {
    case VG_HS_FMT_VICS:
    case VG_HS_FMT_PDQ:
    case VG_HS_FMT_MD5SUM:
    case VG_HS_FMT_SHA1SUM:
    case VG_HS_FMT_SHA256SUM: return VG_OK;
    case VG_HS_FMT_PLAIN:
        if (o->kind == VG_HS_HAS_MD5 || o->kind == VG_HS_HAS_SHA1 || o->kind == VG_HS_HAS_SHA256)
            return VG_OK;
        return vg_errorf(err, VG_ERR_ARG, "plain export needs kind MD5, SHA1 or SHA256");
    default:
        return vg_errorf(err, VG_ERR_UNSUPPORTED, "no writer for format %s",
                         vg_hs_format_name(o->format));
    }
}

vg_status vg_hs_writer_open_file(FILE *f, const vg_hs_write_opts *opts, vg_hs_writer **out,
                                 vg_error *err)
{
    *out = NULL;
    vg_status st = check_opts(opts, err);
    if (st != VG_OK)
        return st;
    vg_hs_writer *w = calloc(1, sizeof *w);
    if (!w)
        return vg_errorf(err, VG_ERR_NOMEM, "out of memory");
    w->f = f;
    w->o = *opts;
    w->scheme = opts->scheme ? opts->scheme : vg_hs_scheme_builtin("projectvic-us");
    if (opts->format == VG_HS_FMT_VICS)
        vgi_hs_vics_begin(w);
    else if (opts->format == VG_HS_FMT_PDQ)
        fputs("pdq,quality,category,labels,name\n", f);
    *out = w;
    return VG_OK;
}

vg_status vg_hs_writer_open(const char *path, const vg_hs_write_opts *opts, vg_hs_writer **out,
                            vg_error *err)
{
    *out = NULL;
    vg_status st = check_opts(opts, err);
    if (st != VG_OK)
        return st;
    FILE *f = fopen(path, "wb");
    if (!f)
        return vg_errorf(err, VG_ERR_OPEN, "%s: cannot create", path);
    st = vg_hs_writer_open_file(f, opts, out, err);
    if (st != VG_OK) {
        fclose(f);
        return st;
    }
    (*out)->own = 1;
    return VG_OK;
}

static unsigned sum_kind(vg_hs_format f)
{
    return f == VG_HS_FMT_MD5SUM ? VG_HS_HAS_MD5
           : f == VG_HS_FMT_SHA1SUM ? VG_HS_HAS_SHA1 : VG_HS_HAS_SHA256;
}

static const uint8_t *kind_bytes(const vg_hs_entry *e, unsigned kind)
{
    return kind == VG_HS_HAS_MD5 ? e->md5 : kind == VG_HS_HAS_SHA1 ? e->sha1
           : kind == VG_HS_HAS_SHA256 ? e->sha256 : e->pdq.b;
}

void vgi_hs_put_hex(FILE *f, const vg_hs_entry *e, unsigned kind)
{
    char hex[65];
    size_t n = kind == VG_HS_HAS_MD5 ? 16 : kind == VG_HS_HAS_SHA1 ? 20 : 32;
    vg_hex_encode(kind_bytes(e, kind), n, hex);
    fputs(hex, f);
}

/* GNU *sum: a name holding '\\' or a newline is escaped and the line marked. */
static void sum_line(FILE *f, const vg_hs_entry *e, unsigned kind)
{
    const char *name = e->name ? e->name : "-";
    int esc = strpbrk(name, "\\\n") != NULL;
    if (esc)
        fputc('\\', f);
    vgi_hs_put_hex(f, e, kind);
    fputs("  ", f);
    for (const char *p = name; *p; p++) {
        if (esc && *p == '\\')
            fputs("\\\\", f);
        else if (*p == '\n')
            fputs("\\n", f);
        else
            fputc(*p, f);
    }
    fputc('\n', f);
}


static void pdq_row(FILE *f, const vg_hs_entry *e)
{
    vgi_hs_put_hex(f, e, VG_HS_HAS_PDQ);
    fputc(',', f);
    if (e->pdq_quality >= 0)
        fprintf(f, "%d", e->pdq_quality);
    fputc(',', f);
    vg_csv_field(f, strcmp(e->category, "none") == 0 ? "" : e->category);
    fputc(',', f);
    size_t len = 1, o = 0;
    for (size_t i = 0; i < e->n_labels; i++)
        len += strlen(e->labels[i]) + 1;
    char *joined = malloc(len);
    if (joined) {
        for (size_t i = 0; i < e->n_labels; i++) {
            size_t n = strlen(e->labels[i]);
            if (i)
                joined[o++] = ';';
            memcpy(joined + o, e->labels[i], n);
            o += n;
        }
        joined[o] = '\0';
        vg_csv_field(f, joined);
        free(joined);
    }
    fputc(',', f);
    vg_csv_field(f, e->name ? e->name : "");
    fputc('\n', f);
}

vg_status vg_hs_writer_add(vg_hs_writer *w, const vg_hs_entry *e, vg_error *err)
{
    unsigned need = w->o.format == VG_HS_FMT_PLAIN ? w->o.kind
                    : w->o.format == VG_HS_FMT_PDQ ? VG_HS_HAS_PDQ
                    : w->o.format == VG_HS_FMT_VICS ? (VG_HS_HASHES | VG_HS_HAS_PHOTODNA)
                                                    : sum_kind(w->o.format);
    if (!(e->has & need)) {
        w->skipped++;
        return VG_OK;
    }
    vg_status st = VG_OK;
    switch (w->o.format) {
    case VG_HS_FMT_VICS: st = vgi_hs_vics_media_out(w, e, err); break;
    case VG_HS_FMT_PDQ: pdq_row(w->f, e); break;
    case VG_HS_FMT_PLAIN:
        vgi_hs_put_hex(w->f, e, need);
        fputc('\n', w->f);
        break;
    default: sum_line(w->f, e, need); break;
    }
    if (st != VG_OK)
        return st;
    w->written++;
    if (ferror(w->f))
        return vg_errorf(err, VG_ERR_IO, "write error");
    return VG_OK;
}

vg_status vg_hs_writer_close(vg_hs_writer *w, uint64_t *written, uint64_t *skipped, vg_error *err)
{
    if (!w)
        return VG_OK;
    if (w->o.format == VG_HS_FMT_VICS)
        vgi_hs_vics_end(w);
    int bad = fflush(w->f) != 0 || ferror(w->f);
    if (w->own && fclose(w->f) != 0)
        bad = 1;
    if (written)
        *written = w->written;
    if (skipped)
        *skipped = w->skipped;
    free(w);
    return bad ? vg_errorf(err, VG_ERR_IO, "write error") : VG_OK;
}
