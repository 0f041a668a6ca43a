/* steg.c - steganalysis inside the scan: every picture gets a verdict, and a
 * payload located in it (data after the image's end, a file embedded in it)
 * becomes an item of its own, hashed and matched like any other. Payload items
 * share their parent's seq with sub 1, 2..., so the resume key and the walk
 * order stay those of the walker. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan_int.h"
#include "vigil/steg.h"

void vgi_job_free(job *j)
{
    if (!j)
        return;
    for (size_t k = 0; k < j->n_children; k++) {
        job *c = &j->children[k];
        free(c->path);
        free(c->name);
        free(c->error);
        free(c->steg_scores);
        free(c->h.thumb);
    }
    free(j->children);
    free(j->path);
    free(j->name);
    free(j->error);
    free(j->data);
    free(j->steg_scores);
    free(j->h.thumb);
    free(j);
}

static char *scores_json(const vg_steg_report *r)
{
    char buf[1024];
    int n = snprintf(buf, sizeof buf, "{\"findings\":%zu", r->found.n);
    if (r->has_lsb && n < (int)sizeof buf)
        n += snprintf(buf + n, sizeof buf - (size_t)n,
                      ",\"analysable\":%s,\"spa_max\":%.4f,\"ws_mean\":%.4f,\"ws_max\":%.4f,"
                      "\"rs_max\":%.4f,\"chi_max\":%.4f,\"blockiness\":%.3f",
                      r->lsb.image_na == VG_STEG_ANALYSABLE ? "true" : "false",
                      r->lsb.spa_max, r->lsb.ws_mean, r->lsb.ws_max, r->lsb.rs_max,
                      r->lsb.chi_max, r->lsb.blockiness);
    if (r->has_jpeg && n < (int)sizeof buf)
        n += snprintf(buf + n, sizeof buf - (size_t)n,
                      ",\"jsteg_prefix\":%.4f,\"f5_beta\":%.4f,\"calib_dist\":%.4f,"
                      "\"calib_block\":%.4f",
                      r->jpeg.jsteg_prefix, r->jpeg.f5_beta, r->jpeg.calib_dist,
                      r->jpeg.calib_block);
    if (n < (int)sizeof buf)
        snprintf(buf + n, sizeof buf - (size_t)n, "}");
    return strdup(buf);
}

/* A child job for payload f of parent j, hashed and matched. */
static void payload_child(job *j, const vg_steg_finding *f, job *c, const vg_hash_opts *ho,
                          const vg_scan_opts *o, uint32_t sub)
{
    char tail[64];
    size_t n;

    memset(c, 0, sizeof *c);
    snprintf(tail, sizeof tail, "$Payload/%llu.%s", (unsigned long long)f->offset, f->type);
    n = strlen(j->path) + strlen(tail) + 3;
    c->path = malloc(n);
    if (c->path)
        snprintf(c->path, n, "%s!/%s", j->path, tail);
    c->name = strdup(tail);
    snprintf(c->flags, sizeof c->flags, "payload");
    c->status = "ok";
    c->thumb_distance = -1;
    c->rec = j->rec;
    c->rec.sub = sub;
    c->rec.parent_seq = j->rec.seq;
    c->rec.depth = j->rec.depth + 1;
    c->rec.source = "embedded";
    c->rec.item_type = "file";
    c->rec.size = f->length;
    c->rec.offset = j->rec.offset >= 0 ? j->rec.offset + (int64_t)f->offset : -1;
    c->rec.meta_addr = 0;
    vg_hash_opts cho = *ho;
    cho.dihedral = 1;
    if (vg_hash_buffer(j->data + f->offset, (size_t)f->length, &cho, &c->h, NULL) == VG_OK)
        c->hashed = 1;
    if (c->hashed && o->match && o->match(o->match_ctx, &c->h, &c->matches, &c->n_matches) != 0) {
        c->matches = NULL;
        c->n_matches = 0;
    }
}

void vgi_scan_steg(job *j, const vg_hash_opts *ho, const vg_scan_opts *o)
{
    vg_steg_report r;
    size_t payloads = 0;

    if (vg_steg_analyse(j->data, j->len, &o->limits, &r, NULL) != VG_OK)
        return;
    j->steg_verdict = vg_steg_verdict_name(r.verdict);
    snprintf(j->steg_reason, sizeof j->steg_reason, "%s", r.reason);
    j->steg_scores = scores_json(&r);
    for (size_t i = 0; i < r.found.n; i++)
        payloads += (r.found.v[i].kind == VG_STEG_APPENDED ||
                     r.found.v[i].kind == VG_STEG_EMBEDDED) &&
                    r.found.v[i].length > 0 && r.found.v[i].offset + r.found.v[i].length <= j->len;
    if (payloads)
        j->children = calloc(payloads, sizeof *j->children);
    for (size_t i = 0; j->children && i < r.found.n; i++) {
        const vg_steg_finding *f = &r.found.v[i];
        if ((f->kind == VG_STEG_APPENDED || f->kind == VG_STEG_EMBEDDED) && f->length > 0 &&
            f->offset + f->length <= j->len) {
            payload_child(j, f, &j->children[j->n_children], ho, o,
                          (uint32_t)j->n_children + 1);
            j->n_children++;
        }
    }
    vg_steg_report_free(&r);
}
