/* detect.c - naming a hash-set format from the first bytes of a file.
 *
 * Like TSK's autodetect, it refuses to guess: a first line that fits no rule
 * is VG_ERR_FORMAT, and the user names the format.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "hashset_int.h"

#define PROBE_BYTES 65536

static size_t hex_run(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && vgi_hs_is_hex(s + i, 1))
        i++;
    return i;
}

static int is_bsd(const char *s, size_t n)
{
    static const char *const algos[] = {"MD5 (", "SHA1 (", "SHA256 (", "SHA-1 (", "SHA-256 ("};
    for (size_t a = 0; a < sizeof algos / sizeof algos[0]; a++) {
        size_t k = strlen(algos[a]);
        if (n > k && strncasecmp(s, algos[a], k) == 0) {
            for (size_t i = n; i-- > k;)
                if (s[i] == '=' && i >= 2 && s[i - 1] == ' ' && s[i - 2] == ')')
                    return 1;
        }
    }
    return 0;
}

static int has_pdq_column(const char *s, size_t n)
{
    char buf[1024];
    char *f[64];
    if (n >= sizeof buf)
        n = sizeof buf - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    int k = vgi_hs_csv_split(buf, f, 64);
    for (int i = 0; i < k; i++) {
        const char *p = f[i];
        while (*p == ' ')
            p++;
        if (strcasecmp(p, "pdq") == 0 || strcasecmp(p, "pdq_hash") == 0 ||
            strcasecmp(p, "pdqhash") == 0)
            return 1;
    }
    return 0;
}

/* Decides from the first line that is neither blank nor a '#' comment. */
static vg_status by_first_line(const char *s, size_t n, vg_hs_format *out)
{
    if (n >= 13 && strncmp(s, "%%%% HASHDEEP", 13) == 0)
        return *out = VG_HS_FMT_HASHDEEP, VG_OK;
    if (n >= 13 && strncasecmp(s, "\"SHA-1\",\"MD5\"", 13) == 0)
        return *out = VG_HS_FMT_NSRL_RDS2, VG_OK;
    if (n >= 22 && strncasecmp(s, "\"file_id\",\"hashset_id\"", 22) == 0)
        return *out = VG_HS_FMT_HASHKEEPER, VG_OK;
    if (is_bsd(s, n))
        return *out = VG_HS_FMT_BSD, VG_OK;
    size_t h = hex_run(s, n);
    const char *r = s + h;
    size_t rn = n - h;
    if (h == 64 && rn > 0 && (r[0] == ',' || ((r[0] == ' ' || r[0] == '\t') && rn > 1 &&
                                              isdigit((unsigned char)r[1]))))
        return *out = VG_HS_FMT_PDQ, VG_OK;
    if ((h == 32 || h == 40 || h == 64) && rn == 0)
        return *out = VG_HS_FMT_PLAIN, VG_OK;
    if ((h == 32 || h == 40 || h == 64) && rn >= 2 && r[0] == ' ' && (r[1] == ' ' || r[1] == '*')) {
        *out = h == 32 ? VG_HS_FMT_MD5SUM : h == 40 ? VG_HS_FMT_SHA1SUM : VG_HS_FMT_SHA256SUM;
        return VG_OK;
    }
    if (has_pdq_column(s, n))
        return *out = VG_HS_FMT_PDQ, VG_OK;
    return VG_ERR_FORMAT;
}

static vg_status detect_buf(const char *s, size_t n, const char *name, vg_hs_format *out,
                            vg_error *err)
{
    if (n >= 16 && memcmp(s, "SQLite format 3", 16) == 0)
        return *out = VG_HS_FMT_NSRL_RDS3, VG_OK;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3, n -= 3;
    size_t i = 0;
    while (i < n && isspace((unsigned char)s[i]))
        i++;
    if (i < n && (s[i] == '{' || s[i] == '['))
        return *out = VG_HS_FMT_VICS, VG_OK;
    while (i < n) {
        size_t e = i;
        while (e < n && s[e] != '\n')
            e++;
        size_t len = e - i;
        if (len && s[i + len - 1] == '\r')
            len--;
        size_t j = i;
        while (j < i + len && isspace((unsigned char)s[j]))
            j++;
        if (j < i + len && s[j] != '#') {
            if (len >= 12 && strncasecmp(s + i, "\"hashset_id\"", 12) == 0)
                return vg_errorf(err, VG_ERR_FORMAT,
                                 "%s: a HashKeeper .hke set table holds no hashes; import the .hsh",
                                 name);
            if (by_first_line(s + i, len, out) == VG_OK)
                return VG_OK;
            return vg_errorf(err, VG_ERR_FORMAT,
                             "%s: not a hash-set format vigil recognises; name it with --format",
                             name);
        }
        i = e + 1;
    }
    return vg_errorf(err, VG_ERR_EMPTY, "%s: no data lines", name);
}

vg_status vg_hs_detect_mem(const void *buf, size_t len, vg_hs_format *out, vg_error *err)
{
    return detect_buf(buf, len < PROBE_BYTES ? len : PROBE_BYTES, "input", out, err);
}

vg_status vgi_hs_detect_file(FILE *f, const char *name, vg_hs_format *out, vg_error *err)
{
    static const size_t cap = PROBE_BYTES;
    char buf[PROBE_BYTES];
    size_t n = fread(buf, 1, cap, f);
    if (ferror(f))
        return vg_errorf(err, VG_ERR_IO, "%s: read error", name);
    rewind(f);
    return detect_buf(buf, n, name, out, err);
}

vg_status vg_hs_detect(const char *path, vg_hs_format *out, vg_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return vg_errorf(err, VG_ERR_OPEN, "%s: cannot open", path);
    const char *base = strrchr(path, '/');
    vg_status st = vgi_hs_detect_file(f, base ? base + 1 : path, out, err);
    fclose(f);
    return st;
}
