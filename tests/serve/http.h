/* http.h - a tiny HTTP/1.1 client for the serve tests: one request per
 * connection to 127.0.0.1 only, the whole answer read until the server closes. */
#ifndef SERVE_HTTP_H
#define SERVE_HTTP_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct http_resp {
    int status;
    char *raw;   /* the whole answer, NUL-terminated */
    char *body;  /* into raw */
} http_resp;

static int write_all(int fd, const void *p, size_t n)
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

/* Sends method path with token (NULL: none) and body; 0 and *out on an answer. */
static int http_req(uint16_t port, const char *method, const char *path, const char *token,
                    const void *body, size_t blen, http_resp *out)
{
    struct sockaddr_in sa;
    char head[1024];
    size_t cap = 65536, len = 0;
    int fd = socket(AF_INET, SOCK_STREAM, 0), n;

    memset(out, 0, sizeof *out);
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
    n = snprintf(head, sizeof head,
                 "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                 "Content-Length: %zu\r\n%s%s%s\r\n",
                 method, path, blen, token ? "Authorization: Bearer " : "", token ? token : "",
                 token ? "\r\n" : "");
    /* A refused upload may close early: the answer still counts. */
    if (write_all(fd, head, (size_t)n) == 0 && blen)
        (void)write_all(fd, body, blen);
    out->raw = malloc(cap);
    for (;;) {
        if (len + 1 >= cap && !(out->raw = realloc(out->raw, cap *= 2)))
            break;
        ssize_t r = recv(fd, out->raw + len, cap - len - 1, 0);
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    if (!out->raw)
        return -1;
    out->raw[len] = '\0';
    if (sscanf(out->raw, "HTTP/1.1 %d", &out->status) != 1)
        return -1;
    out->body = strstr(out->raw, "\r\n\r\n");
    out->body = out->body ? out->body + 4 : out->raw + len;
    return 0;
}

static void http_free(http_resp *r)
{
    free(r->raw);
    memset(r, 0, sizeof *r);
}

#endif
