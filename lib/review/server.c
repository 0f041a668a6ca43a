/* server.c - the libmicrohttpd daemon of `vigil review`: Host and session
 * checks before anything else, routing, body limits, the headers every
 * answer carries. Nothing is logged: paths and previews are evidence. */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "review_int.h"

#define ARGS_MAX 32

enum { EP_NONE, EP_INDEX, EP_ASSET, EP_CASE, EP_ITEMS, EP_ITEM, EP_THUMB, EP_CAT_ITEM,
       EP_CAT_CLUSTER };

/* One request in progress. */
typedef struct conn {
    int ep;
    int64_t id;
    int replied, too_big;
    const vgi_asset *asset;
    char *buf;
    size_t len;
} conn;

static const char forbidden_html[] =
    "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>vigil review</title>"
    "</head><body><h1>Not signed in</h1><p>Open the link that <code>vigil review</code> printed"
    " when it started. It works once: for a new one, stop vigil review and start it again.</p>"
    "</body></html>\n";

/* A positive decimal id of at most 18 digits ending at NUL or '/'; -1 else. */
static int64_t parse_id(const char *p, const char **rest)
{
    int64_t v = 0;
    int n = 0;

    while (n < 19 && p[n] >= '0' && p[n] <= '9') {
        v = v * 10 + (p[n] - '0');
        n++;
    }
    if (n == 0 || n > 18 || v <= 0 || (p[n] && p[n] != '/'))
        return -1;
    *rest = p + n;
    return v;
}

/* The endpoint of url and the method it takes; EP_NONE when there is none. */
static int route(const char *url, int64_t *id, const char **method)
{
    const char *rest = "";

    *method = "GET";
    if (strcmp(url, "/") == 0)
        return EP_INDEX;
    if (strcmp(url, "/api/case") == 0)
        return EP_CASE;
    if (strcmp(url, "/api/items") == 0)
        return EP_ITEMS;
    if (strncmp(url, "/api/items/", 11) == 0 && (*id = parse_id(url + 11, &rest)) > 0) {
        if (!*rest)
            return EP_ITEM;
        *method = "POST";
        return strcmp(rest, "/category") == 0 ? EP_CAT_ITEM : EP_NONE;
    }
    if (strncmp(url, "/api/clusters/", 14) == 0 && (*id = parse_id(url + 14, &rest)) > 0) {
        *method = "POST";
        return strcmp(rest, "/category") == 0 ? EP_CAT_CLUSTER : EP_NONE;
    }
    if (strncmp(url, "/api/thumb/", 11) == 0 && (*id = parse_id(url + 11, &rest)) > 0 && !*rest)
        return EP_THUMB;
    if (strncmp(url, "/api/", 5) != 0 && !strchr(url + 1, '/') && vgi_asset_find(url + 1))
        return EP_ASSET;
    return EP_NONE;
}

static enum MHD_Result send_reply(struct MHD_Connection *c, conn *k, vgi_reply *r)
{
    struct MHD_Response *resp;
    enum MHD_Result ret;

    if (!r->status || (!r->body && !r->static_body))
        vgi_rv_error(r, r->status ? r->status : 500, "no answer");
    k->replied = 1;
    if (r->body)
        resp = MHD_create_response_from_buffer(r->len, r->body, MHD_RESPMEM_MUST_FREE);
    else
        resp = MHD_create_response_from_buffer(r->len, (void *)(r->static_body ? r->static_body : ""),
                                               MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(r->body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->ctype ? r->ctype : "text/plain");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self'; style-src 'self'; "
                            "script-src 'self'; frame-ancestors 'none'");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    if (r->location)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, r->location);
    if (r->cookie[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, r->cookie);
    ret = MHD_queue_response(c, r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* 403: JSON under /api/, a page saying what to do elsewhere. */
static enum MHD_Result forbid(struct MHD_Connection *c, conn *k, const char *url, const char *why)
{
    vgi_reply r = {0};

    if (strncmp(url, "/api/", 5) == 0) {
        vgi_rv_error(&r, 403, "%s", why);
    } else {
        r.status = 403;
        r.static_body = forbidden_html;
        r.len = sizeof forbidden_html - 1;
        r.ctype = "text/html; charset=utf-8";
    }
    return send_reply(c, k, &r);
}

static enum MHD_Result fail(struct MHD_Connection *c, conn *k, unsigned status, const char *msg)
{
    vgi_reply r = {0};

    vgi_rv_error(&r, status, "%s", msg);
    return send_reply(c, k, &r);
}

/* GET / with ?token=: trades the token for the session cookie. */
static enum MHD_Result token_exchange(vg_review *s, struct MHD_Connection *c, conn *k,
                                      const char *token)
{
    vgi_reply r = {0};

    if (!vgi_token_trade(s, token))
        return forbid(c, k, "/", "token not valid or already used");
    r.status = 303;
    r.location = "/";
    r.static_body = "";
    r.ctype = "text/plain";
    pthread_mutex_lock(&s->auth_mu);
    snprintf(r.cookie, sizeof r.cookie, "vigil_session=%s; HttpOnly; SameSite=Strict; Path=/",
             s->session);
    pthread_mutex_unlock(&s->auth_mu);
    return send_reply(c, k, &r);
}

typedef struct args {
    const char *keys[ARGS_MAX], *vals[ARGS_MAX];
    size_t n;
    int overflow;
} args;

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    args *a = cls;

    (void)kind;
    if (a->n == ARGS_MAX) {
        a->overflow = 1;
        return MHD_NO;
    }
    a->keys[a->n] = key;
    a->vals[a->n++] = value;
    return MHD_YES;
}

static void get_thumb(vg_review *s, struct MHD_Connection *c, conn *k, vgi_reply *r)
{
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "reveal");

    if (v && strcmp(v, "1") != 0 && strcmp(v, "0") != 0 && *v)
        vgi_rv_error(r, 400, "reveal takes 1 or 0");
    else
        vgi_api_thumb(s, k->id, v && strcmp(v, "1") == 0, r);
}

