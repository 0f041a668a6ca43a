/* record.c - printing a file's hashes as JSON lines, CSV or text. */
#include <inttypes.h>
#include <string.h>

#include "record.h"
#include "vigil/util.h"

static const char *csv_cols =
    "path,size,type,width,height,md5,sha1,sha256,pdq,pdq_quality,error_kind,error";

void record_header(FILE *f, const record_opts *ro, const char *extra_csv_header)
{
    if (ro->format != FMT_CSV)
        return;
    fputs(csv_cols, f);
    if (ro->p2p)
        fputs(",ed2k,urn_sha1,btv2_root", f);
    if (extra_csv_header)
        fprintf(f, ",%s", extra_csv_header);
    fputc('\n', f);
}

typedef struct hexes {
    char md5[33], sha1[41], sha256[65], pdq[65], ed2k[33], urn[42], btv2[65];
} hexes;

static void make_hexes(const vg_file_hashes *h, hexes *x)
{
    vg_hex_encode(h->digests.md5, 16, x->md5);
    vg_hex_encode(h->digests.sha1, 20, x->sha1);
    vg_hex_encode(h->digests.sha256, 32, x->sha256);
    x->pdq[0] = '\0';
    if (h->have_pdq)
        vg_pdq_to_hex(&h->pdq[0], x->pdq);
    vg_hex_encode(h->digests.ed2k, 16, x->ed2k);
    vg_digest_urn_sha1(&h->digests, x->urn);
    x->btv2[0] = '\0';
    if (h->digests.have_btv2)
        vg_hex_encode(h->digests.btv2_root, 32, x->btv2);
}

static void json_kv_str(FILE *f, const char *key, const char *val)
{
    fprintf(f, ",\"%s\":", key);
    if (val && *val)
        vg_json_str(f, val);
    else
        fputs("null", f);
}

static void print_json(FILE *f, const record_opts *ro, const char *path,
                       const vg_file_hashes *h, const char *ek, const char *em)
{
    hexes x;

    fputs("{\"path\":", f);
    if (vg_json_str(f, path)) {
        /* Not UTF-8: keep the exact bytes too, so the file can be found again. */
        fputs(",\"path_hex\":\"", f);
        for (const unsigned char *p = (const unsigned char *)path; *p; p++)
            fprintf(f, "%02x", *p);
        fputc('"', f);
    }
    if (!h) {
        fputs(",\"size\":null", f);
        json_kv_str(f, "error_kind", ek);
        json_kv_str(f, "error", em);
        return;
    }
    make_hexes(h, &x);
    fprintf(f, ",\"size\":%" PRIu64, h->digests.size);
    json_kv_str(f, "type", vg_image_type_name(h->type));
    if (h->width)
        fprintf(f, ",\"width\":%u,\"height\":%u", h->width, h->height);
    else
        fputs(",\"width\":null,\"height\":null", f);
    fprintf(f, ",\"md5\":\"%s\",\"sha1\":\"%s\",\"sha256\":\"%s\"", x.md5, x.sha1, x.sha256);
    json_kv_str(f, "pdq", x.pdq);
    if (h->have_pdq)
        fprintf(f, ",\"pdq_quality\":%d", h->pdq_quality);
    else
        fputs(",\"pdq_quality\":null", f);
    if (h->frames > 1)
        fprintf(f, ",\"frames\":%u", h->frames);
    if (h->orientation)
        fprintf(f, ",\"orientation\":%d", h->orientation);
    if (ro->dihedral && h->have_pdq) {
        fputs(",\"pdq_dihedral\":{", f);
        for (int v = 0; v < VG_PDQ_VARIANTS; v++) {
            char hex[65];
            vg_pdq_to_hex(&h->pdq[v], hex);
            fprintf(f, "%s\"%s\":\"%s\"", v ? "," : "", vg_pdq_variant_name((vg_pdq_variant)v),
                    hex);
        }
        fputc('}', f);
    }
    if (ro->p2p) {
        fprintf(f, ",\"ed2k\":\"%s\",\"urn_sha1\":\"%s\"", x.ed2k, x.urn);
        json_kv_str(f, "btv2_root", x.btv2);
    }
    if (h->image_status != VG_OK) {
        json_kv_str(f, "error_kind", vg_status_name(h->image_status));
        json_kv_str(f, "error", h->image_err.msg);
    }
}

static void print_csv(FILE *f, const record_opts *ro, const char *path,
                      const vg_file_hashes *h, const char *ek, const char *em)
{
    hexes x;

    vg_csv_field(f, path);
    if (!h) {
        fputs(",,,,,,,,,,", f);
        vg_csv_field(f, ek ? ek : "");
        fputc(',', f);
        vg_csv_field(f, em ? em : "");
        if (ro->p2p)
            fputs(",,,", f);
        return;
    }
    make_hexes(h, &x);
    fprintf(f, ",%" PRIu64 ",%s,", h->digests.size, vg_image_type_name(h->type));
    if (h->width)
        fprintf(f, "%u,%u", h->width, h->height);
    else
        fputc(',', f);
    fprintf(f, ",%s,%s,%s,%s,", x.md5, x.sha1, x.sha256, x.pdq);
    if (h->have_pdq)
        fprintf(f, "%d", h->pdq_quality);
    fputc(',', f);
    if (h->image_status != VG_OK) {
        fputs(vg_status_name(h->image_status), f);
        fputc(',', f);
        vg_csv_field(f, h->image_err.msg);
    } else {
        fputc(',', f);
    }
    if (ro->p2p)
        fprintf(f, ",%s,%s,%s", x.ed2k, x.urn, x.btv2);
}

static void print_text(FILE *f, const record_opts *ro, const char *path,
                       const vg_file_hashes *h, const char *ek, const char *em)
{
    hexes x;

    if (!h) {
        fprintf(f, "%s\terror (%s): %s", path, ek ? ek : "", em ? em : "");
        return;
    }
    make_hexes(h, &x);
    fprintf(f, "%s\t%s", path, vg_image_type_name(h->type));
    if (h->width)
        fprintf(f, " %ux%u", h->width, h->height);
    fprintf(f, "\tsize %" PRIu64 "\tmd5 %s\tsha1 %s\tsha256 %s", h->digests.size, x.md5, x.sha1,
            x.sha256);
    if (h->have_pdq)
        fprintf(f, "\tpdq %s q%d", x.pdq, h->pdq_quality);
    if (ro->p2p)
        fprintf(f, "\ted2k %s\t%s%s%s", x.ed2k, x.urn, *x.btv2 ? "\tbtv2 " : "", x.btv2);
    if (h->image_status != VG_OK)
        fprintf(f, "\terror (%s): %s", vg_status_name(h->image_status), h->image_err.msg);
}

void record_print(FILE *f, const record_opts *ro, const char *path, const vg_file_hashes *h,
                  const char *err_kind, const char *err_msg, record_extra_fn extra,
                  void *extra_ctx)
{
    switch (ro->format) {
    case FMT_JSONL: print_json(f, ro, path, h, err_kind, err_msg); break;
    case FMT_CSV: print_csv(f, ro, path, h, err_kind, err_msg); break;
    case FMT_TEXT: print_text(f, ro, path, h, err_kind, err_msg); break;
    }
    if (extra)
        extra(f, ro->format, extra_ctx);
    if (ro->format == FMT_JSONL)
        fputc('}', f);
    fputc('\n', f);
}
