/* auth.c - who may talk to the review server: the Host header (against DNS
 * rebinding), the one-time token traded for a session, the session cookie.
 * Secrets are compared in constant time. */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "review_int.h"
#include "vigil/util.h"

vg_status vgi_random_hex(char *hex, size_t n, vg_error *err)
{
    unsigned char buf[64];
    size_t got = 0;

    if (n > sizeof buf)
        return vg_errorf(err, VG_ERR_INTERNAL, "random secret of %zu bytes", n);
    while (got < n) {
        ssize_t k = getrandom(buf + got, n - got, 0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return vg_errorf(err, VG_ERR_IO, "getrandom: %s", strerror(errno));
        got += (size_t)k;
    }
    vg_hex_encode(buf, n, hex);
    memset(buf, 0, sizeof buf);
    return VG_OK;
}

/* Whether a (length la) equals the NUL-terminated secret b, in time that
 * depends on b's length only. */
static int secret_eq(const char *a, size_t la, const char *b)
{
    size_t lb = strlen(b);
    unsigned diff = la != lb;

    for (size_t i = 0; i < lb; i++)
        diff |= (unsigned)(unsigned char)(i < la ? a[i] : 0) ^ (unsigned char)b[i];
    return diff == 0 && lb > 0;
}

int vgi_host_ok(const vg_review *r, const char *host)
{
    return host && (strcmp(host, r->host_ip) == 0 || strcmp(host, r->host_name) == 0);
}

int vgi_token_trade(vg_review *r, const char *token)
{
    int ok = 0;

    if (!token || strlen(token) > 64)
        return 0;
    pthread_mutex_lock(&r->auth_mu);
    if (!r->token_spent && secret_eq(token, strlen(token), r->token) &&
        vgi_random_hex(r->session, 32, NULL) == VG_OK) {
        r->token_spent = 1;
        ok = 1;
    }
    pthread_mutex_unlock(&r->auth_mu);
    return ok;
}

int vgi_cookie_ok(vg_review *r, const char *h)
{
    static const char name[] = "vigil_session=";
    const char *p = h;
    int ok = 0;

    if (!h || strlen(h) > 8192)
        return 0;
    /* every cookie of that name counts (a stale one may come first) */
    while (!ok && (p = strstr(p, name)) != NULL) {
        if (p == h || p[-1] == ' ' || p[-1] == ';') {
            const char *v = p + sizeof name - 1;
            pthread_mutex_lock(&r->auth_mu);
            ok = secret_eq(v, strcspn(v, "; "), r->session);
            pthread_mutex_unlock(&r->auth_mu);
        }
        p += sizeof name - 1;
    }
    return ok;
}
