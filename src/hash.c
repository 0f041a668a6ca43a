/* hash.c - `vigil hash` (placeholder until lib/hash lands). */
#include <stdio.h>
#include "cli.h"

int cmd_hash(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "vigil hash: not built yet\n");
    return VG_EXIT_FATAL;
}
