/* tokens.c - the bearer tokens of `vigil serve`: random, shown once, stored
 * only as SHA-256 in LIBRARY.tokens. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "serve_int.h"
#include "vigil/digest.h"
#include "vigil/library.h"
#include "vigil/util.h"

#define TOKENS_MAX 10000 /* lines read from a tokens file */

const char *vg_token_role_name(vg_token_role r)
{
    switch (r) {
    case VG_ROLE_LOOKUP: return "lookup";
    case VG_ROLE_ADMIN: return "admin";
    }
    return NULL;
}

int vg_token_role_parse(const char *s, vg_token_role *out)
{
    if (s && strcmp(s, "lookup") == 0)
        *out = VG_ROLE_LOOKUP;
    else if (s && strcmp(s, "admin") == 0)
        *out = VG_ROLE_ADMIN;
    else
        return -1;
    return 0;
}

vg_status vg_tokens_path(const char *library_path, char *buf, size_t len, vg_error *err)
{
    int n = snprintf(buf, len, "%s.tokens", library_path);
    if (n < 0 || (size_t)n >= len)
        return vg_errorf(err, VG_ERR_ARG, "library path too long");
    return VG_OK;
}

vg_status vgi_token_hash(const char *token, size_t len, uint8_t out[32])
{
    vg_digests d;
    vg_status st = vg_digest_buffer(token, len, 0, &d, NULL);
    memcpy(out, d.sha256, 32);
    return st;
}

static vg_status parse_line(char *line, unsigned long lineno, vg_token_info *t, vg_error *err)
{
    char *f[4];
    char *save = NULL;
    size_t n = 0;

    for (char *p = strtok_r(line, "\t\n", &save); p && n < 4; p = strtok_r(NULL, "\t\n", &save))
        f[n++] = p;
    memset(t, 0, sizeof *t);
    if (n != 4 || !vg_set_name_valid(f[0]) || vg_token_role_parse(f[1], &t->role) != 0 ||
        strlen(f[2]) != 64 || vg_hex_decode(f[2], 32, t->sha256) != 0 ||
        strlen(f[3]) >= sizeof t->created)
        return vg_errorf(err, VG_ERR_CORRUPT, "tokens file line %lu is malformed", lineno);
    memcpy(t->name, f[0], strlen(f[0]) + 1);
    memcpy(t->created, f[3], strlen(f[3]) + 1);
    return VG_OK;
}

vg_status vg_token_list(const char *path, vg_token_info **out, size_t *n, vg_error *err)
{
    FILE *f = fopen(path, "r");
    char line[512];
    unsigned long lineno = 0;
    size_t cap = 0;
    vg_status st = VG_OK;

    *out = NULL;
    *n = 0;
    if (!f)
        return errno == ENOENT ? VG_OK
                               : vg_errorf(err, VG_ERR_OPEN, "%s: %s", path, strerror(errno));
    while (st == VG_OK && fgets(line, sizeof line, f)) {
        lineno++;
        if (line[0] == '\n' || line[0] == '#')
            continue;
        if (*n == TOKENS_MAX) {
            st = vg_errorf(err, VG_ERR_LIMIT, "%s: more than %d tokens", path, TOKENS_MAX);
            break;
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            vg_token_info *nv = realloc(*out, cap * sizeof *nv);
            if (!nv) {
                st = vg_errorf(err, VG_ERR_NOMEM, "out of memory");
                break;
            }
            *out = nv;
        }
        st = parse_line(line, lineno, &(*out)[*n], err);
        if (st == VG_OK)
            (*n)++;
        else
            vg_error_prefix(err, path);
    }
    if (st == VG_OK && ferror(f))
        st = vg_errorf(err, VG_ERR_IO, "%s: read error", path);
    fclose(f);
    if (st != VG_OK) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return st;
}

/* Writes v[0..n-1] to path through path.tmp and rename, mode 0600. */
static vg_status write_tokens(const char *path, const vg_token_info *v, size_t n, vg_error *err)
{
    char tmp[8192], hex[65];
    int fd, bad = 0;
    FILE *f;

    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
        return vg_errorf(err, VG_ERR_ARG, "tokens path too long");
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || !(f = fdopen(fd, "w"))) {
        if (fd >= 0)
            close(fd);
        return vg_errorf(err, VG_ERR_OPEN, "%s: %s", tmp, strerror(errno));
    }
    fputs("# vigil serve tokens: name, role, SHA-256 of the token, created\n", f);
    for (size_t i = 0; i < n; i++) {
        vg_hex_encode(v[i].sha256, 32, hex);
        fprintf(f, "%s\t%s\t%s\t%s\n", v[i].name, vg_token_role_name(v[i].role), hex,
                v[i].created);
    }
    bad = fflush(f) != 0 || fsync(fd) != 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        unlink(tmp);
        return vg_errorf(err, VG_ERR_IO, "%s: %s", path, strerror(errno));
    }
    return VG_OK;
}

static vg_status random_bytes(uint8_t *buf, size_t len, vg_error *err)
{
    size_t got = 0;

    while (got < len) {
        ssize_t r = getrandom(buf + got, len - got, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return vg_errorf(err, VG_ERR_IO, "getrandom: %s", strerror(errno));
        got += (size_t)r;
    }
    return VG_OK;
}

static void utc_now(char *buf, size_t len)
{
    time_t t = time(NULL);
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

vg_status vg_token_add(const char *path, const char *name, vg_token_role role,
                       char token[VG_TOKEN_HEX_LEN + 1], vg_error *err)
{
    vg_token_info *v, *nv;
    size_t n;
    uint8_t raw[32];
    vg_status st;

    if (!vg_set_name_valid(name))
        return vg_errorf(err, VG_ERR_ARG, "bad token name '%s' (A-Z a-z 0-9 . _ -, 1..64)",
                         name);
    if (!vg_token_role_name(role))
        return vg_errorf(err, VG_ERR_ARG, "unknown role");
    if ((st = vg_token_list(path, &v, &n, err)) != VG_OK)
        return st;
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].name, name) == 0) {
            free(v);
            return vg_errorf(err, VG_ERR_EXISTS, "a token named '%s' exists", name);
        }
    if (!(nv = realloc(v, (n + 1) * sizeof *nv))) {
        free(v);
        return vg_errorf(err, VG_ERR_NOMEM, "out of memory");
    }
    v = nv;
    memset(&v[n], 0, sizeof v[n]);
    memcpy(v[n].name, name, strlen(name) + 1);
    v[n].role = role;
    utc_now(v[n].created, sizeof v[n].created);
    st = random_bytes(raw, sizeof raw, err);
    if (st == VG_OK) {
        vg_hex_encode(raw, sizeof raw, token);
        st = vgi_token_hash(token, VG_TOKEN_HEX_LEN, v[n].sha256);
    }
    if (st == VG_OK)
        st = write_tokens(path, v, n + 1, err);
    free(v);
    if (st != VG_OK)
        token[0] = '\0';
    return st;
}

vg_status vg_token_remove(const char *path, const char *name, vg_error *err)
{
    vg_token_info *v;
    size_t n, k = 0;
    vg_status st;

    if ((st = vg_token_list(path, &v, &n, err)) != VG_OK)
        return st;
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].name, name) != 0)
            v[k++] = v[i];
    if (k == n)
        st = vg_errorf(err, VG_ERR_NOTFOUND, "no token named '%s'", name);
    else
        st = write_tokens(path, v, k, err);
    free(v);
    return st;
}
