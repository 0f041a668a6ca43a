/* scan.c - `vigil scan`: triage evidence into a case database, resumable. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "opts.h"
#include "vigil/index.h"
#include "vigil/library.h"
#include "vigil/scan.h"
#include "vigil/util.h"

static const char scan_usage[] =
    "usage: vigil scan --case CASE [OPTIONS] EVIDENCE...\n"
    "       vigil scan --case CASE --resume\n"
    "\n"
    "Walks each evidence path (folder, file, archive, disk image: raw, split raw,\n"
    "E01), hashes every item (MD5, SHA-1, SHA-256, PDQ), matches it against the\n"
    "hash library's sets and records it in CASE, a SQLite file. Evidence is only\n"
    "read. A scan that was stopped (even by kill -9) continues with --resume and\n"
    "ends with exactly the items an uninterrupted scan records.\n"
    "\n"
    "options:\n"
    "  --case PATH            the case file (created when missing)\n"
    "  --resume               finish the evidence of CASE left unfinished\n"
    "  --library PATH         hash library (default: the user's data directory)\n"
    "  --sets A,B             match only these sets (default: all; none if no library)\n"
    "  --no-match             do not match against the hash library\n"
    "  --threads N            hashing threads (default: one per core)\n"
    "  --pdq-mode exact|fast  as for vigil hash (default exact)\n"
    "  --no-archives          do not look inside archives\n"
    "  --no-disk-images       treat disk images as plain files\n"
    "  --no-carve             do not carve unallocated space\n"
    "  --verify-image         check an E01's stored MD5 before walking it\n"
    "  --no-steg              skip steganalysis (on by default: every picture gets a\n"
    "                         verdict; payloads found become items of their own)\n"
    "  --no-thumbnails        store no previews (by default every picture gets a\n"
    "                         160-pixel JPEG in the case, for vigil review)\n"
    "  --max-depth N          archive/disk nesting (default 5)\n"
    "  --max-pixels N, --max-file-size N, --max-seconds S   per-item limits\n"
    "  --quiet                no progress line\n"
    "  -h, --help             this help\n"
    "\n"
    "exit status: 0 scanned (items with errors are recorded in the case), 1 some\n"
    "evidence could not be scanned, 2 usage error, 3 the case could not be written.\n";

typedef struct scan_cli {
    const char *case_path, *library, *sets;
    int resume, no_match, quiet;
    vg_scan_opts so;
    vg_library *lib;
    vg_matcher *matcher;
} scan_cli;

/* The matcher adapter: the library's matcher may be shared by the workers
 * (library.h); the case wants its own copies of the strings. */
static int match_item(void *ctx, const vg_file_hashes *h, vg_match_rec **out, size_t *n)
{
    scan_cli *c = ctx;
    vg_match_list l = {0};
    vg_match_opts mo;
    vg_status st;

    *out = NULL;
    *n = 0;
    vg_match_opts_init(&mo);
    mo.dihedral = 1; /* rotated and mirrored copies are the same picture */
    st = vg_matcher_match(c->matcher, h, &mo, &l, NULL);
    if (st != VG_OK || l.n == 0) {
        vg_match_list_free(&l);
        return st != VG_OK;
    }
    vg_match_rec *m = calloc(l.n, sizeof *m);
    for (size_t i = 0; m && i < l.n; i++) {
        size_t need = 1;
        for (size_t k = 0; k < l.v[i].n_labels; k++)
            need += strlen(l.v[i].labels[k]) + 2;
        char *labels = malloc(need);
        if (labels) {
            labels[0] = '\0';
            for (size_t k = 0; k < l.v[i].n_labels; k++) {
                if (k)
                    strcat(labels, ", ");
                strcat(labels, l.v[i].labels[k]);
            }
        }
        m[i].set = strdup(l.v[i].set);
        m[i].kind = vg_match_kind_name(l.v[i].kind);
        m[i].distance = l.v[i].distance;
        m[i].category = strdup(l.v[i].category ? l.v[i].category : "none");
        m[i].category_label = strdup(l.v[i].category_label ? l.v[i].category_label : "");
        m[i].labels = labels;
    }
    *out = m;
    *n = m ? l.n : 0;
    vg_match_list_free(&l);
    return 0;
}

static void free_match_recs(void *ctx, vg_match_rec *m, size_t n)
{
    (void)ctx;
    for (size_t i = 0; i < n; i++) {
        free((void *)m[i].set);
        free((void *)m[i].category);
        free((void *)m[i].category_label);
        free((void *)m[i].labels);
    }
    free(m);
}

static uint64_t tree_bytes;

