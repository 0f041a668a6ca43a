/* link.c - `vigil link CASE OTHER...`: items of CASE already seen in earlier
 * cases, by SHA-1 (the same file) or PDQ (the same picture, re-encoded,
 * resized or mirrored within the radius). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "emit.h"
#include "vigil/index.h"
#include "vigil/store.h"

static const char link_usage[] =
    "usage: vigil link [--radius R] CASE OTHER_CASE...\n"
    "\n"
    "Lists, as JSON lines, the items of CASE that earlier cases hold too: the same\n"
    "file (kind sha1) or the same picture (kind pdq, Hamming distance <= R,\n"
    "default 31, both hashes of quality >= 50). Keys: path, kind, distance,\n"
    "other_case, other_path.\n";

/* What is kept of the other case: its items' paths, by position. */
typedef struct other {
    const char *case_path;
    char **paths;
    size_t n, cap;
    vg_exact_index *sha1;
    vg_pdq_index *pdq;
    vg_status st;
    vg_error err;
} other;

static int load_item(const vg_item_rec *r, void *ctx)
{
    other *o = ctx;
    if (!r->have_digests && !r->have_pdq)
        return 0;
    if (o->n == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 1024;
        char **np = realloc(o->paths, o->cap * sizeof *np);
        if (!np) {
            o->st = vg_errorf(&o->err, VG_ERR_NOMEM, "no memory for %s", o->case_path);
            return 1;
        }
        o->paths = np;
    }
    o->paths[o->n] = strdup(r->path ? r->path : "");
    if (r->have_digests)
        o->st = vg_exact_index_add(o->sha1, VG_DIGEST_SHA1, r->digests.sha1, o->n, &o->err);
    if (o->st == VG_OK && r->have_pdq && r->pdq_quality >= VG_PDQ_DEFAULT_MIN_QUALITY)
        o->st = vg_pdq_index_add(o->pdq, &r->pdq, o->n, &o->err);
    o->n++;
    return o->st != VG_OK;
}

typedef struct linker {
    other *others;
    int n_others, radius;
    uint64_t links;
    vg_pdq_results res;
} linker;

static void print_link(const char *path, const char *kind, int dist, const other *o, size_t at)
{
    fputs("{\"path\":", stdout);
    vg_json_str(stdout, path);
    printf(",\"kind\":\"%s\",\"distance\":%d,\"other_case\":", kind, dist);
    vg_json_str(stdout, o->case_path);
    fputs(",\"other_path\":", stdout);
    vg_json_str(stdout, o->paths[at]);
    fputs("}\n", stdout);
}

static int link_item(const vg_item_rec *r, void *ctx)
{
    linker *l = ctx;
    vg_pdq_query_opts qo;

    vg_pdq_query_opts_init(&qo);
    qo.radius = l->radius;
    for (int k = 0; k < l->n_others; k++) {
        other *o = &l->others[k];
        uint64_t ids[16];
        size_t n = 0;
        if (r->have_digests) {
            n = vg_exact_index_find(o->sha1, VG_DIGEST_SHA1, r->digests.sha1, ids, 16);
            for (size_t i = 0; i < n && i < 16; i++, l->links++)
                print_link(r->path, "sha1", 0, o, (size_t)ids[i]);
        }
        if (n == 0 && r->have_pdq &&
            vg_pdq_index_query(o->pdq, &r->pdq, 1, r->pdq_quality, &qo, &l->res, NULL) == VG_OK)
            for (size_t i = 0; i < l->res.n; i++, l->links++)
                print_link(r->path, "pdq", l->res.v[i].distance, o, (size_t)l->res.v[i].id);
    }
    return 0;
}

static void free_other(other *o)
{
    for (size_t i = 0; i < o->n; i++)
        free(o->paths[i]);
    free(o->paths);
    vg_exact_index_free(o->sha1);
    vg_pdq_index_free(o->pdq);
}

int cmd_link(int argc, char **argv)
{
    static const struct option lo[] = {{"radius", required_argument, NULL, 'r'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    linker l;
    vg_store *s;
    vg_error err;
    int ch, rc = VG_EXIT_OK;

    memset(&l, 0, sizeof l);
    l.radius = VG_PDQ_DEFAULT_RADIUS;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        char *end;
        if (ch == 'h') {
            fputs(link_usage, stdout);
            return VG_EXIT_OK;
        }
        if (ch != 'r' || (l.radius = (int)strtol(optarg, &end, 10), *end) || l.radius < 0 ||
            l.radius > VG_PDQ_MIH_MAX_RADIUS) {
            fputs(link_usage, stderr);
            return VG_EXIT_USAGE;
        }
    }
    if (argc - optind < 2) {
        fputs(link_usage, stderr);
        return VG_EXIT_USAGE;
    }
    l.n_others = argc - optind - 1;
    l.others = calloc((size_t)l.n_others, sizeof *l.others);
    for (int k = 0; l.others && k < l.n_others && rc == VG_EXIT_OK; k++) {
        other *o = &l.others[k];
        o->case_path = argv[optind + 1 + k];
        o->sha1 = vg_exact_index_new(0, &o->err);
        o->pdq = vg_pdq_index_new(&o->err);
        if (!o->sha1 || !o->pdq || vg_store_open(o->case_path, 0, &s, &o->err) != VG_OK) {
            fprintf(stderr, "vigil link: %s\n", o->err.msg);
            rc = VG_EXIT_FATAL;
            break;
        }
        if (vg_store_items_foreach(s, load_item, o, &err) != VG_OK || o->st != VG_OK) {
            fprintf(stderr, "vigil link: %s\n", o->st != VG_OK ? o->err.msg : err.msg);
            rc = VG_EXIT_FATAL;
        }
        vg_store_close(s);
    }
    if (rc == VG_EXIT_OK && l.others) {
        if (vg_store_open(argv[optind], 0, &s, &err) != VG_OK ||
            vg_store_items_foreach(s, link_item, &l, &err) != VG_OK) {
            fprintf(stderr, "vigil link: %s\n", err.msg);
            rc = VG_EXIT_FATAL;
        } else {
            fprintf(stderr, "vigil link: %llu links to %d earlier case(s)\n",
                    (unsigned long long)l.links, l.n_others);
        }
        vg_store_close(s);
    }
    for (int k = 0; l.others && k < l.n_others; k++)
        free_other(&l.others[k]);
    free(l.others);
    vg_pdq_results_free(&l.res);
    return rc;
}
