/* report.c - choosing a writer, and what the writers share. */
#include <string.h>

#include "report_int.h"
#include "vigil/util.h"

vg_status vg_report_format_from_name(const char *name, vg_report_format *out)
{
    static const char *const names[] = {"jsonl", "csv", "dfxml", "vics"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(name, names[i]) == 0) {
            *out = (vg_report_format)i;
            return VG_OK;
        }
    }
    return VG_ERR_ARG;
}

void vgi_report_hexes(const vg_item_rec *r, vgi_hexes *x)
{
    memset(x, 0, sizeof *x);
    if (r->have_digests) {
        vg_hex_encode(r->digests.md5, 16, x->md5);
        vg_hex_encode(r->digests.sha1, 20, x->sha1);
        vg_hex_encode(r->digests.sha256, 32, x->sha256);
    }
    if (r->have_pdq)
        vg_pdq_to_hex(&r->pdq, x->pdq);
}

vg_status vg_report_export(vg_store *s, vg_report_format fmt, FILE *out, vg_error *err)
{
    vg_status st;
    switch (fmt) {
    case VG_REPORT_JSONL: st = vgi_report_jsonl(s, out, err); break;
    case VG_REPORT_CSV: st = vgi_report_csv(s, out, err); break;
    case VG_REPORT_DFXML: st = vgi_report_dfxml(s, out, err); break;
    case VG_REPORT_VICS: st = vgi_report_vics(s, out, err); break;
    default: return vg_errorf(err, VG_ERR_ARG, "unknown report format %d", (int)fmt);
    }
    if (st == VG_OK && (fflush(out) != 0 || ferror(out)))
        st = vg_errorf(err, VG_ERR_IO, "writing the export failed");
    return st;
}
