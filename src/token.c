/* token.c - `vigil token`: the bearer tokens of `vigil serve` (add, list, remove). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "vigil/library.h"
#include "vigil/serve.h"

static const char token_usage[] =
    "usage: vigil token add --role lookup|admin NAME [--library PATH | --tokens FILE]\n"
    "       vigil token list [--library PATH | --tokens FILE]\n"
    "       vigil token remove NAME [--library PATH | --tokens FILE]\n"
    "\n"
    "Bearer tokens for 'vigil serve'. 'add' prints a new random token (32 bytes\n"
    "from getrandom, as 64 hex digits) once: only its SHA-256 is kept, in\n"
    "LIBRARY.tokens beside the library (mode 0600). A lookup token may call the\n"
    "lookup endpoints; an admin token may also add and remove set entries.\n"
    "A running server sees changes from its next request on.\n";

enum { O_LIB = 512, O_TOKENS, O_ROLE };

static int tokens_file(const char *library, const char *tokens, char *buf, size_t len)
{
    char def[4096];
    vg_error err;

    if (tokens) {
        snprintf(buf, len, "%s", tokens);
        return 0;
    }
    if (!library) {
        if (vg_library_default_path(def, sizeof def, &err) != VG_OK) {
            fprintf(stderr, "vigil token: %s\n", err.msg);
            return -1;
        }
        library = def;
    }
    if (vg_tokens_path(library, buf, len, &err) != VG_OK) {
        fprintf(stderr, "vigil token: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int token_list(const char *path)
{
    vg_token_info *v;
    size_t n;
    vg_error err;

    if (vg_token_list(path, &v, &n, &err) != VG_OK) {
        fprintf(stderr, "vigil token: %s\n", err.msg);
        return VG_EXIT_FATAL;
    }
    for (size_t i = 0; i < n; i++)
        printf("%s\t%s\t%s\n", v[i].name, vg_token_role_name(v[i].role), v[i].created);
    free(v);
    return VG_EXIT_OK;
}

static int token_run(const char *sub, const char *name, const char *role, const char *path)
{
    char tok[VG_TOKEN_HEX_LEN + 1];
    vg_token_role r;
    vg_error err;
    vg_status st;

    if (strcmp(sub, "list") == 0)
        return name ? (fputs(token_usage, stderr), VG_EXIT_USAGE) : token_list(path);
    if (!name || (strcmp(sub, "add") != 0 && strcmp(sub, "remove") != 0)) {
        fputs(token_usage, stderr);
        return VG_EXIT_USAGE;
    }
    if (strcmp(sub, "remove") == 0) {
        st = vg_token_remove(path, name, &err);
    } else {
        if (vg_token_role_parse(role, &r) != 0) {
            fprintf(stderr, "vigil token: add needs --role lookup or --role admin\n");
            return VG_EXIT_USAGE;
        }
        if ((st = vg_token_add(path, name, r, tok, &err)) == VG_OK)
            printf("%s\n", tok);
    }
    if (st != VG_OK) {
        fprintf(stderr, "vigil token: %s\n", err.msg);
        return st == VG_ERR_ARG ? VG_EXIT_USAGE : VG_EXIT_FATAL;
    }
    return VG_EXIT_OK;
}

int cmd_token(int argc, char **argv)
{
    static const struct option longs[] = {
        {"library", required_argument, NULL, O_LIB}, {"tokens", required_argument, NULL, O_TOKENS},
        {"role", required_argument, NULL, O_ROLE},   {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *library = NULL, *tokens = NULL, *role = NULL;
    char path[8192];
    int c;

    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        switch (c) {
        case O_LIB: library = optarg; break;
        case O_TOKENS: tokens = optarg; break;
        case O_ROLE: role = optarg; break;
        case 'h': fputs(token_usage, stdout); return VG_EXIT_OK;
        default: fputs(token_usage, stderr); return VG_EXIT_USAGE;
        }
    }
    if (optind >= argc || argc - optind > 2) {
        fputs(token_usage, stderr);
        return VG_EXIT_USAGE;
    }
    if (tokens_file(library, tokens, path, sizeof path) != 0)
        return VG_EXIT_USAGE;
    return token_run(argv[optind], optind + 1 < argc ? argv[optind + 1] : NULL, role, path);
}
