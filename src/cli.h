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
int cmd_help(int argc, char **argv);
int cmd_version(int argc, char **argv);

#endif
