/* review.c - `vigil review CASE`: the local web application for looking
 * through a case and categorising its images, until SIGINT or SIGTERM. */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "vigil/review.h"
#include "vigil/store.h"

static const char review_usage[] =
    "usage: vigil review CASE [--examiner NAME] [--scheme S] [--port N] [--reveal]\n"
    "\n"
    "Serves a web application on 127.0.0.1 for looking through the case and\n"
    "categorising its images: new images first, then near-duplicate clusters,\n"
    "then known material. Previews are blurred and grey until revealed one at a\n"
    "time. Each category is saved to the case at once, with who and when in its\n"
    "audit log. Prints one line with the URL to open (it holds a one-time token)\n"
    "and runs until SIGINT or SIGTERM. See docs/review.md.\n"
    "\n"
    "options:\n"
    "  --examiner NAME   who categorises, recorded in the audit log\n"
    "                    (default $USER, else \"examiner\")\n"
    "  --scheme S        category scheme: projectvic-us (default), dhs, uk, or a\n"
    "                    scheme file; kept in the case, and a different one is\n"
    "                    refused once items are categorised\n"
    "  --port N          port on 127.0.0.1 (default 0: any free port)\n"
    "  --reveal          clear previews by default (still one toggle per item)\n"
    "  -h, --help        this help\n"
    "\n"
    "exit status: 0 after a signal, 2 usage error, 3 the case cannot be opened\n"
    "or the server cannot start.\n";

enum { O_EXAMINER = 512, O_SCHEME, O_PORT, O_REVEAL };

static int parse_args(int argc, char **argv, vg_review_opts *o)
{
    static const struct option longs[] = {
        {"examiner", required_argument, NULL, O_EXAMINER},
        {"scheme", required_argument, NULL, O_SCHEME},
        {"port", required_argument, NULL, O_PORT},
        {"reveal", no_argument, NULL, O_REVEAL},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    char *end;
    unsigned long port;
    int c;

    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        switch (c) {
        case O_EXAMINER:
            if (!*optarg || strlen(optarg) > 100) {
                fprintf(stderr, "vigil review: --examiner takes a name of 1..100 bytes\n");
                return -1;
            }
            o->examiner = optarg;
            break;
        case O_SCHEME: o->scheme = optarg; break;
        case O_PORT:
            port = strtoul(optarg, &end, 10);
            if (!*optarg || *optarg == '-' || *end || port > 65535) {
                fprintf(stderr, "vigil review: bad port '%s'\n", optarg);
                return -1;
            }
            o->port = (uint16_t)port;
            break;
        case O_REVEAL: o->reveal_default = 1; break;
        case 'h': fputs(review_usage, stdout); return 1;
        default: fputs(review_usage, stderr); return -1;
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "vigil review: give exactly one CASE\n%s", review_usage);
        return -1;
    }
    o->case_path = argv[optind];
    return 0;
}

static int run(vg_review_opts *o)
{
    vg_review *srv;
    vg_error err;
    sigset_t sigs;
    int sig;

    if (vg_store_open(o->case_path, 0, &o->store, &err) != VG_OK) {
        fprintf(stderr, "vigil review: %s\n", err.msg);
        return VG_EXIT_FATAL;
    }
    /* Blocked before the server's threads start, so that they inherit it
     * and the signals come to sigwait here. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    if (vg_review_start(o, &srv, &err) != VG_OK) {
        fprintf(stderr, "vigil review: %s\n", err.msg);
        vg_store_close(o->store);
        return VG_EXIT_FATAL;
    }
    fprintf(stderr, "vigil review: scheme %s; stop with Ctrl-C\n", vg_review_scheme(srv));
    printf("vigil review: open %s\n", vg_review_url(srv));
    fflush(stdout);
    sigwait(&sigs, &sig);
    fprintf(stderr, "vigil review: stopping on signal %d\n", sig);
    vg_review_stop(srv);
    vg_store_close(o->store);
    return VG_EXIT_OK;
}

int cmd_review(int argc, char **argv)
{
    vg_review_opts o;
    int rc;

    memset(&o, 0, sizeof o);
    if ((rc = parse_args(argc, argv, &o)) != 0)
        return rc > 0 ? VG_EXIT_OK : VG_EXIT_USAGE;
    return run(&o);
}
