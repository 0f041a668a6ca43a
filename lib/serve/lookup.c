/* lookup.c - the lookup endpoints: a batch of hashes, or one image hashed in
 * memory (its bytes are never written anywhere). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "serve_int.h"
#include "vigil/hashfile.h"
#include "vigil/text.h"
#include "vigil/util.h"

static unsigned kind_bit(vg_match_kind k)
{
    switch (k) {
    case VG_MATCH_MD5: return VG_LQ_MD5;
    case VG_MATCH_SHA1: return VG_LQ_SHA1;
    case VG_MATCH_SHA256: return VG_LQ_SHA256;
    case VG_MATCH_PDQ: return VG_LQ_PDQ;
    }
    return 0;
}

/* Writes "matches":[...] of l, keeping only kinds in mask; returns how many. */
static size_t write_matches(FILE *f, const vg_match_list *l, unsigned mask)
{
    size_t n = 0;

    fputs("\"matches\":[", f);
    for (size_t i = 0; i < l->n; i++) {
        const vg_match *m = &l->v[i];
        if (!(kind_bit(m->kind) & mask))
            continue;
        if (n++)
            fputc(',', f);
        vg_match_json(f, m);
    }
    fputc(']', f);
    return n;
}

static void item_hashes(const vg_lookup_item *it, vg_file_hashes *h)
{
    memset(h, 0, sizeof *h);
    memcpy(h->digests.md5, it->md5, 16);
    memcpy(h->digests.sha1, it->sha1, 20);
    memcpy(h->digests.sha256, it->sha256, 32);
    h->have_pdq = (it->has & VG_LQ_PDQ) != 0;
    h->pdq[0] = it->pdq;
    h->pdq_quality = 100; /* a client's hash: its quality is not ours to judge */
}

