/* csv.c - one CSV row per item. */
#include <inttypes.h>

#include "report_int.h"
#include "vigil/text.h"

static int put_item(const vg_item_rec *r, void *ctx)
{
    FILE *f = ctx;
    vgi_hexes x;

    vgi_report_hexes(r, &x);
    fprintf(f, "%lld,%" PRIu64 ",", (long long)r->evidence_id, r->seq);
    vg_csv_field(f, r->path ? r->path : "");
    fprintf(f, ",%s,%s,%" PRIu64 ",%s,%s,%s,%s,%d,", r->source ? r->source : "",
            r->flags ? r->flags : "", r->size, x.md5, x.sha1, x.sha256,
            r->file_type ? r->file_type : "", r->ext_mismatch);
    if (r->have_pdq)
        fprintf(f, "%s,%d", x.pdq, r->pdq_quality);
    else
        fputc(',', f);
    fprintf(f, ",%zu,", r->n_matches);
    if (r->cluster)
        fprintf(f, "%llu", (unsigned long long)r->cluster);
    fprintf(f, ",%s,", r->status ? r->status : "");
    vg_csv_field(f, r->error ? r->error : "");
    fputc('\n', f);
    return 0;
}

vg_status vgi_report_csv(vg_store *s, FILE *out, vg_error *err)
{
    fputs("evidence,seq,path,source,flags,size,md5,sha1,sha256,type,ext_mismatch,pdq,"
          "pdq_quality,matches,cluster,status,error\n",
          out);
    return vg_store_items_foreach(s, put_item, out, err);
}
