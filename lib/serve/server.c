/* server.c - the libmicrohttpd daemon of `vigil serve`: routing, bearer
 * authentication, body limits, the access log and metrics of every answer. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "serve_int.h"
#include "vigil/text.h"
#include "vigil/util.h"

/* One request in progress. */
typedef struct conn {
    int ep;
    int admin;            /* needs an admin token */
    int replied;
    int too_big;
    const vg_token_info *tok; /* &tok_copy once authenticated */
    vg_token_info tok_copy;
    char set[VG_SET_NAME_MAX + 1];
    uint8_t *buf;
    size_t len, cap, limit;
    double t0;
} conn;

void vg_serve_config_init(vg_serve_config *c)
{
    memset(c, 0, sizeof *c);
    vg_serve_limits_init(&c->limits);
    c->default_radius = 31;
    c->threads = 2;
    c->max_connections = 256;
    c->timeout_s = 30;
}

/* Routes method and url; *admin for admin endpoints; the set name of an
 * entries path into set. VGI_EP_OTHER with *status 404 or 405 otherwise. */
static int route(const char *method, const char *url, int *admin, char *set, unsigned *status)
{
    static const struct {
        const char *method, *url;
        int ep;
    } fixed[] = {
        {"GET", "/v1/health", VGI_EP_HEALTH},      {"GET", "/v1/metrics", VGI_EP_METRICS},
        {"GET", "/v1/sets", VGI_EP_SETS},          {"POST", "/v1/lookup/hashes", VGI_EP_HASHES},
        {"POST", "/v1/lookup/image", VGI_EP_IMAGE},
    };
    const char *p, *slash;

    *admin = 0;
    *status = 404;
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (strcmp(url, fixed[i].url) == 0) {
            if (strcmp(method, fixed[i].method) == 0)
                return fixed[i].ep;
            *status = 405;
            return VGI_EP_OTHER;
        }
    if (strncmp(url, "/v1/sets/", 9) != 0)
        return VGI_EP_OTHER;
    p = url + 9;
    slash = strchr(p, '/');
    if (!slash || strcmp(slash, "/entries") != 0 || (size_t)(slash - p) > VG_SET_NAME_MAX)
        return VGI_EP_OTHER;
    memcpy(set, p, (size_t)(slash - p));
    set[slash - p] = '\0';
    if (!vg_set_name_valid(set))
        return VGI_EP_OTHER;
    *admin = 1;
    if (strcmp(method, "POST") == 0)
        return VGI_EP_ADD;
    if (strcmp(method, "DELETE") == 0)
        return VGI_EP_REMOVE;
    *status = 405;
    return VGI_EP_OTHER;
}

