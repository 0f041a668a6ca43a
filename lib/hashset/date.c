/* date.c - the date styles VICS exporters write, normalised to ISO 8601 UTC.
 *
 * Seen in real exports: ISO 8601 with or without fraction, 'Z' or offset,
 * the "...000+01:00Z" hybrid (the offset wins), .NET "/Date(ms[+hhmm])/", and
 * US "M/D/YYYY h:mm:ss AM". Times without a zone are taken as UTC.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hashset_int.h"

static int digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -1;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

/* Up to max digits (at least one). */
static int some_digits(const char **p, int max, int *out)
{
    int n = 0;
    while (n < max && isdigit((unsigned char)(*p)[n]))
        n++;
    return n ? digits(p, n, out) : -1;
}

static int valid(const struct tm *t)
{
    return t->tm_year >= 0 && t->tm_year < 8100 && t->tm_mon >= 0 && t->tm_mon < 12 &&
           t->tm_mday >= 1 && t->tm_mday <= 31 && t->tm_hour >= 0 && t->tm_hour < 24 &&
           t->tm_min >= 0 && t->tm_min < 60 && t->tm_sec >= 0 && t->tm_sec <= 60;
}

/* "+hh:mm", "+hhmm", "Z", "" -> seconds east of UTC; -1 on junk at p. */
static int zone(const char *p, long *off)
{
    int h = 0, m = 0;
    *off = 0;
    if (*p == 'Z' || *p == 'z')
        return p[1] == '\0' ? 0 : -1;
    if (*p == '\0')
        return 0;
    if (*p != '+' && *p != '-')
        return -1;
    int sign = *p == '-' ? -1 : 1;
    p++;
    if (digits(&p, 2, &h) != 0)
        return -1;
    if (*p == ':')
        p++;
    if (*p && digits(&p, 2, &m) != 0)
        return -1;
    if (*p == 'Z' || *p == 'z') /* the "+01:00Z" exporter */
        p++;
    *off = sign * (h * 3600L + m * 60L);
    return *p == '\0' && h < 24 && m < 60 ? 0 : -1;
}

static int iso(const char *p, struct tm *t, long *off)
{
    if (digits(&p, 4, &t->tm_year) || *p++ != '-' || digits(&p, 2, &t->tm_mon) || *p++ != '-' ||
        digits(&p, 2, &t->tm_mday))
        return -1;
    t->tm_year -= 1900;
    t->tm_mon -= 1;
    if (*p == '\0')
        return 0;
    if ((*p != 'T' && *p != ' ') || (p++, digits(&p, 2, &t->tm_hour)) || *p++ != ':' ||
        digits(&p, 2, &t->tm_min))
        return -1;
    if (*p == ':' && (p++, digits(&p, 2, &t->tm_sec)))
        return -1;
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p))
            p++;
    }
    return zone(p, off);
}

static int us_style(const char *p, struct tm *t)
{
    int pm = 0;
    if (some_digits(&p, 2, &t->tm_mon) || *p++ != '/' || some_digits(&p, 2, &t->tm_mday) ||
        *p++ != '/' || digits(&p, 4, &t->tm_year))
        return -1;
    t->tm_year -= 1900;
    t->tm_mon -= 1;
    if (*p == '\0')
        return 0;
    if (*p++ != ' ' || some_digits(&p, 2, &t->tm_hour) || *p++ != ':' || digits(&p, 2, &t->tm_min))
        return -1;
    if (*p == ':' && (p++, digits(&p, 2, &t->tm_sec)))
        return -1;
    if (*p == ' ') {
        p++;
        if (strcmp(p, "PM") == 0 || strcmp(p, "pm") == 0)
            pm = 1;
        else if (strcmp(p, "AM") != 0 && strcmp(p, "am") != 0)
            return -1;
        if (t->tm_hour < 1 || t->tm_hour > 12)
            return -1;
        t->tm_hour = t->tm_hour % 12 + (pm ? 12 : 0);
        p += 2;
    }
    return *p == '\0' ? 0 : -1;
}

static int dotnet(const char *p, time_t *out)
{
    char *end;
    if (strncmp(p, "/Date(", 6) != 0)
        return -1;
    long long ms = strtoll(p + 6, &end, 10);
    if (end == p + 6 || ms < -62135596800000LL || ms > 253402300799000LL)
        return -1;
    if (*end == '+' || *end == '-') /* the offset is informational: ms is UTC */
        for (end++; isdigit((unsigned char)*end); end++)
            ;
    if (strcmp(end, ")/") != 0)
        return -1;
    *out = (time_t)(ms / 1000 - (ms % 1000 < 0));
    return 0;
}

int vgi_hs_date_iso(const char *in, char *out, size_t outsz)
{
    struct tm t;
    long off = 0;
    time_t when;
    memset(&t, 0, sizeof t);
    if (dotnet(in, &when) != 0) {
        int ok = strchr(in, '/') ? us_style(in, &t) : iso(in, &t, &off);
        if (ok != 0 || !valid(&t))
            return -1;
        when = timegm(&t) - off;
    }
    if (!gmtime_r(&when, &t) || t.tm_year + 1900 > 9999 || t.tm_year + 1900 < 0)
        return -1;
    snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02dZ", t.tm_year + 1900, t.tm_mon + 1,
             t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec);
    return 0;
}
