/* jsonl.c - one JSON object per item. */
#include <inttypes.h>

#include "report_int.h"
#include "vigil/text.h"

static void str_or_null(FILE *f, const char *key, const char *v)
{
    fprintf(f, ",\"%s\":", key);
    if (v)
        vg_json_str(f, v);
    else
        fputs("null", f);
}

static void put_matches(FILE *f, const vg_item_rec *r)
{
    fputs(",\"matches\":[", f);
    for (size_t i = 0; i < r->n_matches; i++) {
        const vg_match_rec *m = &r->matches[i];
        fprintf(f, "%s{\"set\":", i ? "," : "");
        vg_json_str(f, m->set);
        fprintf(f, ",\"kind\":\"%s\",\"distance\":%d", m->kind, m->distance);
        str_or_null(f, "category", m->category);
        str_or_null(f, "label", m->category_label);
        str_or_null(f, "labels", m->labels);
        fputc('}', f);
    }
    fputc(']', f);
}

static int put_item(const vg_item_rec *r, void *ctx)
{
    FILE *f = ctx;
    vgi_hexes x;

    vgi_report_hexes(r, &x);
    fprintf(f, "{\"evidence\":%lld,\"seq\":%" PRIu64, (long long)r->evidence_id, r->seq);
    if (r->sub)
        fprintf(f, ",\"sub\":%u", r->sub);
    fprintf(f, ",\"parent_seq\":%" PRIu64, r->parent_seq);
    str_or_null(f, "path", r->path);
    str_or_null(f, "name", r->name);
    str_or_null(f, "source", r->source);
    str_or_null(f, "item_type", r->item_type);
    str_or_null(f, "flags", r->flags);
    fprintf(f, ",\"size\":%" PRIu64, r->size);
    if (r->offset >= 0)
        fprintf(f, ",\"offset\":%lld", (long long)r->offset);
    if (r->mtime != INT64_MIN)
        fprintf(f, ",\"mtime\":%lld", (long long)r->mtime);
    if (r->have_digests)
        fprintf(f, ",\"md5\":\"%s\",\"sha1\":\"%s\",\"sha256\":\"%s\"", x.md5, x.sha1, x.sha256);
    str_or_null(f, "type", r->file_type);
    fprintf(f, ",\"ext_mismatch\":%s", r->ext_mismatch ? "true" : "false");
    if (r->width)
        fprintf(f, ",\"width\":%u,\"height\":%u", r->width, r->height);
    if (r->have_pdq)
        fprintf(f, ",\"pdq\":\"%s\",\"pdq_quality\":%d", x.pdq, r->pdq_quality);
    if (r->exif_make)
        str_or_null(f, "exif_make", r->exif_make);
    if (r->exif_model)
        str_or_null(f, "exif_model", r->exif_model);
    if (r->exif_datetime)
        str_or_null(f, "exif_datetime", r->exif_datetime);
    if (r->has_gps)
        fprintf(f, ",\"gps\":[%.7f,%.7f]", r->gps_lat, r->gps_lon);
    if (r->thumb_distance >= 0)
        fprintf(f, ",\"thumb_distance\":%d,\"thumb_differs\":%s", r->thumb_distance,
                r->thumb_distance > 31 ? "true" : "false");
    if (r->steg_verdict) {
        str_or_null(f, "steg_verdict", r->steg_verdict);
        if (r->steg_reason && *r->steg_reason)
            str_or_null(f, "steg_reason", r->steg_reason);
        if (r->steg_scores)
            fprintf(f, ",\"steg_scores\":%s", r->steg_scores);
    }
    if (r->cluster)
        fprintf(f, ",\"cluster\":%llu,\"cluster_rep\":%s", (unsigned long long)r->cluster,
                r->cluster_rep ? "true" : "false");
    if (r->review_category) {
        fputs(",\"review\":{\"category\":", f);
        vg_json_str(f, r->review_category);
        str_or_null(f, "scheme", r->review_scheme);
        str_or_null(f, "examiner", r->review_by);
        str_or_null(f, "time", r->review_time);
        fputc('}', f);
    }
    str_or_null(f, "status", r->status);
    if (r->error)
        str_or_null(f, "error", r->error);
    put_matches(f, r);
    fputs("}\n", f);
    return 0;
}

vg_status vgi_report_jsonl(vg_store *s, FILE *out, vg_error *err)
{
    return vg_store_items_foreach(s, put_item, out, err);
}
