#!/bin/sh
# test_resume.sh - a scan killed with SIGKILL at several moments, then resumed,
# records exactly the items of an uninterrupted scan: none lost, none twice.
. "$(dirname "$0")/../testlib.sh"
mkdir -p "$T/ev"

# Evidence: 240 pictures (hard links: each is decoded, none costs disk) and
# 240 small files, in nested folders.
i=0
while [ $i -lt 240 ]; do
  d="$T/ev/d$((i % 7))"
  mkdir -p "$d"
  ln "$D/pdq/bridge-mods/square-512x512.jpg" "$d/p$i.jpg" 2>/dev/null || cp "$D/pdq/bridge-mods/square-512x512.jpg" "$d/p$i.jpg"
  echo "note $i" > "$d/n$i.txt"
  i=$((i + 1))
done
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Steganalysis is off: it is not what this test is about, and it triples the
# time of a sanitizer build. The reference: one uninterrupted scan, timed so that the kills below land
# inside a run whatever the machine's speed (sanitizer builds are slower).
t0=$(now_ms)
"$VIGIL" scan --quiet --no-match --no-steg --threads 2 --case "$T/clean.case" "$T/ev" 2>"$T/clean.err" || bad "clean scan failed: $(cat "$T/clean.err")"
run_ms=$(($(now_ms) - t0))
[ $run_ms -lt 200 ] && run_ms=200
step() { sleep "$(awk "BEGIN{print $run_ms * $1 / 1000}")"; }
"$VIGIL" export "$T/clean.case" > "$T/clean.jsonl" || bad "export of clean case"
n=$(wc -l < "$T/clean.jsonl" | tr -d ' ')
[ "$n" -eq 480 ] && ok || bad "clean scan recorded $n items, want 480"

# Killed at several moments, resumed after each kill.
"$VIGIL" scan --quiet --no-match --no-steg --threads 2 --case "$T/killed.case" "$T/ev" 2>/dev/null &
pid=$!
step 0.3
kill -9 $pid 2>/dev/null && kills=1 || kills=0
wait $pid 2>/dev/null
for frac in 0.2 0.25 0.3; do
  "$VIGIL" scan --quiet --case "$T/killed.case" --resume 2>/dev/null &
  pid=$!
  step $frac
  kill -9 $pid 2>/dev/null && kills=$((kills + 1))
  wait $pid 2>/dev/null
done
"$VIGIL" scan --quiet --case "$T/killed.case" --resume 2>"$T/resume.err" || bad "final resume failed: $(cat "$T/resume.err")"
"$VIGIL" export "$T/killed.case" > "$T/killed.jsonl" || bad "export of killed case"
if cmp -s "$T/clean.jsonl" "$T/killed.jsonl"; then ok; else
  bad "resumed case differs from the clean one"; diff "$T/clean.jsonl" "$T/killed.jsonl" | head -5 >&2
fi
echo "kills that hit a running scan: $kills"
[ "$kills" -ge 1 ] && ok || bad "no kill hit a running scan: the test proved nothing"

# A second scan of the same evidence gives identical records.
"$VIGIL" scan --quiet --no-match --no-steg --case "$T/again.case" "$T/ev" 2>/dev/null
"$VIGIL" export "$T/again.case" > "$T/again.jsonl"
cmp -s "$T/clean.jsonl" "$T/again.jsonl" && ok || bad "two scans differ"

# The audit log's chain holds in the resumed case.
"$VIGIL" summary "$T/killed.case" > "$T/summary.txt" && ok || bad "summary of the resumed case"
grep -q "hash chain intact" "$T/summary.txt" && ok || bad "audit chain: $(cat "$T/summary.txt")"

finish
