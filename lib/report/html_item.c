/* html_item.c - one item of the report: preview (or why none) and details. */
#include <inttypes.h>
#include <string.h>

#include "html_int.h"
#include "report_int.h"
#include "vigil/text.h"

static int group_of(const vg_item_rec *r)
{
    if (r->n_matches > 0)
        return 2;
    return r->file_type && strcmp(r->file_type, "unknown") != 0 ? 1 : 3;
}

static void group_heading(vgi_html_items *h, int g)
{
    static const char *const id[] = {"", "new", "known", "other"};
    static const char *const title[] = {"", "NEW pictures (matching no hash set)",
                                        "Known items (matching a hash set)", "Other items"};
    const vg_case_summary *m = h->sum;
    uint64_t n[] = {0, m->new_images, m->known, m->items - m->new_images - m->known};

    /* Every heading is written, empty groups too, so the contents links hold. */
    for (int k = h->group + 1; k <= g; k++)
        fprintf(h->f, "<h2 id=\"%s\">%s: %" PRIu64 "</h2>\n", id[k], title[k], n[k]);
    h->group = g;
}

static void dt(FILE *f, const char *name, const char *value)
{
    if (!value || !value[0])
        return;
    fprintf(f, "<dt>%s</dt><dd>", name);
    vg_xml_text(f, value);
    fputs("</dd>\n", f);
}

/* The preview box; VG_ERR_IO only when the report cannot be written. */
static vg_status preview(vgi_html_items *h, const vg_item_rec *r)
{
    char name[64], why[600];
    const char *none = vgi_html_no_preview(r);
    vg_status st = VG_OK;

    fputs("<div class=\"thumb\">", h->f);
    if ((!none || vgi_html_in_container(r)) && h->thumbs_fd < 0) {
        none = "no preview (--no-thumbnails)";
    } else if ((!none || vgi_html_in_container(r)) && r->has_thumb) {
        vgi_html_thumb_name(r->evidence_id, r->seq, r->sub, name);
        st = vgi_html_thumb_stored(h->store, r, h->lim, h->thumbs_fd, name, why, sizeof why,
                                   h->err);
        none = st == VG_OK ? NULL : why;
        if (st == VG_OK)
            fprintf(h->f, "<img src=\"thumbs/%s\" alt=\"blurred preview\">", name);
    } else if (vgi_html_in_container(r)) {
        const vgi_html_want *x = vgi_html_want_next(h->wants, r);
        vgi_html_thumb_name(r->evidence_id, r->seq, r->sub, name);
        none = x ? vgi_html_want_why(x) : "no preview: inside a container";
        if (x && vgi_html_want_written(x)) {
            fprintf(h->f, "<img src=\"thumbs/%s\" alt=\"blurred preview\">", name);
            none = NULL;
        }
    } else if (!none) {
        vgi_html_thumb_name(r->evidence_id, r->seq, r->sub, name);
        st = vgi_html_thumb_file(r, h->lim, h->thumbs_fd, name, why, sizeof why, h->err);
        if (st == VG_OK)
            fprintf(h->f, "<img src=\"thumbs/%s\" alt=\"blurred preview\">", name);
        else
            none = why;
    }
    if (none)
        vg_xml_text(h->f, none);
    fputs("</div>\n", h->f);
    return st == VG_ERR_IO ? st : VG_OK;
}

static void matches(FILE *f, const vg_item_rec *r)
{
    if (!r->n_matches)
        return;
    fputs("<dt>matches</dt><dd>", f);
    for (size_t i = 0; i < r->n_matches; i++) {
        const vg_match_rec *m = &r->matches[i];
        vg_xml_text(f, m->set ? m->set : "");
        fputs(" · ", f);
        vg_xml_text(f, m->kind ? m->kind : "");
        fprintf(f, " distance %d · category ", m->distance);
        vg_xml_text(f, m->category ? m->category : "none");
        if (m->category_label) {
            fputs(" (", f);
            vg_xml_text(f, m->category_label);
            fputc(')', f);
        }
        if (m->labels) {
            fputs(" · ", f);
            vg_xml_text(f, m->labels);
        }
        fputs("<br>", f);
    }
    fputs("</dd>\n", f);
}

