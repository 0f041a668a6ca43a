/* match.c - `vigil match`: the records of `vigil hash`, each with the list of
 * hash-set entries the file matches. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "emit.h"
#include "record.h"
#include "vigil/library.h"
#include "walk.h"

static const char match_usage[] =
    "usage: vigil match [OPTIONS] PATH...\n"
    "\n"
    "Hashes every file like 'vigil hash' and looks it up in the hash library:\n"
    "MD5, SHA-1 and SHA-256 exactly, PDQ within a Hamming radius. Each record\n"
    "gets a 'matches' list of {set, kind, distance, category, labels}.\n"
    "\n"
    "options:\n"
    "  --library PATH           the library (default $XDG_DATA_HOME/vigil/library.db)\n"
    "  --sets A,B               only these sets (default: all)\n"
    "  --radius R               PDQ match when distance <= R, 0..256 (default 31)\n"
    "  --dihedral               also match PDQ of the 8 rotations/mirrors of each image\n"
    "  --min-quality Q          no PDQ matching for images of quality below Q (default 50)\n"
    "  --no-cache               build the indexes in memory; do not read or write\n"
    "                           LIBRARY.idx/ beside the library\n"
    "  --format jsonl|csv|text  output format (default jsonl)\n"
    "  --pdq-mode, --p2p, --max-pixels, --max-file-size, --max-seconds: as 'vigil hash'\n"
    "  -h, --help               this help\n"
    "\n"
    "exit status: 0 whatever matched, 1 some files could not be read, 2 usage error,\n"
    "3 the library or its indexes could not be opened or the output not written.\n";

enum { O_LIB = 512, O_SETS, O_RADIUS, O_MINQ, O_NOCACHE };

typedef struct match_run {
    record_opts ro;
    vg_hash_opts ho;
    vg_match_opts mo;
    const char *library;
    char *sets_arg;
    int no_cache;
    vg_library *lib;
    vg_matcher *m;
    vg_match_list ml;
    const vg_file_hashes *cur; /* NULL: the file was not searched */
    unsigned long files, matched, matches, errors;
} match_run;

