/* reply.c - JSON answers of the review API: errors and streamed bodies. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "review_int.h"
#include "vigil/text.h"

FILE *vgi_json_open(char **buf, size_t *len)
{
    *buf = NULL;
    *len = 0;
    return open_memstream(buf, len);
}

void vgi_rv_stream(vgi_reply *r, unsigned status, FILE *f, char **buf, size_t *len)
{
    if (fclose(f) != 0 || !*buf) {
        free(*buf);
        *buf = NULL;
        vgi_rv_error(r, 500, "out of memory");
        return;
    }
    free(r->body);
    r->status = status;
    r->body = *buf;
    r->len = *len;
    r->ctype = "application/json";
    *buf = NULL;
}

void vgi_rv_error(vgi_reply *r, unsigned status, const char *fmt, ...)
{
    char msg[600], *buf;
    size_t len;
    va_list ap;
    FILE *f;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    free(r->body);
    r->body = NULL;
    r->len = 0;
    r->status = status;
    r->ctype = "application/json";
    if (!(f = vgi_json_open(&buf, &len)))
        return;
    fputs("{\"error\":", f);
    vg_json_str(f, msg);
    fputs("}\n", f);
    if (fclose(f) == 0) {
        r->body = buf;
        r->len = len;
    } else {
        free(buf);
    }
}
