/* hash.c - `vigil hash`: one record per file with its digests and PDQ hash. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "record.h"
#include "walk.h"

static const char hash_usage[] =
    "usage: vigil hash [OPTIONS] PATH...\n"
    "\n"
    "Hashes every file (directories are walked recursively, in name order, never\n"
    "through symbolic links): size, type by content, width and height, MD5, SHA-1,\n"
    "SHA-256 and, for images, the PDQ perceptual hash and its quality (0-100).\n"
    "\n"
    "options:\n"
    "  --format jsonl|csv|text  output format (default jsonl)\n"
    "  --pdq-mode exact|fast    exact: bit-exact with Meta's reference (default);\n"
    "                           fast: reduced JPEG decode, hashes a few bits away\n"
    "  --dihedral               also print the 8 dihedral PDQ variants\n"
    "  --p2p                    also eD2k, Gnutella urn:sha1, BitTorrent v2 root\n"
    "  --max-pixels N           refuse images over N pixels (default 200M)\n"
    "  --max-file-size N        decode files up to N bytes in memory (default 1G)\n"
    "  --max-seconds S          give up decoding one file after S seconds (default 60)\n"
    "  -h, --help               this help\n"
    "\n"
    "exit status: 0 every file was hashed, 1 some could not be read or decoded\n"
    "(their records carry error_kind and error), 2 usage error.\n";

typedef struct hash_run {
    record_opts ro;
    vg_hash_opts ho;
    unsigned long files, images, errors;
} hash_run;

static int hash_one(void *ctx, const char *path, const char *walk_err)
{
    hash_run *r = ctx;
    vg_file_hashes h;
    vg_error err;

    r->files++;
    if (walk_err) {
        r->errors++;
        record_print(stdout, &r->ro, path, NULL, "open", walk_err, NULL, NULL);
        return 0;
    }
    vg_error_clear(&err);
    vg_status st = vg_hash_file(path, &r->ho, &h, &err);
    if (st != VG_OK) {
        r->errors++;
        record_print(stdout, &r->ro, path, NULL, vg_status_name(st), err.msg, NULL, NULL);
        return 0;
    }
    if (h.type != VG_IMAGE_UNKNOWN)
        r->images++;
    if (h.image_status != VG_OK)
        r->errors++;
    record_print(stdout, &r->ro, path, &h, NULL, NULL, NULL, NULL);
    return 0;
}

/* Parses the options common to hash and match into r; returns the index of
 * the first path, or -1 (after a message) on a usage error, -2 for --help.
 * extra_long/extra_fn let match add its own options. */
int hash_parse_common(int argc, char **argv, record_opts *ro, vg_hash_opts *ho,
                      vg_limits *lim, const struct option *extra_long,
                      int (*extra_fn)(int opt, const char *arg, void *ctx), void *ctx)
{
    enum { O_FORMAT = 256, O_MODE, O_DIH, O_P2P, O_PIX, O_FSIZE, O_SECS };
    struct option longopts[32] = {
        {"format", required_argument, NULL, O_FORMAT},
        {"pdq-mode", required_argument, NULL, O_MODE},
        {"dihedral", no_argument, NULL, O_DIH},
        {"p2p", no_argument, NULL, O_P2P},
        {"max-pixels", required_argument, NULL, O_PIX},
        {"max-file-size", required_argument, NULL, O_FSIZE},
        {"max-seconds", required_argument, NULL, O_SECS},
        {"help", no_argument, NULL, 'h'},
    };
    size_t n = 8;
    int c;

    for (const struct option *o = extra_long; o && o->name && n < 31; o++)
        longopts[n++] = *o;
    memset(ro, 0, sizeof *ro);
    memset(ho, 0, sizeof *ho);
    vg_limits_default(lim);
    ho->limits = lim;
    ho->follow_symlinks = 1; /* walk_path already refuses links inside trees */
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        int f;
        switch (c) {
        case O_FORMAT:
            if ((f = parse_format(optarg)) < 0) {
                fprintf(stderr, "vigil: --format takes jsonl, csv or text, not '%s'\n", optarg);
                return -1;
            }
            ro->format = (out_format)f;
            break;
        case O_MODE:
            if (strcmp(optarg, "exact") && strcmp(optarg, "fast")) {
                fprintf(stderr, "vigil: --pdq-mode takes exact or fast, not '%s'\n", optarg);
                return -1;
            }
            ho->pdq_fast = strcmp(optarg, "fast") == 0;
            break;
        case O_DIH: ho->dihedral = ro->dihedral = 1; break;
        case O_P2P: ho->p2p = ro->p2p = 1; break;
        case O_PIX:
            if (parse_size(optarg, 1, &lim->max_pixels) != 0) {
                fprintf(stderr, "vigil: --max-pixels takes a number (200M), not '%s'\n", optarg);
                return -1;
            }
            break;
        case O_FSIZE:
            if (parse_size(optarg, 0, &lim->max_file_bytes) != 0) {
                fprintf(stderr, "vigil: --max-file-size takes a size (512M), not '%s'\n", optarg);
                return -1;
            }
            break;
        case O_SECS:
            if (parse_seconds(optarg, &lim->max_seconds) != 0) {
                fprintf(stderr, "vigil: --max-seconds takes seconds (30), not '%s'\n", optarg);
                return -1;
            }
            break;
        case 'h': return -2;
        case '?': return -1;
        default:
            if (!extra_fn || extra_fn(c, optarg, ctx) != 0)
                return -1;
        }
    }
    return optind;
}

int cmd_hash(int argc, char **argv)
{
    hash_run r;
    vg_limits lim;
    unsigned long skipped = 0;
    int first;

    memset(&r, 0, sizeof r);
    first = hash_parse_common(argc, argv, &r.ro, &r.ho, &lim, NULL, NULL, NULL);
    if (first == -2) {
        fputs(hash_usage, stdout);
        return VG_EXIT_OK;
    }
    if (first < 0 || first >= argc) {
        if (first >= argc)
            fprintf(stderr, "vigil hash: no PATH given\n");
        fputs(hash_usage, stderr);
        return VG_EXIT_USAGE;
    }
    record_header(stdout, &r.ro, NULL);
    for (int i = first; i < argc; i++)
        walk_path(argv[i], hash_one, &r, &skipped);
    fflush(stdout);
    fprintf(stderr, "vigil hash: %lu files, %lu images, %lu errors", r.files, r.images, r.errors);
    if (skipped)
        fprintf(stderr, ", %lu links or special files skipped", skipped);
    fputc('\n', stderr);
    if (ferror(stdout)) {
        fprintf(stderr, "vigil hash: writing the output failed\n");
        return VG_EXIT_FATAL;
    }
    return r.errors ? VG_EXIT_PARTIAL : VG_EXIT_OK;
}
