/* query_filter.c - the review listing's filter from URL query parameters:
 * every value checked and bounded before it is bound into SQL. */
#include <stdio.h>
#include <string.h>

#include "vigil/store_query.h"

static const char *const section_names[] = {"new", "cluster", "known", "other", "grid", "all"};

const char *vg_section_name(int section)
{
    if (section < 0 || section > VG_SEC_ALL)
        return "?";
    return section_names[section];
}

void vg_item_filter_init(vg_item_filter *f)
{
    memset(f, 0, sizeof *f);
    f->section = VG_SEC_GRID;
    f->limit = VG_FILTER_LIMIT_DEFAULT;
}

/* Decimal digits only (no sign, no space), at most max; -1 otherwise. */
static int parse_uint(const char *v, uint64_t max, uint64_t *out)
{
    uint64_t x = 0;

    if (!*v || strlen(v) > 20)
        return -1;
    for (const char *p = v; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        unsigned d = (unsigned)(*p - '0');
        if (x > (max - d) / 10)
            return -1;
        x = x * 10 + d;
    }
    *out = x;
    return 0;
}

/* Index of v in the NULL-terminated names; -1 when absent. */
static int one_of(const char *v, const char *const *names)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(v, names[i]) == 0)
            return i;
    return -1;
}

static vg_status text(char *dst, size_t cap, const char *key, const char *v, vg_error *err)
{
    size_t n = strlen(v);

    if (n >= cap)
        return vg_errorf(err, VG_ERR_ARG, "%s: longer than %zu bytes", key, cap - 1);
    memcpy(dst, v, n + 1);
    return VG_OK;
}

static int type_ok(const char *v)
{
    for (const char *p = v; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
            return 0;
    return 1;
}

static vg_status set_number(vg_item_filter *f, const char *key, const char *v, vg_error *err)
{
    uint64_t x;

    if (strcmp(key, "offset") == 0) {
        if (parse_uint(v, VG_FILTER_OFFSET_MAX, &x) != 0)
            return vg_errorf(err, VG_ERR_ARG, "offset: not an integer 0..%llu",
                             (unsigned long long)VG_FILTER_OFFSET_MAX);
        f->offset = x;
    } else if (strcmp(key, "limit") == 0) {
        if (parse_uint(v, VG_FILTER_LIMIT_MAX, &x) != 0 || x == 0)
            return vg_errorf(err, VG_ERR_ARG, "limit: not an integer 1..%d", VG_FILTER_LIMIT_MAX);
        f->limit = (unsigned)x;
    } else if (strcmp(key, "cluster") == 0) {
        if (parse_uint(v, INT64_MAX, &x) != 0 || x == 0)
            return vg_errorf(err, VG_ERR_ARG, "cluster: not a cluster number");
        f->cluster = x;
    } else {
        if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0 && *v)
            return vg_errorf(err, VG_ERR_ARG, "errors: takes 1 or 0");
        f->errors = strcmp(v, "1") == 0;
    }
    return VG_OK;
}

static vg_status set_choice(vg_item_filter *f, const char *key, const char *v, vg_error *err)
{
    static const char *const sections[] = {"new", "cluster", "known", "other", "", "all", NULL};
    static const char *const stegs[] = {"", "clean", "suspicious", "payload", NULL};
    static const char *const flags[] = {"", "deleted", "carved", NULL};
    int i;

    if (strcmp(key, "section") == 0) {
        if ((i = one_of(v, sections)) < 0)
            return vg_errorf(err, VG_ERR_ARG, "section: not new, cluster, known, other or all");
        f->section = i;
    } else if (strcmp(key, "steg") == 0) {
        if (one_of(v, stegs) < 0)
            return vg_errorf(err, VG_ERR_ARG, "steg: not clean, suspicious or payload");
        snprintf(f->steg, sizeof f->steg, "%s", v);
    } else {
        if ((i = one_of(v, flags)) < 0)
            return vg_errorf(err, VG_ERR_ARG, "flag: not deleted or carved");
        f->flag = i;
    }
    return VG_OK;
}

vg_status vg_item_filter_set(vg_item_filter *f, const char *key, const char *value,
                             vg_error *err)
{
    static const char *const numbers[] = {"offset", "limit", "cluster", "errors", NULL};
    static const char *const choices[] = {"section", "steg", "flag", NULL};
    const char *v = value ? value : "";

    if (!key)
        return vg_errorf(err, VG_ERR_ARG, "a parameter without a name");
    if (one_of(key, numbers) >= 0)
        return set_number(f, key, v, err);
    if (one_of(key, choices) >= 0)
        return set_choice(f, key, v, err);
    if (strcmp(key, "set") == 0)
        return text(f->set, sizeof f->set, key, v, err);
    if (strcmp(key, "match_category") == 0)
        return text(f->match_category, sizeof f->match_category, key, v, err);
    if (strcmp(key, "category") == 0)
        return text(f->category, sizeof f->category, key, v, err);
    if (strcmp(key, "q") == 0)
        return text(f->q, sizeof f->q, key, v, err);
    if (strcmp(key, "type") == 0) {
        if (!type_ok(v))
            return vg_errorf(err, VG_ERR_ARG, "type: not a file type");
        return text(f->type, sizeof f->type, key, v, err);
    }
    return vg_errorf(err, VG_ERR_ARG, "unknown parameter \"%.40s\"", key);
}