static void dispatch(vg_review *s, struct MHD_Connection *c, conn *k, vgi_reply *r)
{
    args q = {0};

    switch (k->ep) {
    case EP_INDEX:
    case EP_ASSET:
        if (!k->asset) {
            vgi_rv_error(r, 404, "no index.html in this build");
            return;
        }
        r->status = 200;
        r->static_body = k->asset->data;
        r->len = k->asset->len;
        r->ctype = k->asset->type;
        return;
    case EP_CASE: vgi_api_case(s, r); return;
    case EP_ITEMS:
        MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, &q);
        if (q.overflow)
            vgi_rv_error(r, 400, "more than %d query parameters", ARGS_MAX);
        else
            vgi_api_items(s, q.keys, q.vals, q.n, r);
        return;
    case EP_ITEM: vgi_api_item(s, k->id, r); return;
    case EP_THUMB: get_thumb(s, c, k, r); return;
    case EP_CAT_ITEM:
    case EP_CAT_CLUSTER:
        vgi_api_categorise(s, k->ep == EP_CAT_CLUSTER, k->id, k->buf ? k->buf : "", k->len, r);
        return;
    }
}

static int json_type(struct MHD_Connection *c)
{
    const char *t = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    size_t n = sizeof "application/json" - 1;

    return t && strncasecmp(t, "application/json", n) == 0 &&
           (t[n] == '\0' || t[n] == ';' || t[n] == ' ');
}

/* First call of a request: Host, route, session, body limits. */
static enum MHD_Result begin(vg_review *s, struct MHD_Connection *c, const char *url,
                             const char *method, conn *k)
{
    const char *want, *token, *cl;

    if (!vgi_host_ok(s, MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST)))
        return forbid(c, k, url, "Host must be 127.0.0.1 or localhost with this port");
    k->ep = route(url, &k->id, &want);
    if (k->ep == EP_INDEX || k->ep == EP_ASSET)
        k->asset = vgi_asset_find(k->ep == EP_INDEX ? "index.html" : url + 1);
    if (k->ep == EP_INDEX && strcmp(method, "GET") == 0 &&
        (token = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "token")) != NULL)
        return token_exchange(s, c, k, token);
    if (!vgi_cookie_ok(s, MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_COOKIE)))
        return forbid(c, k, url, "no session: open the link vigil review printed");
    if (k->ep == EP_NONE)
        return fail(c, k, 404, "no such page");
    if (strcmp(method, want) != 0)
        return fail(c, k, 405, "method not allowed here");
    if (k->ep != EP_CAT_ITEM && k->ep != EP_CAT_CLUSTER)
        return MHD_YES;
    if (!json_type(c))
        return fail(c, k, 415, "the body must be application/json");
    cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl && (strlen(cl) > 12 || strtoull(cl, NULL, 10) > VG_REVIEW_BODY_MAX))
        return fail(c, k, 413, "body larger than 64 KiB");
    return MHD_YES;
}

