#!/bin/sh
# bench/scan/run.sh BUILD_DIR [COPIES]: vigil scan throughput on a generated
# evidence tree of at least 2 GB, against the read + decode floor measured in
# the same run on the same tree with the same 2 threads (bench_scan).
# The tree is COPIES (default 5) hard-linked copies of the PDQ benchmark corpus
# (bench/pdq/make-corpus.sh: camera-sized JPEGs with PNG, WebP and HEIC
# copies, from Debian photo packages, fixed seed), so after the first pass the
# bytes come from the page cache: this measures processing, not the disk.
set -eu
build=${1:?usage: bench/scan/run.sh BUILD_DIR [COPIES]}
copies=${2:-5}
here=$(cd "$(dirname "$0")" && pwd)
corpus=/var/tmp/vigil-bench-corpus
tree=/var/tmp/vigil-bench-scan
[ -d "$corpus/jpeg" ] || "$here/../pdq/make-corpus.sh" "$corpus" >&2
cmake --build "$build" --target bench_scan vigil >/dev/null
if [ ! -f "$tree/.copies-$copies" ]; then
  rm -rf "$tree" && mkdir -p "$tree"
  i=1
  while [ $i -le "$copies" ]; do
    for d in jpeg png webp heic; do
      [ -d "$corpus/$d" ] && cp -al "$corpus/$d" "$tree/copy$i-$d"
    done
    i=$((i + 1))
  done
  touch "$tree/.copies-$copies"
fi
bytes=$(find "$tree" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
echo "tree: $(find "$tree" -type f | wc -l) files, $((bytes / 1000000)) MB (hard links over $(du -sh "$corpus" | cut -f1) of distinct bytes)"
find "$tree" -type f -exec cat {} + >/dev/null
floor=$("$build/bench/scan/bench_scan" "$tree" 2)
echo "$floor"
floor_s=$(echo "$floor" | sed 's/.* MB, \([0-9.]*\) s:.*/\1/')
# the default scan, then without previews, then without steganalysis too:
# each option's cost is the difference between neighbouring lines
for mode in default --no-thumbnails "--no-thumbnails --no-steg" --no-steg; do
  rm -f /var/tmp/vigil-bench-scan.case*
  opts=$([ "$mode" = default ] || echo "$mode")
  t0=$(date +%s%N)
  # shellcheck disable=SC2086 # opts is a list of options
  "$build/src/vigil" scan --quiet --no-match $opts \
    --threads 2 --case /var/tmp/vigil-bench-scan.case "$tree" 2>&1 | head -1
  t1=$(date +%s%N)
  awk -v ns=$((t1 - t0)) -v f="$floor_s" -v b="$bytes" -v m="$mode" 'BEGIN {
    s = ns / 1e9; printf "vigil scan (%s): %.2f s, %.1f MB/s, %.0f %% of the floor\n", m, s, b / 1e6 / s, 100 * f / s }'
done
rm -f /var/tmp/vigil-bench-scan.case*
