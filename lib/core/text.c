/* text.c - JSON, CSV and XML text from arbitrary bytes. */
#include <string.h>

#include "vigil/text.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static int utf8_seq(const unsigned char *s)
{
    unsigned c = s[0], min;
    int n;

    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0) {
        n = 2;
        min = 0x80;
        c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3;
        min = 0x800;
        c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4;
        min = 0x10000;
        c &= 0x07;
    } else {
        return 0;
    }
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    return n;
}

int vg_utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = utf8_seq(p);
        if (!n)
            return 0;
        p += n;
    }
    return 1;
}

/* Walks s: valid multi-byte UTF-8 is copied, one-byte characters go to
 * ascii(), invalid bytes to bad(). Returns 1 if bad() was called. */
static int walk_utf8(FILE *f, const char *s, void (*ascii)(FILE *, unsigned char),
                     void (*bad)(FILE *))
{
    const unsigned char *p = (const unsigned char *)s;
    int replaced = 0;

    while (*p) {
        int n = utf8_seq(p);
        if (!n) {
            bad(f);
            replaced = 1;
            p++;
        } else if (n > 1) {
            fwrite(p, 1, (size_t)n, f);
            p += n;
        } else {
            ascii(f, *p++);
        }
    }
    return replaced;
}

static void json_ascii(FILE *f, unsigned char c)
{
    switch (c) {
    case '"': fputs("\\\"", f); break;
    case '\\': fputs("\\\\", f); break;
    case '\n': fputs("\\n", f); break;
    case '\r': fputs("\\r", f); break;
    case '\t': fputs("\\t", f); break;
    default:
        if (c < 0x20 || c == 0x7f)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
}

static void json_bad(FILE *f)
{
    fputs("\\ufffd", f);
}

int vg_json_str(FILE *f, const char *s)
{
    int replaced;
    fputc('"', f);
    replaced = walk_utf8(f, s, json_ascii, json_bad);
    fputc('"', f);
    return replaced;
}

void vg_csv_field(FILE *f, const char *s)
{
    size_t n = strlen(s);
    if (!strpbrk(s, ",\"\r\n") && (n == 0 || (s[0] != ' ' && s[n - 1] != ' '))) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void xml_bad(FILE *f)
{
    fputs("\xef\xbf\xbd", f); /* U+FFFD */
}

static void xml_ascii(FILE *f, unsigned char c)
{
    switch (c) {
    case '&': fputs("&amp;", f); break;
    case '<': fputs("&lt;", f); break;
    case '>': fputs("&gt;", f); break;
    case '"': fputs("&quot;", f); break;
    case '\'': fputs("&apos;", f); break;
    default:
        /* XML 1.0 cannot carry other control characters at all */
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            xml_bad(f);
        else
            fputc(c, f);
    }
}

void vg_xml_text(FILE *f, const char *s)
{
    walk_utf8(f, s, xml_ascii, xml_bad);
}
