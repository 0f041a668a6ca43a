#!/bin/sh
# test_steg.sh - `vigil steg`: verdicts, located payloads, extraction.
set -u
D=$VG_TEST_DATA
T=$VG_TEST_TMP
rm -rf "$T" && mkdir -p "$T/out" "$T/z"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
has() { case "$1" in *"$2"*) ok ;; *) bad "$3: '$2' not in: $1" ;; esac; }

cp "$D/cli/t1.bin" "$T/z/t1.bin"
(cd "$T/z" && zip -q secret.zip t1.bin)
jpg="$D/pdq/bridge-mods/square-256x256.jpg"
cat "$jpg" "$T/z/secret.zip" > "$T/holiday.jpg"
off=$(wc -c < "$jpg" | tr -d ' ')
zlen=$(wc -c < "$T/z/secret.zip" | tr -d ' ')

out=$("$VIGIL" steg "$T/holiday.jpg" 2>/dev/null); rc=$?
[ $rc -eq 0 ] && ok || bad "exit status $rc"
has "$out" '"verdict":"payload"' "verdict"
has "$out" "\"kind\":\"appended\",\"offset\":$off,\"length\":$zlen" "payload located"
has "$out" '"payload_type":"zip"' "payload type"

out=$("$VIGIL" steg "$jpg" 2>/dev/null)
has "$out" '"verdict":"clean"' "clean picture"
has "$out" '"jpeg":{"jsteg_prefix":' "JPEG statistics given"

out=$("$VIGIL" steg --format text "$T/holiday.jpg" 2>/dev/null)
has "$out" "appended at $off, $zlen bytes, zip" "text format"

"$VIGIL" steg --extract "$T/out" "$T/holiday.jpg" >/dev/null 2>&1 && ok || bad "extract"
cmp -s "$T/out/holiday.jpg.$off.zip" "$T/z/secret.zip" && ok || bad "extracted payload equals the zip"
"$VIGIL" steg --extract "$T/out" "$T/holiday.jpg" >/dev/null 2>&1
[ $? -eq 1 ] && ok || bad "an existing payload file is never overwritten"
"$VIGIL" steg --extract "$T/nowhere" "$T/holiday.jpg" >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "--extract into a missing directory"
"$VIGIL" steg "$T/missing.jpg" >/dev/null 2>&1
[ $? -eq 1 ] && ok || bad "missing file"
"$VIGIL" steg >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "no path"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
