#!/bin/sh
# test_cli.sh - `vigil review` as a command: usage errors, a case that does
# not exist, a scheme with nothing to choose, the one line it prints, and a
# clean exit on SIGTERM with nothing about the evidence on its outputs.
. "$(dirname "$0")/../testlib.sh"

mkdir -p "$T/ev/holiday"
cp "$D/pdq/bridge-mods/square-128x128.jpg" "$T/ev/holiday/secret-name.jpg"
"$VIGIL" scan --case "$T/c.case" "$T/ev" >"$T/scan.out" 2>"$T/scan.err"
expect_eq "$?" 0 "scan"

"$VIGIL" review >/dev/null 2>&1
expect_eq "$?" 2 "no case"
"$VIGIL" review "$T/c.case" --port abc >/dev/null 2>&1
expect_eq "$?" 2 "bad port"
"$VIGIL" review "$T/c.case" --port 70000 >/dev/null 2>&1
expect_eq "$?" 2 "port out of range"
"$VIGIL" review "$T/none.case" >/dev/null 2>"$T/err1"
expect_eq "$?" 3 "missing case"
has "$T/err1" "no such case" "missing case message"
"$VIGIL" review "$T/c.case" --scheme custom >"$T/out2" 2>"$T/err2"
expect_eq "$?" 3 "custom scheme"
has "$T/err2" "no categories" "custom scheme message"
expect_eq "$(wc -c <"$T/out2")" 0 "nothing on stdout when it cannot start"

"$VIGIL" review "$T/c.case" --examiner tester >"$T/out" 2>"$T/err" &
pid=$!
i=0
while [ $i -lt 100 ] && ! grep -q token "$T/out"; do
  sleep 0.1
  i=$((i + 1))
done
has "$T/out" '^vigil review: open http://127\.0\.0\.1:[0-9][0-9]*/?token=[0-9a-f]\{32\}$' "the URL line"
expect_eq "$(wc -l <"$T/out")" 1 "one line on stdout"
kill -TERM "$pid"
wait "$pid"
expect_eq "$?" 0 "exit after SIGTERM"
hasnt "$T/out" "secret-name" "no evidence path on stdout"
hasnt "$T/err" "secret-name" "no evidence path on stderr"
finish
