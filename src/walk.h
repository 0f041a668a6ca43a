/* walk.h - the tool's walk of command-line paths: files as given, directories
 * recursively in bytewise name order, never through symbolic links. */
#ifndef VIGIL_WALK_H
#define VIGIL_WALK_H

/* Called for each regular file (path) or, with err set, for a path that could
 * not be listed or is not a regular file. Return nonzero to stop the walk. */
typedef int (*walk_fn)(void *ctx, const char *path, const char *err);

/* Walks one command-line path. Returns nonzero if fn stopped the walk.
 * Symbolic links met inside a directory, devices, FIFOs and sockets are
 * skipped and counted in *skipped. */
int walk_path(const char *path, walk_fn fn, void *ctx, unsigned long *skipped);

#endif
