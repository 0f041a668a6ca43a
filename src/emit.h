/* emit.h - the tool's output helpers: JSON strings, CSV fields. */
#ifndef VIGIL_EMIT_H
#define VIGIL_EMIT_H

#include <stdio.h>

typedef enum { FMT_JSONL, FMT_CSV, FMT_TEXT } out_format;

/* Parses "jsonl", "csv", "text"; -1 otherwise. */
int parse_format(const char *s);

/* Writes s as a JSON string literal. Bytes that are not valid UTF-8 become
 * U+FFFD; returns 1 when that happened (the caller may add a hex form). */
int emit_json_str(FILE *f, const char *s);

/* Writes s as one CSV field (RFC 4180: quoted when it holds , " CR or LF). */
void emit_csv_str(FILE *f, const char *s);

/* Whether s is valid UTF-8. */
int utf8_valid(const char *s);

#endif
