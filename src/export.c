/* export.c - `vigil export CASE`: every item of a case, NEW images first. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "opts.h"
#include "vigil/report.h"

static const char export_usage[] =
    "usage: vigil export CASE [--format jsonl|csv|dfxml|vics] [--scheme S]\n"
    "\n"
    "Writes every item of CASE to standard output: NEW images (matching no hash\n"
    "set) first, then known items, then the rest, each group in walk order.\n"
    "  jsonl  one object per item (default); keys in docs/case.md\n"
    "  csv    one row per item, with a header\n"
    "  dfxml  Digital Forensics XML as fiwalk writes it\n"
    "  vics   a Project VIC VICS 2.0 hash set of the case's images, to share\n"
    "         hashes with partners (never the pictures), with the categories\n"
    "         given in vigil review as numbers of the case's scheme; --scheme\n"
    "         names a built-in scheme or gives the scheme file the case was\n"
    "         categorised with (needed for a file's scheme)\n";

int cmd_export(int argc, char **argv)
{
    static const struct option lo[] = {{"format", required_argument, NULL, 'f'},
                                       {"scheme", required_argument, NULL, 's'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    vg_report_format fmt = VG_REPORT_JSONL;
    const char *scheme_arg = NULL;
    const vg_hs_scheme *scheme = NULL;
    vg_hs_scheme *loaded = NULL;
    vg_store *s;
    vg_error err;
    int ch;

    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        if (ch == 'h') {
            fputs(export_usage, stdout);
            return VG_EXIT_OK;
        }
        if (ch == 's') {
            scheme_arg = optarg;
            continue;
        }
        if (ch != 'f' || vg_report_format_from_name(optarg, &fmt) != VG_OK) {
            fputs(export_usage, stderr);
            return VG_EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        fputs(export_usage, stderr);
        return VG_EXIT_USAGE;
    }
    if (resolve_scheme("export", scheme_arg, &scheme, &loaded) != 0)
        return VG_EXIT_USAGE;
    if (vg_store_open(argv[optind], 0, &s, &err) != VG_OK) {
        fprintf(stderr, "vigil export: %s\n", err.msg);
        vg_hs_scheme_free(loaded);
        return VG_EXIT_FATAL;
    }
    vg_status st = fmt == VG_REPORT_VICS ? vg_report_vics(s, scheme, stdout, &err)
                                         : vg_report_export(s, fmt, stdout, &err);
    vg_store_close(s);
    vg_hs_scheme_free(loaded);
    if (st != VG_OK) {
        fprintf(stderr, "vigil export: %s\n", err.msg);
        return VG_EXIT_FATAL;
    }
    return VG_EXIT_OK;
}
