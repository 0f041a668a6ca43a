/* report.c - `vigil report CASE -o DIR`: a static HTML report with blurred previews. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "vigil/report.h"

static const char report_usage[] =
    "usage: vigil report CASE -o DIR [--no-thumbnails]\n"
    "\n"
    "Writes a static HTML report of CASE into DIR (which must not exist or be\n"
    "empty; nothing is overwritten): DIR/index.html and DIR/thumbs/. No scripts,\n"
    "relative links only: it opens from a USB stick. The case and evidence\n"
    "identity, the audit log and its chain status, the counts, then every item,\n"
    "NEW pictures first, with its details. Previews are read back from the\n"
    "evidence (inside archives and disk images too; only bytes whose SHA-1 still\n"
    "matches) and are always blurred and grey.\n"
    "  -o, --output DIR     the report directory\n"
    "      --no-thumbnails  write no previews at all\n"
    "Exit: 0 written, 2 usage, 3 the case cannot be read or DIR cannot be written.\n";

int cmd_report(int argc, char **argv)
{
    static const struct option lo[] = {{"output", required_argument, NULL, 'o'},
                                       {"no-thumbnails", no_argument, NULL, 'n'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    vg_html_opts o = {NULL, 0, NULL};
    const char *dir = NULL;
    vg_store *s;
    vg_error err;
    int ch;

    optind = 1;
    while ((ch = getopt_long(argc, argv, "ho:", lo, NULL)) != -1) {
        if (ch == 'h') {
            fputs(report_usage, stdout);
            return VG_EXIT_OK;
        }
        if (ch == 'o')
            dir = optarg;
        else if (ch == 'n')
            o.no_thumbnails = 1;
        else {
            fputs(report_usage, stderr);
            return VG_EXIT_USAGE;
        }
    }
    if (optind != argc - 1 || !dir || !dir[0]) {
        fputs(report_usage, stderr);
        return VG_EXIT_USAGE;
    }
    o.case_name = argv[optind];
    if (vg_store_open(argv[optind], 0, &s, &err) != VG_OK) {
        fprintf(stderr, "vigil report: %s\n", err.msg);
        return VG_EXIT_FATAL;
    }
    vg_status st = vg_report_html(s, dir, &o, &err);
    vg_store_close(s);
    if (st != VG_OK) {
        fprintf(stderr, "vigil report: %s\n", err.msg);
        return VG_EXIT_FATAL;
    }
    fprintf(stderr, "vigil report: wrote %s/index.html\n", dir);
    return VG_EXIT_OK;
}
