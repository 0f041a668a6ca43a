/* emit.c - the tool's output format names. */
#include <string.h>

#include "emit.h"

int parse_format(const char *s)
{
    if (strcmp(s, "jsonl") == 0 || strcmp(s, "json") == 0)
        return FMT_JSONL;
    if (strcmp(s, "csv") == 0)
        return FMT_CSV;
    if (strcmp(s, "text") == 0)
        return FMT_TEXT;
    return -1;
}
