/* html_page.c - the report's head and its case part: identity, evidence,
 * audit log and counts. Every stored string goes through vg_xml_text. */
#include <inttypes.h>
#include <stdlib.h>
#include <time.h>

#include "html_int.h"
#include "vigil/text.h"

/* Calm, low-contrast page; previews sit in fixed boxes so the page does not
 * jump, and render small even when zoomed. */
static const char css[] =
    "body{font:14px/1.45 sans-serif;margin:0 auto;max-width:1100px;padding:16px;"
    "background:#f4f4f2;color:#222}\n"
    "h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #bbb;margin-top:28px}\n"
    "table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #ccc;padding:3px 6px;"
    "text-align:left;vertical-align:top}th{background:#e6e6e2}\n"
    "code,.h{font-family:monospace;font-size:12px;word-break:break-all}\n"
    ".item{display:flex;gap:14px;background:#fff;border:1px solid #ccc;margin:10px 0;"
    "padding:10px}\n"
    ".thumb{flex:0 0 160px;height:160px;display:flex;align-items:center;"
    "justify-content:center;background:#ddd;color:#555;font-size:12px;text-align:center}\n"
    ".thumb img{max-width:160px;max-height:160px}\n"
    ".meta{flex:1;min-width:0}.meta dl{display:grid;grid-template-columns:9em 1fr;margin:0;"
    "gap:2px 10px}.meta dt{color:#666}.meta dd{margin:0;word-break:break-all}\n"
    ".bad{color:#a00;font-weight:bold}.ok{color:#060}\n";

void vgi_html_head(FILE *f, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"referrer\" content=\"no-referrer\">\n"
          "<meta name=\"viewport\" content=\"width=device-width\">\n<title>",
          f);
    vg_xml_text(f, title);
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", css);
}

void vgi_html_time(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    out[0] = '\0';
    if (t != INT64_MIN && gmtime_r(&tt, &tm))
        strftime(out, 32, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

static void td(FILE *f, const char *s)
{
    fputs("<td>", f);
    vg_xml_text(f, s ? s : "");
    fputs("</td>", f);
}

static vg_status evidence(FILE *f, vg_store *s, vg_error *err)
{
    vg_evidence_rec *ev = NULL;
    size_t n = 0;
    vg_status st = vg_store_evidence_list(s, &ev, &n, err);
    if (st != VG_OK)
        return st;
    fputs("<h2 id=\"evidence\">Evidence</h2>\n<table>\n<tr><th>#</th><th>path</th>"
          "<th>state</th><th>items</th><th>scan options</th></tr>\n",
          f);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "<tr><td>%lld</td>", (long long)ev[i].id);
        td(f, ev[i].path);
        td(f, ev[i].state);
        fprintf(f, "<td>%" PRIu64 "</td><td><code>", ev[i].items);
        vg_xml_text(f, ev[i].options);
        fputs("</code></td></tr>\n", f);
    }
    fputs("</table>\n", f);
    free(ev);
    return VG_OK;
}

static int audit_row(const vg_audit_rec *e, void *ctx)
{
    FILE *f = ctx;
    fprintf(f, "<tr><td>%lld</td>", (long long)e->id);
    td(f, e->time);
    td(f, e->version);
    td(f, e->action);
    fputs("<td><code>", f);
    vg_xml_text(f, e->detail);
    fputs("</code></td><td class=\"h\">", f);
    vg_xml_text(f, e->hash);
    fputs("</td></tr>\n", f);
    return 0;
}

static vg_status audit(FILE *f, vg_store *s, vg_error *err)
{
    uint64_t n = 0;
    vg_error ve;
    vg_status vst = vg_store_audit_verify(s, &n, &ve);

    fputs("<h2 id=\"audit\">Audit log</h2>\n<p>", f);
    if (vst == VG_OK) {
        fprintf(f, "<span class=\"ok\">hash chain intact</span> (%" PRIu64 " entries)", n);
    } else {
        fputs("<span class=\"bad\">HASH CHAIN BROKEN</span>: ", f);
        vg_xml_text(f, ve.msg);
    }
    fputs("</p>\n<table>\n<tr><th>#</th><th>time</th><th>vigil</th><th>action</th>"
          "<th>detail</th><th>SHA-256 (chained)</th></tr>\n",
          f);
    vg_status st = vg_store_audit_foreach(s, audit_row, f, err);
    fputs("</table>\n", f);
    return st;
}

static void count_row(FILE *f, const char *what, uint64_t n)
{
    fprintf(f, "<tr><td>%s</td><td>%" PRIu64 "</td></tr>\n", what, n);
}

static void known_row(const char *set, const char *cat, const char *label, uint64_t count,
                      void *ctx)
{
    FILE *f = ctx;
    fputs("<tr>", f);
    td(f, set);
    td(f, cat);
    td(f, label);
    fprintf(f, "<td>%" PRIu64 "</td></tr>\n", count);
}

static vg_status counts(FILE *f, vg_store *s, vg_case_summary *m, vg_error *err)
{
    vg_status st = vg_store_summary(s, m, err);
    if (st != VG_OK)
        return st;
    fputs("<h2 id=\"counts\">Counts</h2>\n<table>\n", f);
    count_row(f, "items", m->items);
    count_row(f, "files", m->files);
    count_row(f, "pictures", m->images);
    count_row(f, "NEW pictures (match no hash set)", m->new_images);
    count_row(f, "known items", m->known);
    count_row(f, "matches", m->matches);
    count_row(f, "duplicates (same SHA-1 as an earlier item)", m->duplicates);
    count_row(f, "near-duplicate clusters (PDQ)", m->clusters);
    count_row(f, "pictures in clusters", m->clustered);
    count_row(f, "pictures with a hidden payload", m->steg_payload);
    count_row(f, "pictures suspicious of hidden data", m->steg_suspicious);
    count_row(f, "deleted", m->deleted);
    count_row(f, "carved", m->carved);
    count_row(f, "errors", m->errors);
    fputs("</table>\n<table>\n<tr><th>set</th><th>category</th><th>label</th><th>known items"
          "</th></tr>\n",
          f);
    st = vg_store_known_by_category(s, known_row, f, err);
    fputs("</table>\n", f);
    return st;
}

vg_status vgi_html_case(FILE *f, vg_store *s, const vg_html_opts *o, vg_case_summary *sum,
                        vg_error *err)
{
    vg_status st;
    fputs("<h1>vigil case report</h1>\n<p>Case: <code>", f);
    vg_xml_text(f, o->case_name ? o->case_name : "");
    fputs("</code><br>Written by vigil " VG_VERSION ". Previews are blurred and grey on "
          "purpose; open the evidence itself to see a picture.</p>\n"
          "<p><a href=\"#evidence\">Evidence</a> · <a href=\"#audit\">Audit log</a> · "
          "<a href=\"#counts\">Counts</a> · <a href=\"#new\">NEW pictures</a> · "
          "<a href=\"#known\">Known items</a> · <a href=\"#other\">Other items</a></p>\n",
          f);
    if ((st = evidence(f, s, err)) != VG_OK || (st = audit(f, s, err)) != VG_OK)
        return st;
    return counts(f, s, sum, err);
}
