#!/bin/sh
# bench/digest/run.sh BUILD_DIR [MIB]: MB/s of MD5+SHA-1+SHA-256 (and with the
# P2P identifiers) against a plain read of the same buffer, in one run.
set -eu
build=${1:?usage: bench/digest/run.sh BUILD_DIR [MIB]}
if ! out=$(cmake --build "$build" --target bench_digest 2>&1); then
  printf '%s\n' "$out" >&2
  exit 1
fi
exec "$build/bench/digest/bench_digest" "${2:-64}"