static int same_file(const struct stat *a, const struct stat *b)
{
    return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Reads the tokens file again when it changed since the last read. */
static void refresh_tokens(vg_server *s)
{
    struct stat sb;
    vg_token_info *v;
    size_t n;

    if (stat(s->tokens_path, &sb) != 0)
        return;
    pthread_rwlock_rdlock(&s->tok_rw);
    int same = same_file(&sb, &s->tok_stat);
    pthread_rwlock_unlock(&s->tok_rw);
    if (same || vg_token_list(s->tokens_path, &v, &n, NULL) != VG_OK)
        return;
    pthread_rwlock_wrlock(&s->tok_rw);
    free(s->tokens);
    s->tokens = v;
    s->n_tokens = n;
    s->tok_stat = sb;
    pthread_rwlock_unlock(&s->tok_rw);
}

/* Authenticates the bearer token of c, comparing its hash with each stored
 * one in constant time; fills k->tok (a copy: the table may be reloaded). */
static int authenticate(vg_server *s, struct MHD_Connection *c, vg_token_info *tok)
{
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    uint8_t hash[32];
    int found = 0;

    if (!h || strncmp(h, "Bearer ", 7) != 0 || strlen(h + 7) > 256)
        return 0;
    if (vgi_token_hash(h + 7, strlen(h + 7), hash) != VG_OK)
        return 0;
    refresh_tokens(s);
    pthread_rwlock_rdlock(&s->tok_rw);
    for (size_t i = 0; i < s->n_tokens; i++) {
        unsigned diff = 0;
        for (size_t k = 0; k < 32; k++)
            diff |= (unsigned)(hash[k] ^ s->tokens[i].sha256[k]);
        if (!diff) {
            *tok = s->tokens[i];
            found = 1;
        }
    }
    pthread_rwlock_unlock(&s->tok_rw);
    return found;
}

static void log_line(vg_server *s, struct MHD_Connection *c, const char *method, const char *url,
                     const conn *k, const vgi_reply *r, double secs)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char when[32], addr[INET6_ADDRSTRLEN] = "";
    struct timespec ts;
    struct tm tm;
    FILE *f = s->cfg.log;

    if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr,
                  addr, sizeof addr);
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    pthread_mutex_lock(&s->log_mu);
    fprintf(f, "{\"time\":\"%s.%03ldZ\",\"remote\":\"%s\",\"token\":", when,
            ts.tv_nsec / 1000000, addr);
    if (k->tok)
        vg_json_str(f, k->tok->name);
    else
        fputs("null", f);
    fprintf(f, ",\"method\":\"%s\",\"endpoint\":", method);
    vg_json_str(f, k->ep == VGI_EP_OTHER ? url : vgi_ep_name(k->ep));
    if (k->set[0]) {
        fputs(",\"set\":", f);
        vg_json_str(f, k->set);
    }
    fprintf(f, ",\"status\":%u,\"items\":%zu,\"matches\":%zu,\"ms\":%.3f", r->status, r->items,
            r->matches, secs * 1e3);
    if (r->query)
        fprintf(f, ",\"query\":%s", r->query);
    fputs("}\n", f);
    fflush(f);
    pthread_mutex_unlock(&s->log_mu);
}

