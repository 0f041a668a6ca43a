/* serve.c - `vigil serve`: the hash library as an authenticated HTTP API
 * until SIGINT or SIGTERM. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "vigil/library.h"
#include "vigil/serve.h"

static const char serve_usage[] =
    "usage: vigil serve [OPTIONS] [--cert FILE --key FILE]\n"
    "\n"
    "Serves the sets of the hash library over HTTP (see docs/api.md): hash and\n"
    "image lookups, set listing, metrics, and live entry changes for admin\n"
    "tokens. Every endpoint but /v1/health needs a bearer token from\n"
    "'vigil token add'. Runs until SIGINT or SIGTERM.\n"
    "\n"
    "options:\n"
    "  --listen ADDR:PORT      IPv4 address and port (default 127.0.0.1:8080;\n"
    "                          port 0: any free port, reported on stderr)\n"
    "  --library PATH          the library (default $XDG_DATA_HOME/vigil/library.db)\n"
    "  --sets A,B              serve only these sets (default: all)\n"
    "  --tokens FILE           tokens file (default LIBRARY.tokens)\n"
    "  --log FILE              access log as JSON lines (default stderr)\n"
    "  --log-queries           also log the hashes looked up (off by default)\n"
    "  --radius R              PDQ radius when a request names none (default 31)\n"
    "  --max-radius R          largest radius a request may ask (default 64)\n"
    "  --max-batch N           items per lookup or entries per change (default 10000)\n"
    "  --max-body BYTES        JSON body limit (default 8388608)\n"
    "  --max-image BYTES       image body limit (default 50000000)\n"
    "  --threads N             worker threads (default 2)\n"
    "  --max-connections N     concurrent connections (default 256)\n"
    "  --timeout S             idle connection timeout in seconds (default 30)\n"
    "  --max-seconds S         time limit of one lookup or image decode (default 10)\n"
    "  --port-file FILE        write the bound port to FILE once listening\n"
    "  --cert FILE, --key FILE TLS (HTTPS) with this PEM certificate chain and key\n"
    "  --no-cache              build indexes in memory; do not use LIBRARY.idx/\n"
    "  -h, --help              this help\n"
    "\n"
    "exit status: 0 after a signal, 2 usage error, 3 the server could not start.\n";

enum {
    O_LISTEN = 512, O_LIB, O_SETS, O_TOKENS, O_LOG, O_LOGQ, O_RADIUS, O_MAXRADIUS, O_BATCH,
    O_BODY, O_IMAGE, O_THREADS, O_CONNS, O_TIMEOUT, O_SECS, O_PORTFILE, O_NOCACHE, O_CERT, O_KEY
};

typedef struct serve_args {
    vg_serve_config cfg;
    char library[4096];
    char *sets_arg;
    const char *log_path, *port_file, *cert_path, *key_path;
    char *cert, *key;
    const char **sets;
} serve_args;

static int num(const char *s, unsigned long long lo, unsigned long long hi,
               unsigned long long *out)
{
    char *end;

    if (!s || !*s || *s == '-')
        return -1;
    *out = strtoull(s, &end, 10);
    return *end || *out < lo || *out > hi ? -1 : 0;
}

static int num_opt(int opt, const char *arg, serve_args *a)
{
    unsigned long long v;
    vg_serve_config *c = &a->cfg;

    switch (opt) {
    case O_RADIUS: if (num(arg, 0, 256, &v) == 0) { c->default_radius = (int)v; return 0; } break;
    case O_MAXRADIUS: if (num(arg, 0, 256, &v) == 0) { c->limits.max_radius = (int)v; return 0; } break;
    case O_BATCH: if (num(arg, 1, 1000000, &v) == 0) { c->limits.max_batch = v; return 0; } break;
    case O_BODY: if (num(arg, 1024, 1ull << 30, &v) == 0) { c->limits.max_body = v; return 0; } break;
    case O_IMAGE: if (num(arg, 1024, 1ull << 31, &v) == 0) { c->limits.max_image = v; return 0; } break;
    case O_THREADS: if (num(arg, 1, 256, &v) == 0) { c->threads = (unsigned)v; return 0; } break;
    case O_CONNS: if (num(arg, 1, 100000, &v) == 0) { c->max_connections = (unsigned)v; return 0; } break;
    case O_TIMEOUT: if (num(arg, 1, 3600, &v) == 0) { c->timeout_s = (unsigned)v; return 0; } break;
    case O_SECS: if (num(arg, 1, 3600, &v) == 0) { c->limits.max_seconds = (double)v; return 0; } break;
    }
    fprintf(stderr, "vigil serve: bad number '%s'\n", arg);
    return -1;
}

static int parse_args(int argc, char **argv, serve_args *a)
{
    static const struct option longs[] = {
        {"listen", required_argument, NULL, O_LISTEN}, {"library", required_argument, NULL, O_LIB},
        {"sets", required_argument, NULL, O_SETS}, {"tokens", required_argument, NULL, O_TOKENS},
        {"log", required_argument, NULL, O_LOG}, {"log-queries", no_argument, NULL, O_LOGQ},
        {"radius", required_argument, NULL, O_RADIUS},
        {"max-radius", required_argument, NULL, O_MAXRADIUS},
        {"max-batch", required_argument, NULL, O_BATCH},
        {"max-body", required_argument, NULL, O_BODY},
        {"max-image", required_argument, NULL, O_IMAGE},
        {"threads", required_argument, NULL, O_THREADS},
        {"max-connections", required_argument, NULL, O_CONNS},
        {"timeout", required_argument, NULL, O_TIMEOUT},
        {"max-seconds", required_argument, NULL, O_SECS},
        {"port-file", required_argument, NULL, O_PORTFILE},
        {"cert", required_argument, NULL, O_CERT}, {"key", required_argument, NULL, O_KEY},
        {"no-cache", no_argument, NULL, O_NOCACHE}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int c;

    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        switch (c) {
        case O_LISTEN: a->cfg.listen = optarg; break;
        case O_LIB: snprintf(a->library, sizeof a->library, "%s", optarg); break;
        case O_SETS: a->sets_arg = optarg; break;
        case O_TOKENS: a->cfg.tokens = optarg; break;
        case O_LOG: a->log_path = optarg; break;
        case O_LOGQ: a->cfg.log_queries = 1; break;
        case O_PORTFILE: a->port_file = optarg; break;
        case O_NOCACHE: a->cfg.matcher_flags |= VG_MATCHER_NO_CACHE; break;
        case O_CERT: a->cert_path = optarg; break;
        case O_KEY: a->key_path = optarg; break;
        case 'h': fputs(serve_usage, stdout); return 1;
        case '?': fputs(serve_usage, stderr); return -1;
        default:
            if (num_opt(c, optarg, a) != 0)
                return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "vigil serve: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    if (a->cfg.default_radius > a->cfg.limits.max_radius) {
        fprintf(stderr, "vigil serve: --radius above --max-radius\n");
        return -1;
    }
    return 0;
}

/* A PEM file of at most 1 MiB as a string; NULL (and a message) on error. */
static char *read_pem(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = malloc((1u << 20) + 1);
    size_t n = 0;

    if (f && buf) {
        n = fread(buf, 1, 1u << 20, f);
        if (ferror(f) || !feof(f) || n == 0) {
            free(buf);
            buf = NULL;
        } else {
            buf[n] = '\0';
        }
    } else {
        free(buf);
        buf = NULL;
    }
    if (f)
        fclose(f);
    if (!buf)
        fprintf(stderr, "vigil serve: cannot read %s (or it is empty or over 1 MiB)\n", path);
    return buf;
}