static int append(conn *k, const char *data, size_t n)
{
    if (k->too_big || n > VG_REVIEW_BODY_MAX - k->len) {
        k->too_big = 1;
        return 0;
    }
    if (!k->buf && !(k->buf = malloc(VG_REVIEW_BODY_MAX + 1)))
        return -1;
    memcpy(k->buf + k->len, data, n);
    k->len += n;
    k->buf[k->len] = '\0';
    return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    vg_review *s = cls;
    conn *k = *con_cls;
    vgi_reply r = {0};

    (void)version;
    if (!k) {
        if (!(k = calloc(1, sizeof *k)))
            return MHD_NO;
        *con_cls = k;
        enum MHD_Result ret = begin(s, c, url, method, k);
        if (k->replied || ret != MHD_YES || k->ep == EP_CAT_ITEM || k->ep == EP_CAT_CLUSTER)
            return ret;
        /* a GET: answered at once (no body to wait for) */
    } else {
        if (k->replied)
            return MHD_NO;
        if (*upload_size) {
            if (append(k, upload_data, *upload_size) != 0)
                return MHD_NO;
            *upload_size = 0;
            return MHD_YES;
        }
        if (k->too_big)
            return fail(c, k, 413, "body larger than 64 KiB");
    }
    dispatch(s, c, k, &r);
    return send_reply(c, k, &r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    conn *k = *con_cls;

    (void)cls;
    (void)c;
    (void)toe;
    if (k) {
        free(k->buf);
        free(k);
        *con_cls = NULL;
    }
}

/* Binds 127.0.0.1:port itself, so the port (and the Host values it makes)
 * are settled before the first request can arrive. */
static vg_status listen_socket(uint16_t port, int *fd, uint16_t *bound, vg_error *err)
{
    struct sockaddr_in sa;
    socklen_t sl = sizeof sa;
    int one = 1;

    *fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (*fd < 0)
        return vg_errorf(err, VG_ERR_IO, "socket: %s", strerror(errno));
    setsockopt(*fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(*fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(*fd, 64) != 0 ||
        getsockname(*fd, (struct sockaddr *)&sa, &sl) != 0) {
        vg_status st = vg_errorf(err, VG_ERR_IO, "cannot listen on 127.0.0.1:%u: %s",
                                 (unsigned)port, strerror(errno));
        close(*fd);
        *fd = -1;
        return st;
    }
    *bound = ntohs(sa.sin_port);
    return VG_OK;
}

static vg_status start_daemon(vg_review *s, uint16_t port, unsigned threads, vg_error *err)
{
    int fd;
    vg_status st = listen_socket(port, &fd, &s->port, err);

    if (st != VG_OK)
        return st;
    snprintf(s->host_ip, sizeof s->host_ip, "127.0.0.1:%u", (unsigned)s->port);
    snprintf(s->host_name, sizeof s->host_name, "localhost:%u", (unsigned)s->port);
    snprintf(s->url, sizeof s->url, "http://127.0.0.1:%u/?token=%s", (unsigned)s->port, s->token);
    s->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO, 0, NULL, NULL,
                            on_request, s, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                            MHD_OPTION_LISTEN_SOCKET, fd,
                            MHD_OPTION_THREAD_POOL_SIZE, threads ? threads : 2u,
                            MHD_OPTION_CONNECTION_LIMIT, 64u,
                            MHD_OPTION_CONNECTION_TIMEOUT, 30u,
                            MHD_OPTION_END);
    if (!s->d) {
        close(fd);
        return vg_errorf(err, VG_ERR_IO, "cannot serve on 127.0.0.1:%u", (unsigned)s->port);
    }
    return VG_OK;
}

static vg_status setup(vg_review *s, const vg_review_opts *o, vg_error *err)
{
    const char *user = getenv("USER");
    char *name = NULL;
    vg_status st;

    snprintf(s->case_path, sizeof s->case_path, "%s", o->case_path ? o->case_path : "");
    snprintf(s->examiner, sizeof s->examiner, "%s",
             o->examiner && *o->examiner ? o->examiner : user && *user ? user : "examiner");
    s->reveal_default = o->reveal_default;
    if ((st = vg_review_scheme_settle(o->store, o->scheme, &name, err)) != VG_OK)
        return st;
    st = vgi_scheme_load(o->scheme ? o->scheme : name, &s->scheme, err);
    free(name);
    if (st != VG_OK)
        return st;
    s->order.codes = s->scheme.codes;
    s->order.n = s->scheme.n;
    return vgi_random_hex(s->token, 16, err);
}

vg_status vg_review_start(const vg_review_opts *o, vg_review **out, vg_error *err)
{
    vg_review *s;
    vg_status st;

    *out = NULL;
    if (!o->store)
        return vg_errorf(err, VG_ERR_ARG, "no case given");
    if (!(s = calloc(1, sizeof *s)))
        return vg_errorf(err, VG_ERR_NOMEM, "out of memory");
    s->store = o->store;
    pthread_mutex_init(&s->store_mu, NULL);
    pthread_mutex_init(&s->auth_mu, NULL);
    st = setup(s, o, err);
    if (st == VG_OK)
        st = start_daemon(s, o->port, o->threads, err);
    if (st != VG_OK) {
        vg_review_stop(s);
        return st;
    }
    *out = s;
    return VG_OK;
}

const char *vg_review_url(const vg_review *r)
{
    return r->url;
}

uint16_t vg_review_port(const vg_review *r)
{
    return r->port;
}

const char *vg_review_scheme(const vg_review *r)
{
    return r->scheme.name;
}

void vg_review_stop(vg_review *s)
{
    if (!s)
        return;
    if (s->d)
        MHD_stop_daemon(s->d);
    pthread_mutex_destroy(&s->store_mu);
    pthread_mutex_destroy(&s->auth_mu);
    memset(s->token, 0, sizeof s->token);
    memset(s->session, 0, sizeof s->session);
    free(s);
}