static enum MHD_Result send_reply(vg_server *s, struct MHD_Connection *c, const char *method,
                                  const char *url, conn *k, vgi_reply *r)
{
    struct MHD_Response *resp;
    enum MHD_Result ret;
    double secs = vg_now() - k->t0;

    if (!r->body)
        vgi_reply_error(r, r->status ? r->status : 500, "internal", "", "no answer");
    k->replied = 1;
    vgi_metrics_record(&s->metrics, k->ep, r->status, secs);
    atomic_fetch_add(&s->metrics.items, r->items);
    atomic_fetch_add(&s->metrics.matches, r->matches);
    if (r->status == 401)
        atomic_fetch_add(&s->metrics.auth_failures, 1);
    if (s->cfg.log)
        log_line(s, c, method, url, k, r, secs);
    free(r->query);
    resp = MHD_create_response_from_buffer(r->len, r->body ? r->body : (void *)"",
                                           r->body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(r->body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->ctype);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (r->status == 401)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
    ret = MHD_queue_response(c, r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result refuse(vg_server *s, struct MHD_Connection *c, const char *method,
                              const char *url, conn *k, unsigned status, const char *code,
                              const char *msg)
{
    vgi_reply r = {0};

    vgi_reply_error(&r, status, code, "", msg);
    return send_reply(s, c, method, url, k, &r);
}

/* The integer query argument name of the image endpoint, def when absent;
 * -2 when present but not within lo..hi. */
static int int_arg(struct MHD_Connection *c, const char *name, int lo, int hi, int def)
{
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
    char *end;
    long x;

    if (!v)
        return def;
    x = strtol(v, &end, 10);
    return (*v && !*end && x >= lo && x <= hi) ? (int)x : -2;
}

static void dispatch(vg_server *s, struct MHD_Connection *c, conn *k, vgi_reply *r)
{
    int radius, dihedral;

    switch (k->ep) {
    case VGI_EP_HEALTH: {
        static const char ok[] = "{\"status\":\"ok\"}\n";
        vgi_reply_json(r, 200, strdup(ok), sizeof ok - 1);
        return;
    }
    case VGI_EP_METRICS: vgi_metrics_text(s, r); return;
    case VGI_EP_SETS: vgi_handle_sets(s, r); return;
    case VGI_EP_HASHES: vgi_handle_hashes(s, (const char *)k->buf, k->len, r); return;
    case VGI_EP_IMAGE:
        radius = int_arg(c, "radius", 0, s->cfg.limits.max_radius, -1);
        dihedral = int_arg(c, "dihedral", 0, 1, 0);
        if (radius == -2 || dihedral == -2)
            vgi_reply_error(r, 400, "arg", radius == -2 ? "radius" : "dihedral",
                            "radius takes 0..max_radius, dihedral 0 or 1");
        else if (!k->len)
            vgi_reply_error(r, 400, "empty", "", "the body must hold the image's bytes");
        else
            vgi_handle_image(s, k->buf, k->len, radius, dihedral, r);
        return;
    case VGI_EP_ADD:
    case VGI_EP_REMOVE:
        vgi_handle_entries(s, k->ep, k->set, (const char *)k->buf, k->len, r);
        return;
    }
}

/* First call of a request: route, authenticate, check the declared length. */
static enum MHD_Result begin(vg_server *s, struct MHD_Connection *c, const char *url,
                             const char *method, conn *k)
{
    unsigned status;
    const char *cl;

    k->t0 = vg_now();
    k->ep = route(method, url, &k->admin, k->set, &status);
    if (k->ep == VGI_EP_OTHER)
        return refuse(s, c, method, url, k, status, status == 404 ? "notfound" : "method",
                      status == 404 ? "no such endpoint" : "method not allowed here");
    if (k->ep == VGI_EP_HEALTH)
        return MHD_YES;
    if (!authenticate(s, c, &k->tok_copy))
        return refuse(s, c, method, url, k, 401, "unauthorized",
                      "a valid bearer token is required");
    k->tok = &k->tok_copy;
    if (k->admin && k->tok->role != VG_ROLE_ADMIN)
        return refuse(s, c, method, url, k, 403, "forbidden", "this needs an admin token");
    k->limit = k->ep == VGI_EP_IMAGE ? s->cfg.limits.max_image : s->cfg.limits.max_body;
    cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl && strtoull(cl, NULL, 10) > k->limit)
        return refuse(s, c, method, url, k, 413, "limit_size", "body too large");
    return MHD_YES;
}

static int append(conn *k, const char *data, size_t n)
{
    if (k->too_big || n > k->limit - k->len) {
        k->too_big = 1;
        free(k->buf);
        k->buf = NULL;
        k->len = k->cap = 0;
        return 0;
    }
    if (k->len + n + 1 > k->cap) {
        size_t cap = k->cap ? k->cap : 4096;
        while (cap < k->len + n + 1)
            cap *= 2;
        if (cap > k->limit + 1)
            cap = k->limit + 1;
        uint8_t *nb = realloc(k->buf, cap);
        if (!nb)
            return -1;
        k->buf = nb;
        k->cap = cap;
    }
    memcpy(k->buf + k->len, data, n);
    k->len += n;
    return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    vg_server *s = cls;
    conn *k = *con_cls;
    vgi_reply r = {0};

    (void)version;
    if (!k) {
        if (!(k = calloc(1, sizeof *k)))
            return MHD_NO;
        *con_cls = k;
        return begin(s, c, url, method, k);
    }
    if (k->replied)
        return MHD_NO;
    if (*upload_size) {
        if (append(k, upload_data, *upload_size) != 0)
            return MHD_NO;
        *upload_size = 0;
        return MHD_YES;
    }
    if (k->too_big)
        return refuse(s, c, method, url, k, 413, "limit_size", "body too large");
    dispatch(s, c, k, &r);
    return send_reply(s, c, method, url, k, &r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    conn *k = *con_cls;

    (void)cls;
    (void)c;
    (void)toe;
    if (k) {
        free(k->buf); /* image bytes live only here, never on disk */
        free(k);
        *con_cls = NULL;
    }
}

static vg_status parse_listen(const char *listen, struct sockaddr_in *sa, vg_error *err)
{
    char host[64];
    const char *colon = strrchr(listen, ':');
    char *end;
    unsigned long port;

    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    if (!colon || (size_t)(colon - listen) >= sizeof host)
        return vg_errorf(err, VG_ERR_ARG, "listen address '%s' is not ADDR:PORT", listen);
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    port = strtoul(colon + 1, &end, 10);
    if (!colon[1] || *end || port > 65535 || inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return vg_errorf(err, VG_ERR_ARG, "listen address '%s' is not IPv4-ADDR:PORT", listen);
    sa->sin_port = htons((uint16_t)port);
    return VG_OK;
}

static vg_status open_data(vg_server *s, const vg_serve_config *c, vg_error *err)
{
    vg_status st;

    if (c->tokens)
        snprintf(s->tokens_path, sizeof s->tokens_path, "%s", c->tokens);
    else if ((st = vg_tokens_path(c->library, s->tokens_path, sizeof s->tokens_path, err)) !=
             VG_OK)
        return st;
    if (stat(s->tokens_path, &s->tok_stat) != 0)
        return vg_errorf(err, VG_ERR_ARG, "%s: no tokens file: add a token with 'vigil token add'",
                         s->tokens_path);
    if ((st = vg_token_list(s->tokens_path, &s->tokens, &s->n_tokens, err)) != VG_OK)
        return st;
    if ((st = vg_library_open(c->library, 0, &s->lib, err)) != VG_OK ||
        (st = vg_library_open(c->library, 0, &s->meta, err)) != VG_OK)
        return st;
    return vg_matcher_open(s->lib, c->sets, c->n_sets, c->matcher_flags, &s->m, err);
}

static vg_status start_daemon(vg_server *s, vg_error *err)
{
    const char *listen = s->cfg.listen ? s->cfg.listen : "127.0.0.1:8080";
    struct sockaddr_in sa;
    const union MHD_DaemonInfo *di;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO;
    struct MHD_OptionItem opts[] = {
        {MHD_OPTION_SOCK_ADDR, 0, &sa},
        {MHD_OPTION_THREAD_POOL_SIZE, s->cfg.threads ? s->cfg.threads : 1, NULL},
        {MHD_OPTION_CONNECTION_LIMIT, s->cfg.max_connections, NULL},
        {MHD_OPTION_CONNECTION_TIMEOUT, s->cfg.timeout_s, NULL},
        {MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)s->cfg.cert_pem},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)s->cfg.key_pem},
        {MHD_OPTION_END, 0, NULL},
    };
    vg_status st = parse_listen(listen, &sa, err);

    if (st != VG_OK)
        return st;
    if (!s->cfg.cert_pem != !s->cfg.key_pem)
        return vg_errorf(err, VG_ERR_ARG, "TLS needs both a certificate and a key");
    if (s->cfg.cert_pem)
        flags |= MHD_USE_TLS;
    else
        opts[4].option = MHD_OPTION_END;
    s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_NOTIFY_COMPLETED,
                            on_completed, s, MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
    if (!s->d)
        return vg_errorf(err, VG_ERR_IO, "cannot listen on %s%s", listen,
                         s->cfg.cert_pem ? " (or the TLS certificate or key is unusable)" : "");
    di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : 0;
    return VG_OK;
}

vg_status vg_server_start(const vg_serve_config *c, vg_server **out, vg_error *err)
{
    vg_server *s;
    vg_status st;

    *out = NULL;
    if (!c->library)
        return vg_errorf(err, VG_ERR_ARG, "no library given");
    if (!(s = calloc(1, sizeof *s)))
        return vg_errorf(err, VG_ERR_NOMEM, "out of memory");
    s->cfg = *c;
    pthread_mutex_init(&s->meta_mu, NULL);
    pthread_mutex_init(&s->log_mu, NULL);
    pthread_rwlock_init(&s->tok_rw, NULL);
    st = open_data(s, c, err);
    if (st == VG_OK)
        st = start_daemon(s, err);
    if (st != VG_OK) {
        vg_server_stop(s);
        return st;
    }
    *out = s;
    return VG_OK;
}

uint16_t vg_server_port(const vg_server *s)
{
    return s->port;
}

void vg_server_stop(vg_server *s)
{
    if (!s)
        return;
    if (s->d)
        MHD_stop_daemon(s->d);
    vg_matcher_free(s->m);
    vg_library_close(s->lib);
    vg_library_close(s->meta);
    free(s->tokens);
    pthread_mutex_destroy(&s->meta_mu);
    pthread_mutex_destroy(&s->log_mu);
    pthread_rwlock_destroy(&s->tok_rw);
    free(s);
}
