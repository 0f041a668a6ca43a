/* emit.h - the tool's output formats; text escaping is in vigil/text.h. */
#ifndef VIGIL_EMIT_H
#define VIGIL_EMIT_H

#include <stdio.h>

#include "vigil/text.h"

typedef enum { FMT_JSONL, FMT_CSV, FMT_TEXT } out_format;

/* Parses "jsonl", "csv", "text"; -1 otherwise. */
int parse_format(const char *s);

#endif
