/* text.h - writing text formats safely: JSON strings, CSV fields, XML text.
 * Paths on seized media are arbitrary bytes; these never emit invalid
 * documents whatever they are given. */
#ifndef VIGIL_TEXT_H
#define VIGIL_TEXT_H

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Whether s is valid UTF-8 (no overlongs, no surrogates). */
int vg_utf8_valid(const char *s);

/* Writes s as a JSON string literal (quotes included). Bytes that are not
 * valid UTF-8 become U+FFFD; returns 1 when that happened, so the caller can
 * add the exact bytes in hex. */
int vg_json_str(FILE *f, const char *s);

/* Writes s as one CSV field (RFC 4180: quoted when it holds , " CR LF or
 * begins or ends with a space). */
void vg_csv_field(FILE *f, const char *s);

/* Writes s as XML character data (& < > " ' escaped; control characters and
 * invalid UTF-8 become U+FFFD, since XML 1.0 cannot carry them). */
void vg_xml_text(FILE *f, const char *s);

#ifdef __cplusplus
}
#endif
#endif
