/* item_json.c - the ITEM object of the review API, as the listing and the
 * detail both start it. */
#include "review_int.h"
#include "vigil/text.h"

void vgi_json_str_or_null(FILE *f, const char *s)
{
    if (s)
        vg_json_str(f, s);
    else
        fputs("null", f);
}

static void match_json(FILE *f, const vg_match_rec *m)
{
    fputs("{\"set\":", f);
    vgi_json_str_or_null(f, m->set);
    fputs(",\"kind\":", f);
    vgi_json_str_or_null(f, m->kind);
    fprintf(f, ",\"distance\":%d,\"category\":", m->distance);
    vgi_json_str_or_null(f, m->category);
    fputs(",\"category_label\":", f);
    vgi_json_str_or_null(f, m->category_label);
}

void vgi_match_json(FILE *f, const vg_match_rec *m, int labels)
{
    match_json(f, m);
    if (labels) {
        fputs(",\"labels\":", f);
        vgi_json_str_or_null(f, m->labels);
    }
    fputc('}', f);
}

void vgi_item_json(FILE *f, const vg_list_item *it, int open)
{
    fprintf(f, "{\"id\":%lld,\"section\":\"%s\",\"path\":", (long long)it->id,
            vg_section_name(it->section));
    vgi_json_str_or_null(f, it->path);
    fputs(",\"name\":", f);
    vgi_json_str_or_null(f, it->name);
    fputs(",\"file_type\":", f);
    vgi_json_str_or_null(f, it->file_type);
    fprintf(f, ",\"width\":%u,\"height\":%u,\"size\":%llu,\"status\":", it->width, it->height,
            (unsigned long long)it->size);
    vgi_json_str_or_null(f, it->status);
    fputs(",\"flags\":", f);
    vg_json_str(f, it->flags ? it->flags : "");
    fputs(",\"steg\":", f);
    vgi_json_str_or_null(f, it->steg);
    fprintf(f, ",\"cluster\":%llu,\"cluster_size\":%llu,\"rep\":%s,\"category\":",
            (unsigned long long)it->cluster, (unsigned long long)it->cluster_size,
            it->rep ? "true" : "false");
    vgi_json_str_or_null(f, it->category);
    fputs(",\"match\":", f);
    if (it->match)
        vgi_match_json(f, it->match, 0);
    else
        fputs("null", f);
    fprintf(f, ",\"thumb\":%s", it->has_thumb ? "true" : "false");
    if (!open)
        fputc('}', f);
}
