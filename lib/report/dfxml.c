/* dfxml.c - Digital Forensics XML, in the shape fiwalk writes: <dfxml> with
 * <metadata>, <creator>, <source> per evidence, then one <fileobject> per
 * item (filename, filesize, alloc or unalloc, inode, times, byte_runs,
 * hashdigest). Times are ISO 8601 UTC, as fiwalk gives them. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report_int.h"
#include "vigil/text.h"

static void put_time(FILE *f, const char *tag, int64_t t)
{
    char buf[32];
    time_t tt = (time_t)t;
    struct tm tm;

    if (t == INT64_MIN || !gmtime_r(&tt, &tm))
        return;
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(f, "      <%s>%s</%s>\n", tag, buf, tag);
}

static int has_flag(const vg_item_rec *r, const char *flag)
{
    return r->flags && strstr(r->flags, flag) != NULL;
}

static int put_item(const vg_item_rec *r, void *ctx)
{
    FILE *f = ctx;
    vgi_hexes x;

    vgi_report_hexes(r, &x);
    fputs("    <fileobject>\n      <filename>", f);
    vg_xml_text(f, r->path ? r->path : "");
    fprintf(f, "</filename>\n      <filesize>%" PRIu64 "</filesize>\n", r->size);
    if (has_flag(r, "deleted") || has_flag(r, "unalloc"))
        fputs("      <unalloc>1</unalloc>\n", f);
    else
        fputs("      <alloc>1</alloc>\n", f);
    if (r->meta_addr)
        fprintf(f, "      <inode>%" PRIu64 "</inode>\n", r->meta_addr);
    put_time(f, "mtime", r->mtime);
    put_time(f, "atime", r->atime);
    put_time(f, "ctime", r->ctime);
    put_time(f, "crtime", r->crtime);
    if (r->offset >= 0)
        fprintf(f,
                "      <byte_runs>\n        <byte_run file_offset=\"0\" img_offset=\"%lld\" "
                "len=\"%" PRIu64 "\"/>\n      </byte_runs>\n",
                (long long)r->offset, r->size);
    if (r->have_digests)
        fprintf(f,
                "      <hashdigest type=\"md5\">%s</hashdigest>\n"
                "      <hashdigest type=\"sha1\">%s</hashdigest>\n"
                "      <hashdigest type=\"sha256\">%s</hashdigest>\n",
                x.md5, x.sha1, x.sha256);
    fputs("    </fileobject>\n", f);
    return 0;
}

vg_status vgi_report_dfxml(vg_store *s, FILE *out, vg_error *err)
{
    vg_evidence_rec *ev;
    size_t n;
    vg_status st = vg_store_evidence_list(s, &ev, &n, err);

    if (st != VG_OK)
        return st;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<dfxml xmlns=\"http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML\"\n"
          "       xmlns:dc=\"http://purl.org/dc/elements/1.1/\" version=\"1.0\">\n"
          "  <metadata>\n    <dc:type>File System Listing</dc:type>\n  </metadata>\n"
          "  <creator version=\"1.0\">\n    <program>vigil</program>\n"
          "    <version>" VG_VERSION "</version>\n  </creator>\n",
          out);
    for (size_t i = 0; i < n; i++) {
        fputs("  <source>\n    <image_filename>", out);
        vg_xml_text(out, ev[i].path);
        fputs("</image_filename>\n  </source>\n", out);
    }
    free(ev);
    fputs("  <volume>\n", out);
    st = vg_store_items_foreach(s, put_item, out, err);
    fputs("  </volume>\n</dfxml>\n", out);
    return st;
}