static void exif(FILE *f, const vg_item_rec *r)
{
    dt(f, "camera make", r->exif_make);
    dt(f, "camera model", r->exif_model);
    dt(f, "taken (EXIF)", r->exif_datetime);
    if (r->has_gps)
        fprintf(f, "<dt>GPS</dt><dd>%.6f, %.6f</dd>\n", r->gps_lat, r->gps_lon);
    if (r->thumb_distance > 31)
        fprintf(f, "<dt>EXIF thumbnail</dt><dd class=\"bad\">differs from the picture (PDQ "
                   "distance %d): it may show the original</dd>\n",
                r->thumb_distance);
}

static void identity(FILE *f, const vg_item_rec *r)
{
    char num[64], t[32];
    fputs("<dt>path</dt><dd><code>", f);
    vg_xml_text(f, r->path ? r->path : "");
    fputs("</code></dd>\n", f);
    dt(f, "source", r->source);
    dt(f, "flags", r->flags);
    snprintf(num, sizeof num, "%s%s", r->file_type ? r->file_type : "",
             r->ext_mismatch ? " (the name's extension says otherwise)" : "");
    dt(f, "type", num);
    fprintf(f, "<dt>size</dt><dd>%" PRIu64 " bytes", r->size);
    if (r->width && r->height)
        fprintf(f, ", %" PRIu32 " × %" PRIu32 " px", r->width, r->height);
    fputs("</dd>\n", f);
    if (r->offset >= 0)
        fprintf(f, "<dt>offset</dt><dd>%lld</dd>\n", (long long)r->offset);
    vgi_html_time(r->mtime, t);
    dt(f, "modified", t);
    vgi_html_time(r->crtime, t);
    dt(f, "created", t);
}

static void digests(FILE *f, const vg_item_rec *r)
{
    vgi_hexes x;
    vgi_report_hexes(r, &x);
    if (r->have_digests)
        fprintf(f, "<dt>MD5</dt><dd class=\"h\">%s</dd>\n<dt>SHA-1</dt><dd class=\"h\">%s</dd>\n"
                   "<dt>SHA-256</dt><dd class=\"h\">%s</dd>\n",
                x.md5, x.sha1, x.sha256);
    if (r->have_pdq)
        fprintf(f, "<dt>PDQ</dt><dd class=\"h\">%s (quality %d)</dd>\n", x.pdq, r->pdq_quality);
}

static void findings(FILE *f, const vg_item_rec *r)
{
    if (r->steg_verdict) {
        fprintf(f, "<dt>hidden data</dt><dd%s>", strcmp(r->steg_verdict, "clean") != 0
                                                     ? " class=\"bad\""
                                                     : "");
        vg_xml_text(f, r->steg_verdict);
        if (r->steg_reason && r->steg_reason[0]) {
            fputs(": ", f);
            vg_xml_text(f, r->steg_reason);
        }
        fputs("</dd>\n", f);
    }
    if (r->cluster)
        fprintf(f, "<dt>cluster</dt><dd>%" PRIu64 "%s</dd>\n", r->cluster,
                r->cluster_rep ? " (its representative)" : "");
    if (r->status && strcmp(r->status, "ok") != 0) {
        fputs("<dt>error</dt><dd class=\"bad\">", f);
        vg_xml_text(f, r->status);
        if (r->error) {
            fputs(": ", f);
            vg_xml_text(f, r->error);
        }
        fputs("</dd>\n", f);
    }
}

int vgi_html_item(const vg_item_rec *r, void *ctx)
{
    vgi_html_items *h = ctx;
    FILE *f = h->f;
    int g = group_of(r);

    if (g > h->group)
        group_heading(h, g);
    fprintf(f, "<div class=\"item\" id=\"i%lld-%" PRIu64 "-%u\">\n", (long long)r->evidence_id,
            r->seq, r->sub);
    if ((h->st = preview(h, r)) != VG_OK)
        return 1;
    fprintf(f, "<div class=\"meta\"><dl>\n<dt>item</dt><dd>evidence %lld, #%" PRIu64,
            (long long)r->evidence_id, r->seq);
    if (r->sub)
        fprintf(f, ", found inside it: %u", r->sub);
    fputs("</dd>\n", f);
    identity(f, r);
    digests(f, r);
    matches(f, r);
    exif(f, r);
    findings(f, r);
    fputs("</dl></div>\n</div>\n", f);
    return ferror(f) ? (h->st = vg_errorf(h->err, VG_ERR_IO, "writing index.html failed"), 1)
                     : 0;
}

/* Headings for groups the case has no item of, so every link holds. */
void vgi_html_items_end(vgi_html_items *h)
{
    group_heading(h, 3);
}