/* The items' hashes as a JSON array, for the access log with --log-queries. */
static char *query_text(const vg_lookup_req *q)
{
    char *buf = NULL, hex[65];
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    if (!f)
        return NULL;
    fputc('[', f);
    for (size_t i = 0; i < q->n; i++) {
        const vg_lookup_item *it = &q->items[i];
        fputs(i ? ",{" : "{", f);
        const char *sep = "";
        if (it->has & VG_LQ_MD5) {
            vg_hex_encode(it->md5, 16, hex);
            fprintf(f, "\"md5\":\"%s\"", hex);
            sep = ",";
        }
        if (it->has & VG_LQ_SHA1) {
            vg_hex_encode(it->sha1, 20, hex);
            fprintf(f, "%s\"sha1\":\"%s\"", sep, hex);
            sep = ",";
        }
        if (it->has & VG_LQ_SHA256) {
            vg_hex_encode(it->sha256, 32, hex);
            fprintf(f, "%s\"sha256\":\"%s\"", sep, hex);
            sep = ",";
        }
        if (it->has & VG_LQ_PDQ) {
            vg_hex_encode(it->pdq.b, 32, hex);
            fprintf(f, "%s\"pdq\":\"%s\"", sep, hex);
        }
        fputc('}', f);
    }
    fputc(']', f);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static int match_items(vg_server *s, const vg_lookup_req *q, FILE *f, vgi_reply *r,
                       vg_error *err)
{
    vg_match_list ml = {0};
    vg_match_opts mo;
    vg_file_hashes h;
    int rc = 0;

    vg_match_opts_init(&mo);
    mo.radius = q->radius >= 0 ? q->radius : s->cfg.default_radius;
    mo.min_quality = 0;
    /* A batch of 10,000 PDQ hashes at a wide radius can take minutes: stop at
     * the per-request time limit rather than hold a worker that long. */
    double deadline = s->cfg.limits.max_seconds > 0 ? vg_now() + s->cfg.limits.max_seconds : 0;
    fputs("{\"items\":[", f);
    for (size_t i = 0; i < q->n && rc == 0; i++) {
        if (deadline > 0 && vg_now() > deadline) {
            vg_errorf(err, VG_ERR_LIMIT_TIME,
                      "the request took longer than %.0f s after %zu of %zu items: send smaller "
                      "batches or a smaller radius",
                      s->cfg.limits.max_seconds, i, q->n);
            rc = -2;
            break;
        }
        item_hashes(&q->items[i], &h);
        if (vg_matcher_match(s->m, &h, &mo, &ml, err) != VG_OK) {
            rc = -1;
            break;
        }
        fprintf(f, "%s{\"id\":%s,", i ? "," : "", q->items[i].id ? q->items[i].id : "null");
        r->matches += write_matches(f, &ml, q->items[i].has);
        fputc('}', f);
    }
    fprintf(f, "],\"radius\":%d,\"matches\":%zu}\n", mo.radius, r->matches);
    vg_match_list_free(&ml);
    return rc;
}

void vgi_handle_hashes(vg_server *s, const char *body, size_t len, vgi_reply *r)
{
    vg_lookup_req q;
    vg_parse_error pe;
    vg_error err;
    char *buf = NULL;
    size_t blen = 0;
    FILE *f;

    if (vg_serve_parse_lookup(body, len, &s->cfg.limits, &q, &pe) != VG_OK) {
        vgi_reply_parse_error(r, &pe);
        return;
    }
    r->items = q.n;
    if (s->cfg.log_queries)
        r->query = query_text(&q);
    if (!(f = open_memstream(&buf, &blen))) {
        vg_lookup_req_free(&q);
        vgi_reply_error(r, 500, "nomem", "", "out of memory");
        return;
    }
    int rc = match_items(s, &q, f, r, &err);
    vg_lookup_req_free(&q);
    vgi_reply_stream(r, 200, f, &buf, &blen);
    if (rc == -2)
        vgi_reply_error(r, 503, "time_limit", "items", err.msg);
    else if (rc != 0)
        vgi_reply_error(r, 500, "internal", "", err.msg);
}

static void write_image_hashes(FILE *f, const vg_file_hashes *h)
{
    char hex[65];

    fputs("{\"type\":", f);
    vg_json_str(f, vg_image_type_name(h->type));
    fprintf(f, ",\"size\":%" PRIu64 ",\"width\":%u,\"height\":%u", h->digests.size, h->width,
            h->height);
    vg_hex_encode(h->digests.md5, 16, hex);
    fprintf(f, ",\"md5\":\"%s\"", hex);
    vg_hex_encode(h->digests.sha1, 20, hex);
    fprintf(f, ",\"sha1\":\"%s\"", hex);
    vg_hex_encode(h->digests.sha256, 32, hex);
    fprintf(f, ",\"sha256\":\"%s\"", hex);
    if (h->have_pdq) {
        vg_hex_encode(h->pdq[0].b, 32, hex);
        fprintf(f, ",\"pdq\":\"%s\",\"pdq_quality\":%d", hex, h->pdq_quality);
    } else {
        fputs(",\"pdq\":null,\"pdq_quality\":null", f);
    }
    fputs(",\"image_error\":", f);
    if (h->type == VG_IMAGE_UNKNOWN)
        fputs("\"not a recognised image format\"", f);
    else if (h->image_status == VG_OK)
        fputs("null", f);
    else
        vg_json_str(f, h->image_err.msg);
}

static char *image_query(const vg_file_hashes *h)
{
    char sha[65], pdq[65], *out = malloc(200);

    if (!out)
        return NULL;
    vg_hex_encode(h->digests.sha256, 32, sha);
    vg_hex_encode(h->pdq[0].b, 32, pdq);
    snprintf(out, 200, "{\"sha256\":\"%s\",\"pdq\":%s%s%s}", sha, h->have_pdq ? "\"" : "",
             h->have_pdq ? pdq : "null", h->have_pdq ? "\"" : "");
    return out;
}

void vgi_handle_image(vg_server *s, const uint8_t *body, size_t len, int radius, int dihedral,
                      vgi_reply *r)
{
    vg_hash_opts ho;
    vg_limits lim;
    vg_match_opts mo;
    vg_file_hashes h;
    vg_match_list ml = {0};
    vg_error err;
    char *buf = NULL;
    size_t blen = 0;
    FILE *f;

    memset(&ho, 0, sizeof ho);
    vg_limits_default(&lim);
    lim.max_pixels = s->cfg.limits.max_pixels;
    lim.max_seconds = s->cfg.limits.max_seconds;
    lim.max_file_bytes = s->cfg.limits.max_image;
    ho.limits = &lim;
    ho.dihedral = dihedral;
    vg_match_opts_init(&mo);
    mo.radius = radius >= 0 ? radius : s->cfg.default_radius;
    mo.dihedral = dihedral;
    r->items = 1;
    if (vg_hash_buffer(body, len, &ho, &h, &err) != VG_OK ||
        vg_matcher_match(s->m, &h, &mo, &ml, &err) != VG_OK) {
        vgi_reply_error(r, 500, "internal", "", err.msg);
        return;
    }
    if (s->cfg.log_queries)
        r->query = image_query(&h);
    if (!(f = open_memstream(&buf, &blen))) {
        vg_match_list_free(&ml);
        vgi_reply_error(r, 500, "nomem", "", "out of memory");
        return;
    }
    write_image_hashes(f, &h);
    fputc(',', f);
    r->matches = write_matches(f, &ml, ~0u);
    fprintf(f, ",\"pdq_low_quality\":%s,\"radius\":%d,\"dihedral\":%s}\n",
            ml.pdq_skipped ? "true" : "false", mo.radius, dihedral ? "true" : "false");
    vg_match_list_free(&ml);
    vgi_reply_stream(r, 200, f, &buf, &blen);
}
