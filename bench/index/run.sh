#!/bin/sh
# bench/index/run.sh BUILD_DIR [N] [QUERIES]: the PDQ and exact index benchmark
# (bench_index.c) on N random codes (default 10 M) with QUERIES queries
# (default 2000); every figure is printed beside a brute-force or raw-memory
# baseline measured in the same run. Needs ~3 GB of RAM and ~1 GB in $TMPDIR.
set -e
build=${1:?usage: bench/index/run.sh BUILD_DIR [N] [QUERIES]}
cmake --build "$build" --target bench_index >/dev/null
exec "$build/bench/index/bench_index" "${2:-10000000}" "${3:-2000}" \
    "${TMPDIR:-/tmp}/vigil-bench-index.$$.idx" all
