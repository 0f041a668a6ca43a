#!/bin/sh
# bench/evidence/run.sh BUILD_DIR [MIB]: MB/s of vg_carve_mem on zeros, on
# random bytes and on random bytes dense with embedded pictures, each against a
# plain pass over the same buffer (memchr for 0xFF plus a byte sum), in one run.
set -eu
build=${1:?usage: bench/evidence/run.sh BUILD_DIR [MIB]}
if ! out=$(cmake --build "$build" --target bench_carve 2>&1); then
  printf '%s\n' "$out" >&2
  exit 1
fi
exec "$build/bench/evidence/bench_carve" "${2:-256}"
