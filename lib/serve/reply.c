/* reply.c - JSON answers of the serve API: errors, match lists. */
#include <stdlib.h>
#include <string.h>

#include "serve_int.h"
#include "vigil/text.h"

void vgi_reply_json(vgi_reply *r, unsigned status, char *buf, size_t len)
{
    if (!buf) {
        vgi_reply_error(r, 500, "nomem", "", "out of memory");
        return;
    }
    r->status = status;
    r->body = buf;
    r->len = len;
    r->ctype = "application/json";
}

void vgi_reply_error(vgi_reply *r, unsigned status, const char *code, const char *field,
                     const char *msg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    r->status = status;
    r->ctype = "application/json";
    free(r->body);
    r->body = NULL;
    r->len = 0;
    if (!f)
        return;
    fprintf(f, "{\"error\":{\"status\":%u,\"code\":", status);
    vg_json_str(f, code);
    fputs(",\"field\":", f);
    vg_json_str(f, field ? field : "");
    fputs(",\"message\":", f);
    vg_json_str(f, msg);
    fputs("}}\n", f);
    if (fclose(f) == 0) {
        r->body = buf;
        r->len = len;
    } else {
        free(buf);
    }
}

void vgi_reply_stream(vgi_reply *r, unsigned status, FILE *f, char **buf, const size_t *len)
{
    if (fclose(f) != 0) {
        free(*buf);
        *buf = NULL;
    }
    vgi_reply_json(r, status, *buf, *len);
}

void vgi_reply_parse_error(vgi_reply *r, const vg_parse_error *pe)
{
    vgi_reply_error(r, pe->err.code == VG_ERR_LIMIT_SIZE ? 413 : 400,
                    vg_status_name(pe->err.code), pe->field, pe->err.msg);
}