static int parse_int_range(const char *s, int lo, int hi, int *out)
{
    char *end;
    long v;

    if (!s || !*s)
        return -1;
    v = strtol(s, &end, 10);
    if (*end || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

static int match_opt(int opt, const char *arg, void *ctx)
{
    match_run *r = ctx;

    switch (opt) {
    case O_LIB: r->library = arg; return 0;
    case O_SETS: r->sets_arg = (char *)arg; return 0;
    case O_NOCACHE: r->no_cache = 1; return 0;
    case O_RADIUS:
        if (parse_int_range(arg, 0, 256, &r->mo.radius) == 0)
            return 0;
        fprintf(stderr, "vigil match: --radius takes 0..256, not '%s'\n", arg);
        return -1;
    case O_MINQ:
        if (parse_int_range(arg, 0, 100, &r->mo.min_quality) == 0)
            return 0;
        fprintf(stderr, "vigil match: --min-quality takes 0..100, not '%s'\n", arg);
        return -1;
    }
    return -1;
}

static void json_matches(FILE *f, const match_run *r)
{
    if (!r->cur) {
        fputs(",\"matches\":null", f);
        return;
    }
    if (r->ml.pdq_skipped)
        fputs(",\"pdq_low_quality\":true", f);
    fputs(",\"matches\":[", f);
    for (size_t i = 0; i < r->ml.n; i++) {
        if (i)
            fputc(',', f);
        vg_match_json(f, &r->ml.v[i]);
    }
    fputc(']', f);
}

/* CSV: one field "set:kind:distance:category;..." (empty when no match). */
static void csv_matches(FILE *f, const match_run *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mf;

    fputc(',', f);
    if (!r->cur || !r->ml.n || !(mf = open_memstream(&buf, &len)))
        return;
    for (size_t i = 0; i < r->ml.n; i++) {
        const vg_match *m = &r->ml.v[i];
        fprintf(mf, "%s%s:%s:%d:%s", i ? ";" : "", m->set, vg_match_kind_name(m->kind),
                m->distance, m->category);
    }
    fclose(mf);
    vg_csv_field(f, buf ? buf : "");
    free(buf);
}

static void text_matches(FILE *f, const match_run *r)
{
    if (!r->cur)
        return;
    for (size_t i = 0; i < r->ml.n; i++) {
        const vg_match *m = &r->ml.v[i];
        fprintf(f, "\n  match %s %s", m->set, vg_match_kind_name(m->kind));
        if (m->kind == VG_MATCH_PDQ)
            fprintf(f, " distance %d (%s)", m->distance,
                    vg_pdq_variant_name((vg_pdq_variant)m->variant));
        fprintf(f, " category %s (%s)", m->category, m->category_label);
        for (size_t k = 0; k < m->n_labels; k++)
            fprintf(f, "%s%s", k ? ", " : " labels ", m->labels[k]);
        if (m->name)
            fprintf(f, " name %s", m->name);
        fprintf(f, " entry %" PRIu64, m->entry);
    }
}

static void print_matches(FILE *f, out_format fmt, void *ctx)
{
    switch (fmt) {
    case FMT_JSONL: json_matches(f, ctx); break;
    case FMT_CSV: csv_matches(f, ctx); break;
    case FMT_TEXT: text_matches(f, ctx); break;
    }
}

static int match_one(void *ctx, const char *path, const char *walk_err)
{
    match_run *r = ctx;
    vg_file_hashes h;
    vg_error err;

    r->files++;
    r->cur = NULL;
    if (walk_err) {
        r->errors++;
        record_print(stdout, &r->ro, path, NULL, "open", walk_err, print_matches, r);
        return 0;
    }
    vg_error_clear(&err);
    vg_status st = vg_hash_file(path, &r->ho, &h, &err);
    if (st != VG_OK) {
        r->errors++;
        record_print(stdout, &r->ro, path, NULL, vg_status_name(st), err.msg, print_matches, r);
        return 0;
    }
    if (vg_matcher_match(r->m, &h, &r->mo, &r->ml, &err) != VG_OK) {
        /* A database error mid-run: the file was read, but not searched. */
        r->errors++;
        fprintf(stderr, "vigil match: %s: %s\n", path, err.msg);
    } else {
        r->cur = &h;
        r->matches += r->ml.n;
        r->matched += r->ml.n > 0;
    }
    record_print(stdout, &r->ro, path, &h, NULL, NULL, print_matches, r);
    return 0;
}

/* Splits "A,B" in place into names; returns how many (0 when arg is NULL). */
static size_t split_sets(char *arg, const char **names, size_t max)
{
    size_t n = 0;

    for (char *tok = arg ? strtok(arg, ",") : NULL; tok && n < max; tok = strtok(NULL, ","))
        names[n++] = tok;
    return n;
}

static int open_matcher(match_run *r)
{
    const char *names[256];
    size_t n;
    vg_error err;
    int rc;

    n = split_sets(r->sets_arg, names, sizeof names / sizeof names[0]);
    if (r->sets_arg && (n == 0 || n == sizeof names / sizeof names[0])) {
        fprintf(stderr, "vigil match: --sets takes 1 to %zu set names\n",
                sizeof names / sizeof names[0] - 1);
        return VG_EXIT_USAGE;
    }
    if ((rc = cli_open_library(r->library, 0, &r->lib, "match")) != 0)
        return rc == VG_EXIT_USAGE ? rc : VG_EXIT_FATAL;
    vg_error_clear(&err);
    if (vg_matcher_open(r->lib, names, n, r->no_cache ? VG_MATCHER_NO_CACHE : 0, &r->m, &err) !=
        VG_OK) {
        fprintf(stderr, "vigil match: %s\n", err.msg);
        vg_library_close(r->lib);
        return VG_EXIT_FATAL;
    }
    return VG_EXIT_OK;
}

static int run_match(match_run *r, int argc, char **argv, int first)
{
    unsigned long skipped = 0;
    vg_matcher_stats ms;

    vg_matcher_get_stats(r->m, &ms);
    if (ms.sets == 0)
        fprintf(stderr, "vigil match: the library holds no sets; nothing can match\n");
    record_header(stdout, &r->ro, "matches");
    for (int i = first; i < argc; i++)
        walk_path(argv[i], match_one, r, &skipped);
    fflush(stdout);
    fprintf(stderr, "vigil match: %lu files, %lu matched, %lu matches, %lu errors", r->files,
            r->matched, r->matches, r->errors);
    if (skipped)
        fprintf(stderr, ", %lu links or special files skipped", skipped);
    fputc('\n', stderr);
    if (ferror(stdout)) {
        fprintf(stderr, "vigil match: writing the output failed\n");
        return VG_EXIT_FATAL;
    }
    return r->errors ? VG_EXIT_PARTIAL : VG_EXIT_OK;
}

int cmd_match(int argc, char **argv)
{
    static const struct option extra[] = {
        {"library", required_argument, NULL, O_LIB},   {"sets", required_argument, NULL, O_SETS},
        {"radius", required_argument, NULL, O_RADIUS}, {"min-quality", required_argument, NULL, O_MINQ},
        {"no-cache", no_argument, NULL, O_NOCACHE},    {NULL, 0, NULL, 0}};
    match_run r;
    vg_limits lim;
    int first, rc;

    memset(&r, 0, sizeof r);
    vg_match_opts_init(&r.mo);
    first = hash_parse_common(argc, argv, &r.ro, &r.ho, &lim, extra, match_opt, &r);
    if (first == -2) {
        fputs(match_usage, stdout);
        return VG_EXIT_OK;
    }
    if (first < 0 || first >= argc) {
        if (first >= argc)
            fprintf(stderr, "vigil match: no PATH given\n");
        fputs(match_usage, stderr);
        return VG_EXIT_USAGE;
    }
    r.mo.dihedral = r.ho.dihedral;
    if ((rc = open_matcher(&r)) != VG_EXIT_OK)
        return rc;
    rc = run_match(&r, argc, argv, first);
    vg_match_list_free(&r.ml);
    vg_matcher_free(r.m);
    vg_library_close(r.lib);
    return rc;
}
