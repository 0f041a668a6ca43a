#!/bin/sh
# bench/library/run.sh BUILD_DIR [N]: entries/s of `sets import` for N generated
# md5sum lines and N PDQ lines (default 1,000,000) against the hash-set reader
# alone on the same file (the baseline), then the matcher's index build, its
# load from the cache, and exact lookups, all in one run.
set -eu
build=${1:?usage: bench/library/run.sh BUILD_DIR [N]}
if ! out=$(cmake --build "$build" --target bench_library 2>&1); then
  printf '%s\n' "$out" >&2
  exit 1
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench-library.XXXXXX")
trap 'rm -rf "$dir"' EXIT
"$build/bench/library/bench_library" "${2:-1000000}" "$dir"
