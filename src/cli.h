/* cli.h - the subcommands of the vigil tool and their shared exit codes. */
#ifndef VIGIL_CLI_H
#define VIGIL_CLI_H

enum {
    VG_EXIT_OK = 0,      /* every input was handled */
    VG_EXIT_PARTIAL = 1, /* some input could not be read or processed */
    VG_EXIT_USAGE = 2,   /* bad command line */
    VG_EXIT_FATAL = 3,   /* nothing could be done (e.g. output not writable) */
};

int cmd_hash(int argc, char **argv);

#include <getopt.h>
#include "record.h"
/* Options shared by hash and match (hash.c). */
int hash_parse_common(int argc, char **argv, record_opts *ro, vg_hash_opts *ho,
                      vg_limits *lim, const struct option *extra_long,
                      int (*extra_fn)(int opt, const char *arg, void *ctx), void *ctx);
int cmd_export(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_sets(int argc, char **argv);
int cmd_match(int argc, char **argv);
struct vg_library;
/* Opens the library at path (NULL: the default path), printing why not;
 * returns 0, VG_EXIT_USAGE (no default path) or VG_EXIT_PARTIAL (sets.c). */
int cli_open_library(const char *path, int create, struct vg_library **out, const char *cmd);
int cmd_link(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_review(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_steg(int argc, char **argv);
int cmd_summary(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_token(int argc, char **argv);

#endif