static int add_size(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)path;
    (void)ftw;
    if (type == FTW_F && S_ISREG(sb->st_mode))
        tree_bytes += (uint64_t)sb->st_size;
    return 0;
}

/* The evidence's size on disk: what the walk will read, roughly (archives
 * expand, disk images hold free space), enough for an ETA. */
static uint64_t evidence_bytes(const char *path)
{
    tree_bytes = 0;
    nftw(path, add_size, 32, FTW_PHYS);
    return tree_bytes;
}

static void show_progress(const vg_scan_progress *p, void *ctx)
{
    const uint64_t *total = ctx;
    double mbs = p->seconds > 0 ? (double)p->bytes / 1e6 / p->seconds : 0;
    fprintf(stderr, "\r  %llu items, %llu errors, %.1f MB/s, %.0f s", (unsigned long long)p->items,
            (unsigned long long)p->errors, mbs, p->seconds);
    if (*total > p->bytes && mbs > 0)
        fprintf(stderr, ", about %.0f s to go", (double)(*total - p->bytes) / 1e6 / mbs);
    fputs("      ", stderr);
}

/* The options a resume must repeat, as JSON. */
static char *options_json(const scan_cli *c)
{
    json_t *o = json_pack("{s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:I,s:I,s:f,s:i,s:s?,s:s?}",
                          "threads", c->so.threads, "pdq_fast", c->so.pdq_fast,
                          "archives", c->so.evidence.archives, "steg", c->so.steg, "thumbnails",
                          c->so.thumbnails, "verify_image",
                          c->so.evidence.verify_image, "disk_images",
                          c->so.evidence.disk_images, "carve", c->so.evidence.carve,
                          "max_pixels", (json_int_t)c->so.limits.max_pixels,
                          "max_file_bytes", (json_int_t)c->so.limits.max_file_bytes,
                          "max_seconds", c->so.limits.max_seconds, "max_depth",
                          (int)c->so.evidence.max_depth, "sets", c->sets, "library", c->library);
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(o);
    return s;
}

static void options_from_json(scan_cli *c, const char *js)
{
    json_t *o = json_loads(js, 0, NULL);
    json_t *v;
    if (!o)
        return;
#define GETI(key, dst)                                  \
    if ((v = json_object_get(o, key)) && json_is_integer(v)) \
        dst = json_integer_value(v);
    GETI("threads", c->so.threads);
    GETI("pdq_fast", c->so.pdq_fast);
    GETI("archives", c->so.evidence.archives);
    GETI("disk_images", c->so.evidence.disk_images);
    GETI("carve", c->so.evidence.carve);
    GETI("steg", c->so.steg);
    GETI("thumbnails", c->so.thumbnails);
    GETI("verify_image", c->so.evidence.verify_image);
    GETI("max_pixels", c->so.limits.max_pixels);
    GETI("max_file_bytes", c->so.limits.max_file_bytes);
    GETI("max_depth", c->so.evidence.max_depth);
#undef GETI
    if ((v = json_object_get(o, "max_seconds")) && json_is_number(v))
        c->so.limits.max_seconds = json_number_value(v);
    /* The library and sets of the first run, unless the command line names them
     * (kept for the life of the process: the matcher refers to them). */
    if (!c->library && (v = json_object_get(o, "library")) && json_is_string(v))
        c->library = strdup(json_string_value(v));
    if (!c->sets && (v = json_object_get(o, "sets")) && json_is_string(v))
        c->sets = strdup(json_string_value(v));
    json_decref(o);
}

static int open_matcher(scan_cli *c)
{
    char def[4096];
    const char *lp = c->library;
    vg_error err;
    struct stat sb;
    char *names[64];
    size_t n = 0;

    if (c->no_match)
        return 0;
    if (!lp) {
        if (vg_library_default_path(def, sizeof def, &err) != VG_OK)
            return 0;
        lp = def;
        if (stat(lp, &sb) != 0)
            return 0; /* no library yet: every image is new */
    }
    if (vg_library_open(lp, 0, &c->lib, &err) != VG_OK) {
        fprintf(stderr, "vigil scan: %s\n", err.msg);
        return -1;
    }
    char *sets = c->sets ? strdup(c->sets) : NULL;
    for (char *tok = sets ? strtok(sets, ",") : NULL; tok && n < 64; tok = strtok(NULL, ","))
        names[n++] = tok;
    vg_status st = vg_matcher_open(c->lib, (const char *const *)names, n, 0, &c->matcher, &err);
    free(sets);
    if (st != VG_OK) {
        fprintf(stderr, "vigil scan: %s\n", err.msg);
        return -1;
    }
    c->so.match = match_item;
    c->so.free_matches = free_match_recs;
    c->so.match_ctx = c;
    return 0;
}

