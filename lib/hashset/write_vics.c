/* write_vics.c - VICS 2.0 hash-set form ("#Media"), one Media per line.
 *
 * Labels go back where the reader found them: "series:X" -> Series,
 * "comment:X" -> Comments, the VICS flag names -> true, the rest -> Tags
 * joined by ','. SHA-256 and PDQ travel in AlternativeHashes (PDQ with a
 * "Quality" member, a vigil extension other readers ignore); the file name in
 * MediaFiles, since 2.0 Media have no FileName.
 */
#include <string.h>

#include "vigil/text.h"
#include "write_int.h"

static const char *const flags[] = {"VictimIdentified", "OffenderIdentified", "IsDistributed",
                                    "IsSuspected",      "SelfGenerated",      "IsPrecategorized"};

/* The characters of a JSON string, without the quotes. */
static void json_chars(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
}


static void hex_upper(FILE *f, const vg_hs_entry *e, unsigned kind)
{
    char hex[65];
    const uint8_t *b = kind == VG_HS_HAS_MD5 ? e->md5 : kind == VG_HS_HAS_SHA1 ? e->sha1
                       : kind == VG_HS_HAS_SHA256 ? e->sha256 : e->pdq.b;
    size_t n = kind == VG_HS_HAS_MD5 ? 16 : kind == VG_HS_HAS_SHA1 ? 20 : 32;
    vg_hex_encode(b, n, hex);
    for (char *p = hex; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 32);
    fprintf(f, "\"%s\"", hex);
}

void vgi_hs_vics_begin(vg_hs_writer *w)
{
    const char *ctx = w->o.vics_context ? w->o.vics_context : "Default";
    fputs("{\n  \"@odata.context\": ", w->f);
    char url[200];
    snprintf(url, sizeof url,
             "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/%s/$metadata#Media",
             ctx);
    vg_json_str(w->f, url);
    fputs(",\n  \"value\": [\n", w->f);
}

void vgi_hs_vics_end(vg_hs_writer *w)
{
    fputs(w->written ? "\n  ]\n}\n" : "  ]\n}\n", w->f);
}

static int is_flag(const char *l)
{
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
        if (strcmp(l, flags[i]) == 0)
            return 1;
    return 0;
}

static void labels_out(FILE *f, const vg_hs_entry *e)
{
    int series = 0, comment = 0, tags = 0;
    for (size_t i = 0; i < e->n_labels; i++) {
        const char *l = e->labels[i];
        if (!series && strncmp(l, "series:", 7) == 0) {
            series = 1;
            fputs(", \"Series\": ", f);
            vg_json_str(f, l + 7);
        } else if (!comment && strncmp(l, "comment:", 8) == 0) {
            comment = 1;
            fputs(", \"Comments\": ", f);
            vg_json_str(f, l + 8);
        } else if (is_flag(l)) {
            fprintf(f, ", \"%s\": true", l);
        }
    }
    series = comment = 0;
    for (size_t i = 0; i < e->n_labels; i++) {
        const char *l = e->labels[i];
        if ((!series && strncmp(l, "series:", 7) == 0 && (series = 1)) ||
            (!comment && strncmp(l, "comment:", 8) == 0 && (comment = 1)) || is_flag(l))
            continue;
        fputs(tags++ ? "," : ", \"Tags\": \"", f);
        json_chars(f, l);
    }
    if (tags)
        fputc('"', f);
}

static void alternatives(FILE *f, const vg_hs_entry *e)
{
    int n = 0;
    if (!(e->has & (VG_HS_HAS_SHA256 | VG_HS_HAS_PDQ)))
        return;
    fputs(", \"AlternativeHashes\": [", f);
    if (e->has & VG_HS_HAS_SHA256) {
        fputs("{\"HashName\": \"SHA256\", \"HashValue\": ", f);
        hex_upper(f, e, VG_HS_HAS_SHA256);
        fputc('}', f);
        n++;
    }
    if (e->has & VG_HS_HAS_PDQ) {
        fputs(n ? ", {\"HashName\": \"PDQ\", \"HashValue\": "
                : "{\"HashName\": \"PDQ\", \"HashValue\": ",
              f);
        hex_upper(f, e, VG_HS_HAS_PDQ);
        if (e->pdq_quality >= 0)
            fprintf(f, ", \"Quality\": %d", e->pdq_quality);
        fputc('}', f);
    }
    fputc(']', f);
}

vg_status vgi_hs_vics_media_out(vg_hs_writer *w, const vg_hs_entry *e, vg_error *err)
{
    FILE *f = w->f;
    int cat = vg_hs_scheme_vics_number(w->scheme, e->category);
    if (cat == -2)
        return vg_errorf(err, VG_ERR_UNSUPPORTED,
                         "category %s has no VICS number in scheme %s (give one in a scheme file)",
                         e->category, vg_hs_scheme_name(w->scheme));
    fprintf(f, "%s    {\"MediaID\": %llu", w->written ? ",\n" : "",
            (unsigned long long)w->written + 1);
    if (cat >= 0)
        fprintf(f, ", \"Category\": %d", cat);
    else
        fputs(", \"Category\": null", f);
    if (e->has & VG_HS_HAS_MD5)
        fputs(", \"MD5\": ", f), hex_upper(f, e, VG_HS_HAS_MD5);
    if (e->has & VG_HS_HAS_SHA1)
        fputs(", \"SHA1\": ", f), hex_upper(f, e, VG_HS_HAS_SHA1);
    if (e->has & VG_HS_HAS_SIZE)
        fprintf(f, ", \"MediaSize\": %llu", (unsigned long long)e->size);
    if (e->updated)
        fputs(", \"DateUpdated\": ", f), vg_json_str(f, e->updated);
    if (e->photodna)
        fputs(", \"PhotoDNA\": ", f), vg_json_str(f, e->photodna);
    labels_out(f, e);
    alternatives(f, e);
    if (e->name) {
        fputs(", \"MediaFiles\": [{", f);
        if (e->has & VG_HS_HAS_MD5)
            fputs("\"MD5\": ", f), hex_upper(f, e, VG_HS_HAS_MD5), fputs(", ", f);
        fputs("\"FileName\": ", f);
        vg_json_str(f, e->name);
        fputs("}]", f);
    }
    fputc('}', f);
    return VG_OK;
}
