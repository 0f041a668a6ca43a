#!/bin/sh
# test_steg.sh - `vigil steg`: verdicts, located payloads, extraction.
. "$(dirname "$0")/../testlib.sh"
mkdir -p "$T/out" "$T/z"

cp "$D/cli/t1.bin" "$T/z/t1.bin"
(cd "$T/z" && zip -q secret.zip t1.bin)
jpg="$D/pdq/bridge-mods/square-256x256.jpg"
cat "$jpg" "$T/z/secret.zip" > "$T/holiday.jpg"
off=$(wc -c < "$jpg" | tr -d ' ')
zlen=$(wc -c < "$T/z/secret.zip" | tr -d ' ')

out=$("$VIGIL" steg "$T/holiday.jpg" 2>/dev/null); rc=$?
[ $rc -eq 0 ] && ok || bad "exit status $rc"
has_text "$out" '"verdict":"payload"' "verdict"
has_text "$out" "\"kind\":\"appended\",\"offset\":$off,\"length\":$zlen" "payload located"
has_text "$out" '"payload_type":"zip"' "payload type"

out=$("$VIGIL" steg "$jpg" 2>/dev/null)
has_text "$out" '"verdict":"clean"' "clean picture"
has_text "$out" '"jpeg":{"jsteg_prefix":' "JPEG statistics given"

out=$("$VIGIL" steg --format text "$T/holiday.jpg" 2>/dev/null)
has_text "$out" "appended at $off, $zlen bytes, zip" "text format"

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

finish
