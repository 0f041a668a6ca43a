/* export.c - `vigil export CASE`: every item of a case, NEW images first. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "emit.h"
#include "vigil/store.h"
#include "vigil/util.h"

static const char export_usage[] =
    "usage: vigil export CASE [--format jsonl|csv]\n"
    "\n"
    "Writes every item of CASE to standard output: NEW images (matching no hash\n"
    "set) first, then known items, then the rest, each group in evidence order.\n"
    "Keys: evidence, seq, parent_seq, path, name, source, item_type, flags, size,\n"
    "offset, mtime, md5, sha1, sha256, type, ext_mismatch, width, height, pdq,\n"
    "pdq_quality, exif_make, exif_model, exif_datetime, gps [lat, lon],\n"
    "thumb_distance and thumb_differs (EXIF thumbnail vs picture, PDQ > 31),\n"
    "cluster (number of its near-duplicate cluster) and cluster_rep (true for\n"
    "the cluster's first item, its representative), status, error, matches\n"
    "(set, kind, distance, category, label).\n";

static void json_str_or_null(const char *key, const char *v)
{
    printf(",\"%s\":", key);
    if (v)
        vg_json_str(stdout, v);
    else
        fputs("null", stdout);
}

static int put_jsonl(const vg_item_rec *r, void *ctx)
{
    char md5[33], sha1[41], sha256[65], pdq[65];
    (void)ctx;
    printf("{\"evidence\":%lld,\"seq\":%" PRIu64 ",\"parent_seq\":%" PRIu64, (long long)r->evidence_id,
           r->seq, r->parent_seq);
    json_str_or_null("path", r->path);
    json_str_or_null("name", r->name);
    json_str_or_null("source", r->source);
    json_str_or_null("item_type", r->item_type);
    json_str_or_null("flags", r->flags);
    printf(",\"size\":%" PRIu64, r->size);
    if (r->offset >= 0)
        printf(",\"offset\":%lld", (long long)r->offset);
    if (r->mtime != INT64_MIN)
        printf(",\"mtime\":%lld", (long long)r->mtime);
    if (r->have_digests) {
        vg_hex_encode(r->digests.md5, 16, md5);
        vg_hex_encode(r->digests.sha1, 20, sha1);
        vg_hex_encode(r->digests.sha256, 32, sha256);
        printf(",\"md5\":\"%s\",\"sha1\":\"%s\",\"sha256\":\"%s\"", md5, sha1, sha256);
    }
    json_str_or_null("type", r->file_type);
    printf(",\"ext_mismatch\":%s", r->ext_mismatch ? "true" : "false");
    if (r->width)
        printf(",\"width\":%u,\"height\":%u", r->width, r->height);
    if (r->have_pdq) {
        vg_pdq_to_hex(&r->pdq, pdq);
        printf(",\"pdq\":\"%s\",\"pdq_quality\":%d", pdq, r->pdq_quality);
    }
    if (r->exif_make)
        json_str_or_null("exif_make", r->exif_make);
    if (r->exif_model)
        json_str_or_null("exif_model", r->exif_model);
    if (r->exif_datetime)
        json_str_or_null("exif_datetime", r->exif_datetime);
    if (r->has_gps)
        printf(",\"gps\":[%.7f,%.7f]", r->gps_lat, r->gps_lon);
    if (r->thumb_distance >= 0)
        printf(",\"thumb_distance\":%d,\"thumb_differs\":%s", r->thumb_distance,
               r->thumb_distance > 31 ? "true" : "false");
    if (r->cluster)
        printf(",\"cluster\":%llu,\"cluster_rep\":%s", (unsigned long long)r->cluster,
               r->cluster_rep ? "true" : "false");
    json_str_or_null("status", r->status);
    if (r->error)
        json_str_or_null("error", r->error);
    fputs(",\"matches\":[", stdout);
    for (size_t i = 0; i < r->n_matches; i++) {
        const vg_match_rec *m = &r->matches[i];
        printf("%s{\"set\":", i ? "," : "");
        vg_json_str(stdout, m->set);
        printf(",\"kind\":\"%s\",\"distance\":%d", m->kind, m->distance);
        json_str_or_null("category", m->category);
        json_str_or_null("label", m->category_label);
        json_str_or_null("labels", m->labels);
        fputc('}', stdout);
    }
    fputs("]}\n", stdout);
    return 0;
}

static int put_csv(const vg_item_rec *r, void *ctx)
{
    char md5[33] = "", sha1[41] = "", sha256[65] = "", pdq[65] = "";
    (void)ctx;
    if (r->have_digests) {
        vg_hex_encode(r->digests.md5, 16, md5);
        vg_hex_encode(r->digests.sha1, 20, sha1);
        vg_hex_encode(r->digests.sha256, 32, sha256);
    }
    if (r->have_pdq)
        vg_pdq_to_hex(&r->pdq, pdq);
    printf("%lld,%" PRIu64 ",", (long long)r->evidence_id, r->seq);
    vg_csv_field(stdout, r->path ? r->path : "");
    printf(",%s,%s,%" PRIu64 ",%s,%s,%s,%s,%d,", r->source ? r->source : "",
           r->flags ? r->flags : "", r->size, md5, sha1, sha256, r->file_type ? r->file_type : "",
           r->ext_mismatch);
    if (r->have_pdq)
        printf("%s,%d", pdq, r->pdq_quality);
    else
        fputc(',', stdout);
    printf(",%zu,%s,", r->n_matches, r->status ? r->status : "");
    vg_csv_field(stdout, r->error ? r->error : "");
    fputc('\n', stdout);
    return 0;
}

int cmd_export(int argc, char **argv)
{
    static const struct option lo[] = {{"format", required_argument, NULL, 'f'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    int ch, csv = 0;
    vg_store *s;
    vg_error err;

    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        if (ch == 'h') {
            fputs(export_usage, stdout);
            return VG_EXIT_OK;
        }
        if (ch != 'f' || (strcmp(optarg, "jsonl") && strcmp(optarg, "csv"))) {
            fputs(export_usage, stderr);
            return VG_EXIT_USAGE;
        }
        csv = strcmp(optarg, "csv") == 0;
    }
    if (optind != argc - 1) {
        fputs(export_usage, stderr);
        return VG_EXIT_USAGE;
    }
    if (vg_store_open(argv[optind], 0, &s, &err) != VG_OK) {
        fprintf(stderr, "vigil export: %s\n", err.msg);
        return VG_EXIT_FATAL;
    }
    if (csv)
        puts("evidence,seq,path,source,flags,size,md5,sha1,sha256,type,ext_mismatch,pdq,"
             "pdq_quality,matches,status,error");
    vg_status st = vg_store_items_foreach(s, csv ? put_csv : put_jsonl, NULL, &err);
    vg_store_close(s);
    if (st != VG_OK) {
        fprintf(stderr, "vigil export: %s\n", err.msg);
        return VG_EXIT_FATAL;
    }
    return fflush(stdout) == 0 ? VG_EXIT_OK : VG_EXIT_FATAL;
}