/* Writes the audit entry of one scan or resume: command line and evidence. */
static void audit(vg_store *s, const char *action, int argc, char **argv, const char *ev)
{
    json_t *o = json_object(), *args = json_array();
    struct stat sb;
    for (int i = 0; i < argc; i++)
        json_array_append_new(args, json_string(argv[i]));
    json_object_set_new(o, "argv", args);
    json_object_set_new(o, "evidence", json_string(ev));
    if (stat(ev, &sb) == 0) {
        json_object_set_new(o, "evidence_size", json_integer((json_int_t)sb.st_size));
        json_object_set_new(o, "evidence_mtime", json_integer((json_int_t)sb.st_mtime));
        if (S_ISREG(sb.st_mode)) {
            vg_file_hashes h;
            vg_hash_opts ho = {0};
            vg_limits lim;
            vg_limits_default(&lim);
            lim.max_file_bytes = 1; /* digests only */
            ho.limits = &lim;
            if (vg_hash_file(ev, &ho, &h, NULL) == VG_OK) {
                char md5[33], sha1[41];
                vg_hex_encode(h.digests.md5, 16, md5);
                vg_hex_encode(h.digests.sha1, 20, sha1);
                json_object_set_new(o, "evidence_md5", json_string(md5));
                json_object_set_new(o, "evidence_sha1", json_string(sha1));
            }
        }
    }
    char *d = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    vg_error err;
    if (!d || vg_store_audit(s, action, d, &err) != VG_OK)
        fprintf(stderr, "vigil scan: audit log: %s\n", d ? err.msg : "no memory");
    free(d);
    json_decref(o);
}

static int scan_one(scan_cli *c, vg_store *store, const char *ev, int argc, char **argv,
                    const char *action)
{
    vg_scan_progress p;
    vg_error err;
    int tty = !c->quiet && isatty(2);
    char *oj = options_json(c);

    c->so.options_json = oj;
    uint64_t total = tty ? evidence_bytes(ev) : 0;
    c->so.progress = tty ? show_progress : NULL;
    c->so.progress_ctx = &total;
    audit(store, action, argc, argv, ev);
    vg_status st = vg_scan_run(store, ev, &c->so, &p, &err);
    free(oj);
    if (tty)
        fputc('\n', stderr);
    if (st != VG_OK) {
        fprintf(stderr, "vigil scan: %s\n", err.msg);
        return st == VG_ERR_DB || st == VG_ERR_NOMEM ? VG_EXIT_FATAL : VG_EXIT_PARTIAL;
    }
    fprintf(stderr, "vigil scan: %s: %llu items recorded (%llu already there), %llu with errors, %.1f s\n",
            ev, (unsigned long long)p.items, (unsigned long long)p.skipped,
            (unsigned long long)p.errors, p.seconds);
    return VG_EXIT_OK;
}

static int parse(scan_cli *c, int argc, char **argv)
{
    enum { O_CASE = 256, O_RESUME, O_LIB, O_SETS, O_NOMATCH, O_THREADS, O_MODE, O_NOARCH,
           O_NODISK, O_NOCARVE, O_VERIFY, O_NOSTEG, O_NOTHUMB, O_DEPTH, O_PIX, O_FSIZE, O_SECS, O_QUIET };
    static const struct option lo[] = {
        {"case", required_argument, NULL, O_CASE}, {"resume", no_argument, NULL, O_RESUME},
        {"library", required_argument, NULL, O_LIB}, {"sets", required_argument, NULL, O_SETS},
        {"no-match", no_argument, NULL, O_NOMATCH}, {"threads", required_argument, NULL, O_THREADS},
        {"pdq-mode", required_argument, NULL, O_MODE}, {"no-archives", no_argument, NULL, O_NOARCH},
        {"no-disk-images", no_argument, NULL, O_NODISK}, {"no-carve", no_argument, NULL, O_NOCARVE},
        {"no-steg", no_argument, NULL, O_NOSTEG},
        {"no-thumbnails", no_argument, NULL, O_NOTHUMB},
        {"verify-image", no_argument, NULL, O_VERIFY},
        {"max-depth", required_argument, NULL, O_DEPTH}, {"max-pixels", required_argument, NULL, O_PIX},
        {"max-file-size", required_argument, NULL, O_FSIZE},
        {"max-seconds", required_argument, NULL, O_SECS}, {"quiet", no_argument, NULL, O_QUIET},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    uint64_t v;
    int ch;

    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (ch) {
        case O_CASE: c->case_path = optarg; break;
        case O_RESUME: c->resume = 1; break;
        case O_LIB: c->library = optarg; break;
        case O_SETS: c->sets = optarg; break;
        case O_NOMATCH: c->no_match = 1; break;
        case O_THREADS:
            if (parse_size(optarg, 1, &v) || v > 64) goto bad;
            c->so.threads = (int)v;
            break;
        case O_MODE:
            if (strcmp(optarg, "exact") && strcmp(optarg, "fast")) goto bad;
            c->so.pdq_fast = strcmp(optarg, "fast") == 0;
            break;
        case O_NOARCH: c->so.evidence.archives = 0; break;
        case O_NODISK: c->so.evidence.disk_images = 0; break;
        case O_NOCARVE: c->so.evidence.carve = 0; break;
        case O_NOSTEG: c->so.steg = 0; break;
        case O_NOTHUMB: c->so.thumbnails = 0; break;
        case O_VERIFY: c->so.evidence.verify_image = 1; break;
        case O_DEPTH:
            if (parse_size(optarg, 1, &v) || v > 32) goto bad;
            c->so.evidence.max_depth = (unsigned)v;
            break;
        case O_PIX: if (parse_size(optarg, 1, &c->so.limits.max_pixels)) goto bad; break;
        case O_FSIZE: if (parse_size(optarg, 0, &c->so.limits.max_file_bytes)) goto bad; break;
        case O_SECS: if (parse_seconds(optarg, &c->so.limits.max_seconds)) goto bad; break;
        case O_QUIET: c->quiet = 1; break;
        case 'h': return -2;
        default: return -1;
        }
    }
    return optind;
bad:
    fprintf(stderr, "vigil scan: bad value '%s' for an option\n", optarg);
    return -1;
}

