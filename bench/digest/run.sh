#!/bin/sh
# bench/digest/run.sh BUILD_DIR [MIB]: MB/s of MD5+SHA-1+SHA-256 (and with the
# P2P identifiers) against a plain read of the same buffer, in one run.
set -eu
build=${1:?usage: bench/digest/run.sh BUILD_DIR [MIB]}
cmake --build "$build" --target bench_digest >/dev/null
exec "$build/bench/digest/bench_digest" "${2:-64}"
