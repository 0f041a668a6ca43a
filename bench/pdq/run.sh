#!/bin/sh
# bench/pdq/run.sh BUILD_DIR [CORPUS] [bench_pdq options]: PDQ images/s on one
# core for vigil exact and fast mode against libjpeg-turbo's full and 1/8
# decode of the same in-memory files, fast-vs-exact hash distances, the
# transformed-copy match check, and exact mode on PNG/WebP/HEIC copies.
# Builds the corpus first when it is missing (make-corpus.sh, a few minutes).
# Add --explore to also time every fast-mode candidate.
set -eu
build=${1:?usage: bench/pdq/run.sh BUILD_DIR [CORPUS] [--rounds N] [--explore]}
shift
corpus=/var/tmp/vigil-bench-corpus
if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then
  corpus=$1
  shift
fi
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -s "$corpus/transformed/pairs.txt" ]; then
  "$here/make-corpus.sh" "$corpus" >&2
fi
if ! out=$(cmake --build "$build" --target bench_pdq 2>&1); then
  printf '%s\n' "$out" >&2
  exit 1
fi
exec "$build/bench/pdq/bench_pdq" "$corpus" "$@"