int cmd_scan(int argc, char **argv)
{
    scan_cli c;
    vg_store *store;
    vg_error err;
    int first, rc = VG_EXIT_OK;

    memset(&c, 0, sizeof c);
    vg_scan_opts_default(&c.so);
    first = parse(&c, argc, argv);
    if (first == -2) {
        fputs(scan_usage, stdout);
        return VG_EXIT_OK;
    }
    if (first < 0 || !c.case_path || (c.resume ? first != argc : first >= argc)) {
        if (first >= 0)
            fprintf(stderr, "vigil scan: %s\n",
                    !c.case_path ? "--case is required"
                    : c.resume   ? "--resume takes no evidence: it finishes what CASE holds"
                                 : "no EVIDENCE given");
        fputs(scan_usage, stderr);
        return VG_EXIT_USAGE;
    }
    if (vg_store_open(c.case_path, !c.resume, &store, &err) != VG_OK) {
        fprintf(stderr, "vigil scan: %s\n", err.msg);
        return VG_EXIT_FATAL;
    }
    if (c.resume) {
        vg_evidence_rec *ev;
        size_t n, unfinished = 0;
        if (vg_store_evidence_list(store, &ev, &n, &err) != VG_OK) {
            fprintf(stderr, "vigil scan: %s\n", err.msg);
            vg_store_close(store);
            return VG_EXIT_FATAL;
        }
        for (size_t i = 0; i < n; i++) {
            if (strcmp(ev[i].state, "done") == 0)
                continue;
            unfinished++;
            vg_scan_opts_default(&c.so);
            options_from_json(&c, ev[i].options);
            if (c.matcher == NULL && open_matcher(&c) != 0) {
                rc = VG_EXIT_FATAL;
                break;
            }
            int r = scan_one(&c, store, ev[i].path, argc, argv, "resume");
            rc = r > rc ? r : rc;
        }
        if (!unfinished)
            fprintf(stderr, "vigil scan: nothing to resume in %s\n", c.case_path);
        free(ev);
    } else if (open_matcher(&c) != 0) {
        rc = VG_EXIT_FATAL;
    } else {
        for (int i = first; i < argc && rc != VG_EXIT_FATAL; i++) {
            int r = scan_one(&c, store, argv[i], argc, argv, "scan");
            rc = r > rc ? r : rc;
        }
    }
    if (rc != VG_EXIT_FATAL) {
        uint64_t nc;
        if (vg_scan_cluster(store, VG_PDQ_DEFAULT_RADIUS, VG_PDQ_DEFAULT_MIN_QUALITY, &nc,
                            &err) != VG_OK) {
            fprintf(stderr, "vigil scan: clustering: %s\n", err.msg);
            rc = VG_EXIT_FATAL;
        } else {
            fprintf(stderr, "vigil scan: %llu near-duplicate clusters (PDQ within %d)\n",
                    (unsigned long long)nc, VG_PDQ_DEFAULT_RADIUS);
        }
    }
    vg_matcher_free(c.matcher);
    vg_library_close(c.lib);
    vg_store_close(store);
    return rc;
}
