/* vigil.c - the `vigil` command: dispatches to one function per subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct vg_cmd {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} cmds[] = {
    {"export", cmd_export, "write a case's items as JSON lines, CSV, DFXML or VICS, new images first"},
    {"hash", cmd_hash, "hash files: MD5, SHA-1, SHA-256, PDQ (and P2P ids)"},
    {"help", cmd_help, "show this help, or the help of a command"},
    {"link", cmd_link, "items of a case already seen in earlier cases (SHA-1, PDQ)"},
    {"match", cmd_match, "hash files and look them up in the hash library"},
    {"report", cmd_report, "write a static HTML report of a case, previews blurred"},
    {"review", cmd_review, "categorise a case's images in a local web application, previews blurred"},
    {"scan", cmd_scan, "triage evidence (folders, archives, disk images) into a case"},
    {"serve", cmd_serve, "serve the hash library as an authenticated HTTP API"},
    {"sets", cmd_sets, "manage the hash library: import, list, show, export, remove"},
    {"steg", cmd_steg, "check pictures for hidden data; extract payloads"},
    {"summary", cmd_summary, "counts of a case: new, known by category, deleted, errors"},
    {"token", cmd_token, "bearer tokens for 'vigil serve': add, list, remove"},
    {"version", cmd_version, "print vigil's version"},
};

int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("vigil %s\n", VG_VERSION);
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: vigil COMMAND [OPTIONS] [ARGS]\n\n"
               "vigil finds known and new images in seized evidence.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
    fprintf(f, "\n'vigil help COMMAND' or 'vigil COMMAND --help' tells more.\n");
}

int cmd_help(int argc, char **argv)
{
    if (argc >= 2) {
        for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
            if (strcmp(argv[1], cmds[i].name) == 0 && cmds[i].fn != cmd_help) {
                char *args[] = {argv[1], "--help", NULL};
                return cmds[i].fn(2, args);
            }
        }
        fprintf(stderr, "vigil: no command '%s'\n", argv[1]);
        return VG_EXIT_USAGE;
    }
    usage(stdout);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return VG_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return cmd_help(1, argv + 1);
    if (strcmp(argv[1], "--version") == 0)
        return cmd_version(1, argv + 1);
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strcmp(argv[1], cmds[i].name) == 0)
            return cmds[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "vigil: '%s' is not a command; see 'vigil help'\n", argv[1]);
    return VG_EXIT_USAGE;
}
