/* http_client.h - a tiny HTTP/1.1 client for the review server tests: one
 * request per connection to 127.0.0.1, any Host and Cookie, the whole
 * answer read until the server closes. */
#ifndef REVIEW_HTTP_CLIENT_H
#define REVIEW_HTTP_CLIENT_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct hreq {
    const char *method, *path;
    const char *host;   /* NULL: 127.0.0.1:PORT */
    const char *cookie; /* NULL: none */
    const char *ctype;  /* NULL: none */
    const void *body;
    size_t blen;
} hreq;

typedef struct hresp {
    int status;
    char *raw;    /* the whole answer, NUL-terminated */
    char *body;   /* into raw */
    size_t blen;
} hresp;

static int hc_send_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
        if (w <= 0)
            return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

static int hc_connect(uint16_t port)
{
    struct sockaddr_in sa;
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    if (fd < 0)
        return -1;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int hc_do(uint16_t port, const hreq *q, hresp *out)
{
    char head[16384], host[64];
    size_t cap = 65536, len = 0;
    int fd = hc_connect(port), n;

    memset(out, 0, sizeof *out);
    if (fd < 0)
        return -1;
    snprintf(host, sizeof host, "127.0.0.1:%u", (unsigned)port);
    n = snprintf(head, sizeof head,
                 "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n%s%s%s%s%s%s"
                 "Content-Length: %zu\r\n\r\n",
                 q->method, q->path, q->host ? q->host : host, q->cookie ? "Cookie: " : "",
                 q->cookie ? q->cookie : "", q->cookie ? "\r\n" : "",
                 q->ctype ? "Content-Type: " : "", q->ctype ? q->ctype : "",
                 q->ctype ? "\r\n" : "", q->blen);
    /* a refused upload may close early: the answer still counts */
    if (hc_send_all(fd, head, (size_t)n) == 0 && q->blen)
        (void)hc_send_all(fd, q->body, q->blen);
    out->raw = malloc(cap);
    for (;;) {
        if (len + 1 >= cap) {
            char *nr = realloc(out->raw, cap *= 2);
            if (!nr)
                break;
            out->raw = nr;
        }
        ssize_t r = recv(fd, out->raw + len, cap - len - 1, 0);
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    out->raw[len] = '\0';
    if (sscanf(out->raw, "HTTP/1.1 %d", &out->status) != 1)
        return -1;
    out->body = strstr(out->raw, "\r\n\r\n");
    out->body = out->body ? out->body + 4 : out->raw + len;
    out->blen = len - (size_t)(out->body - out->raw);
    return 0;
}

/* The value of header name (copied into buf), or NULL. */
static const char *hc_header(const hresp *r, const char *name, char *buf, size_t cap)
{
    size_t n = strlen(name);
    for (const char *p = strstr(r->raw, "\r\n"); p && p + 2 < r->body; p = strstr(p + 2, "\r\n")) {
        if (strncasecmp(p + 2, name, n) == 0 && p[2 + n] == ':') {
            const char *v = p + 3 + n, *e = strstr(v, "\r\n");
            while (*v == ' ')
                v++;
            snprintf(buf, cap, "%.*s", (int)(e - v), v);
            return buf;
        }
    }
    return NULL;
}

static void hc_free(hresp *r)
{
    free(r->raw);
    memset(r, 0, sizeof *r);
}

#endif
