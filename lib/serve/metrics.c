/* metrics.c - counters of the serve API in Prometheus text format. */
#include <stdlib.h>

#include "serve_int.h"

static const unsigned status_codes[VGI_N_STATUS] = {200, 400, 401, 403, 404, 405,
                                                    413, 415, 500, 503, 0};
static const double buckets[VGI_N_BUCKETS] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                              0.05,   0.1,   0.25,   0.5,   1,    5};

const char *vgi_ep_name(int ep)
{
    static const char *const names[VGI_EP_COUNT] = {
        "/v1/health", "/v1/metrics", "/v1/sets", "/v1/lookup/hashes", "/v1/lookup/image",
        "POST /v1/sets/{name}/entries", "DELETE /v1/sets/{name}/entries", "other"};
    return ep >= 0 && ep < VGI_EP_COUNT ? names[ep] : "other";
}

void vgi_metrics_record(vgi_metrics *mx, int ep, unsigned status, double seconds)
{
    size_t si = 0, b = 0;

    while (si < VGI_N_STATUS - 1 && status_codes[si] != status)
        si++; /* the last slot (0) counts every other status */
    while (b < VGI_N_BUCKETS && seconds > buckets[b])
        b++;
    atomic_fetch_add(&mx->requests[ep][si], 1);
    atomic_fetch_add(&mx->latency_bucket[ep][b], 1);
    atomic_fetch_add(&mx->latency_us_sum[ep], (unsigned long)(seconds * 1e6));
}

static void write_latency(FILE *f, vgi_metrics *mx, int ep)
{
    unsigned long cum = 0;

    for (size_t b = 0; b <= VGI_N_BUCKETS; b++) {
        cum += atomic_load(&mx->latency_bucket[ep][b]);
        if (b < VGI_N_BUCKETS)
            fprintf(f, "vigil_request_seconds_bucket{endpoint=\"%s\",le=\"%g\"} %lu\n",
                    vgi_ep_name(ep), buckets[b], cum);
        else
            fprintf(f, "vigil_request_seconds_bucket{endpoint=\"%s\",le=\"+Inf\"} %lu\n",
                    vgi_ep_name(ep), cum);
    }
    fprintf(f, "vigil_request_seconds_sum{endpoint=\"%s\"} %.6f\n", vgi_ep_name(ep),
            (double)atomic_load(&mx->latency_us_sum[ep]) / 1e6);
    fprintf(f, "vigil_request_seconds_count{endpoint=\"%s\"} %lu\n", vgi_ep_name(ep), cum);
}

void vgi_metrics_text(vg_server *s, vgi_reply *r)
{
    vgi_metrics *mx = &s->metrics;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    if (!f) {
        vgi_reply_error(r, 500, "nomem", "", "out of memory");
        return;
    }
    fputs("# HELP vigil_requests_total HTTP requests by endpoint and status.\n"
          "# TYPE vigil_requests_total counter\n", f);
    for (int ep = 0; ep < VGI_EP_COUNT; ep++)
        for (size_t si = 0; si < VGI_N_STATUS; si++) {
            unsigned long v = atomic_load(&mx->requests[ep][si]);
            if (!v)
                continue;
            if (status_codes[si])
                fprintf(f, "vigil_requests_total{endpoint=\"%s\",status=\"%u\"} %lu\n",
                        vgi_ep_name(ep), status_codes[si], v);
            else
                fprintf(f, "vigil_requests_total{endpoint=\"%s\",status=\"other\"} %lu\n",
                        vgi_ep_name(ep), v);
        }
    fputs("# HELP vigil_request_seconds Time from the request's arrival to its answer.\n"
          "# TYPE vigil_request_seconds histogram\n", f);
    for (int ep = 0; ep < VGI_EP_COUNT; ep++)
        write_latency(f, mx, ep);
    fprintf(f, "# HELP vigil_lookup_items_total Hashes and images looked up.\n"
               "# TYPE vigil_lookup_items_total counter\nvigil_lookup_items_total %lu\n"
               "# HELP vigil_matches_total Matches answered.\n"
               "# TYPE vigil_matches_total counter\nvigil_matches_total %lu\n"
               "# HELP vigil_auth_failures_total Requests refused with 401.\n"
               "# TYPE vigil_auth_failures_total counter\nvigil_auth_failures_total %lu\n",
            atomic_load(&mx->items), atomic_load(&mx->matches),
            atomic_load(&mx->auth_failures));
    if (fclose(f) != 0) {
        free(buf);
        vgi_reply_error(r, 500, "nomem", "", "out of memory");
        return;
    }
    r->status = 200;
    r->body = buf;
    r->len = len;
    r->ctype = "text/plain; version=0.0.4";
}