static int load_tls(serve_args *a)
{
    if (!a->cert_path && !a->key_path)
        return 0;
    if (!a->cert_path || !a->key_path) {
        fprintf(stderr, "vigil serve: --cert and --key go together\n");
        return -1;
    }
    if (!(a->cert = read_pem(a->cert_path)) || !(a->key = read_pem(a->key_path)))
        return -1;
    a->cfg.cert_pem = a->cert;
    a->cfg.key_pem = a->key;
    return 0;
}

/* --sets A,B into a->sets (the strings point into sets_arg). */
static int split_sets(serve_args *a)
{
    size_t n = 0;

    if (!a->sets_arg)
        return 0;
    a->sets = calloc(strlen(a->sets_arg) / 2 + 2, sizeof *a->sets);
    if (!a->sets)
        return -1;
    for (char *save = NULL, *p = strtok_r(a->sets_arg, ",", &save); p;
         p = strtok_r(NULL, ",", &save))
        a->sets[n++] = p;
    a->cfg.sets = a->sets;
    a->cfg.n_sets = n;
    return n ? 0 : -1;
}

static int run(serve_args *a)
{
    vg_server *srv;
    vg_error err;
    sigset_t sigs;
    int sig;

    /* Blocked before the server's threads start, so that they inherit it
     * and the signals come to sigwait here. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    if (vg_server_start(&a->cfg, &srv, &err) != VG_OK) {
        fprintf(stderr, "vigil serve: %s\n", err.msg);
        return VG_EXIT_FATAL;
    }
    fprintf(stderr, "vigil serve: listening on %s, port %u%s\n",
            a->cfg.listen ? a->cfg.listen : "127.0.0.1:8080", vg_server_port(srv),
            a->cfg.cert_pem ? " (TLS)" : "");
    if (a->port_file) {
        FILE *f = fopen(a->port_file, "w");
        if (!f || fprintf(f, "%u\n", vg_server_port(srv)) < 0 || fclose(f) != 0)
            fprintf(stderr, "vigil serve: cannot write %s\n", a->port_file);
    }
    sigwait(&sigs, &sig);
    fprintf(stderr, "vigil serve: stopping on signal %d\n", sig);
    vg_server_stop(srv);
    return VG_EXIT_OK;
}

int cmd_serve(int argc, char **argv)
{
    serve_args a;
    vg_error err;
    int rc;

    memset(&a, 0, sizeof a);
    vg_serve_config_init(&a.cfg);
    if ((rc = parse_args(argc, argv, &a)) != 0)
        return rc > 0 ? VG_EXIT_OK : VG_EXIT_USAGE;
    if (!a.library[0] && vg_library_default_path(a.library, sizeof a.library, &err) != VG_OK) {
        fprintf(stderr, "vigil serve: %s\n", err.msg);
        return VG_EXIT_USAGE;
    }
    a.cfg.library = a.library;
    if (split_sets(&a) != 0) {
        fprintf(stderr, "vigil serve: --sets needs names\n");
        free(a.sets);
        return VG_EXIT_USAGE;
    }
    if (load_tls(&a) != 0) {
        free(a.sets);
        free(a.cert);
        return VG_EXIT_USAGE;
    }
    a.cfg.log = stderr;
    if (a.log_path && !(a.cfg.log = fopen(a.log_path, "a"))) {
        fprintf(stderr, "vigil serve: cannot open %s\n", a.log_path);
        free(a.sets);
        free(a.cert);
        free(a.key);
        return VG_EXIT_FATAL;
    }
    rc = run(&a);
    if (a.cfg.log != stderr)
        fclose(a.cfg.log);
    free(a.sets);
    free(a.cert);
    free(a.key);
    return rc;
}
