#!/bin/sh
# test_scan.sh - vigil scan, summary, export and link on small evidence with
# known answers, hostile files included.
. "$(dirname "$0")/../testlib.sh"
mkdir -p "$T/a/sub" "$T/b"

# Case A: two pictures, a copy under a text name, hostile files, a text file.
cp "$D/pdq/dih/bridge-1-original.jpg" "$T/a/bridge.jpg"
cp "$D/pdq/bridge-mods/square-128x128.jpg" "$T/a/sub/holiday.txt"
cp "$D/pdq/dih/bridge-2-rotate-90.jpg" "$T/a/sub/rotated.jpg"
cp "$D/cli/giant.png" "$T/a/giant.png"
head -c 5000 "$D/pdq/dih/bridge-1-original.jpg" > "$T/a/cut.jpg"
cp "$D/cli/t1.bin" "$T/a/t1.bin"
"$VIGIL" scan --quiet --no-match --case "$T/a.case" "$T/a" 2>"$T/a.err"
rc=$?
[ $rc -eq 0 ] && ok || bad "scan exit $rc: $(cat "$T/a.err")"
# rotated.jpg carries an EXIF thumbnail: it is an item of its own
has "$T/a.err" "7 items recorded (0 already there), 2 with errors" "scan counts"
has "$T/a.err" "2 near-duplicate clusters" "cluster count"

"$VIGIL" summary "$T/a.case" > "$T/a.sum"
has "$T/a.sum" "items           7" "summary items"
has "$T/a.sum" "images          6" "summary images"
has "$T/a.sum" "NEW images      6" "summary new"
has "$T/a.sum" "errors          2" "summary errors"
has "$T/a.sum" "near-duplicates 2 clusters of 4 images" "summary clusters"
has "$T/a.sum" "hash chain intact" "summary audit"

"$VIGIL" export "$T/a.case" > "$T/a.jsonl"
[ "$(wc -l < "$T/a.jsonl" | tr -d ' ')" = 7 ] && ok || bad "export line count"
# NEW images come first, the text file last
tail -n 1 "$T/a.jsonl" | grep -q '"name":"t1.bin"' && ok || bad "non-image last"
grep '"name":"giant.png"' "$T/a.jsonl" > "$T/giant.line"
has "$T/giant.line" '"status":"limit_pixels"' "giant recorded with its error"
has "$T/giant.line" '"md5":"41ccf77bedf74641bbef6acdc1971584"' "giant still digested"
grep '"name":"cut.jpg"' "$T/a.jsonl" > "$T/cut.line"
has "$T/cut.line" '"status":"truncated"' "cut recorded as truncated"
grep '"name":"sub/holiday.txt"' "$T/a.jsonl" > "$T/hol.line"
has "$T/hol.line" '"type":"jpeg","ext_mismatch":true' "a picture named .txt"
grep '"name":"bridge.jpg"' "$T/a.jsonl" > "$T/br.line"
has "$T/br.line" '"pdq":"d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22"' "bridge pdq"
has "$T/br.line" '"cluster":1,"cluster_rep":true' "bridge represents its cluster"
has "$T/hol.line" '"cluster":1,"cluster_rep":false' "the small copy joins it"
has "$T/a.jsonl" '"evidence":1,"seq":' "keys"

# CSV export has a header and the same rows
"$VIGIL" export --format csv "$T/a.case" > "$T/a.csv"
[ "$(wc -l < "$T/a.csv" | tr -d ' ')" = 8 ] && ok || bad "csv line count"
grep '"name":"sub/rotated.jpg"' "$T/a.jsonl" > "$T/rot.line"
grep 'ExifThumbnail' "$T/a.jsonl" > "$T/thumb.line"
has "$T/thumb.line" '"source":"embedded"' "thumbnail is an embedded item"
has "$T/thumb.line" '"parent_seq":5' "thumbnail's parent is the picture"
has "$T/rot.line" '"thumb_distance":' "thumbnail distance recorded"
has "$T/rot.line" '"thumb_differs":false' "the thumbnail shows the same picture"

# DFXML: one fileobject per item, with its digests
"$VIGIL" export --format dfxml "$T/a.case" > "$T/a.xml"
[ "$(grep -c '<fileobject>' "$T/a.xml")" = 7 ] && ok || bad "dfxml fileobjects"
has "$T/a.xml" '<hashdigest type="md5">41ccf77bedf74641bbef6acdc1971584</hashdigest>' "dfxml md5"
has "$T/a.xml" "<image_filename>$T/a</image_filename>" "dfxml source"
tail -n 1 "$T/a.xml" | grep -q '</dfxml>' && ok || bad "dfxml closed"

# VICS: the case's pictures as a hash set that vigil itself imports again
"$VIGIL" export --format vics "$T/a.case" > "$T/a.vics.json"
has "$T/a.vics.json" '"@odata.context"' "vics context"
lib="$T/lib.db"
"$VIGIL" sets import --library "$lib" case-a "$T/a.vics.json" > "$T/imp.out" 2>&1 && ok || bad "vics import: $(cat "$T/imp.out")"
"$VIGIL" match --library "$lib" "$D/pdq/dih/bridge-1-original.jpg" > "$T/m.jsonl" 2>/dev/null
has "$T/m.jsonl" '"set":"case-a","kind":"md5"' "shared hashes match the original"

# Case B: the same bridge file, and a re-encoded near copy; link B to A.
cp "$D/pdq/dih/bridge-1-original.jpg" "$T/b/same.jpg"
cp "$D/pdq/bridge-mods/blur-a-little.jpg" "$T/b/blurred.jpg"
cp "$D/cli/t1.bin" "$T/b/other-name.bin"
"$VIGIL" scan --quiet --no-match --case "$T/b.case" "$T/b" 2>/dev/null
"$VIGIL" link "$T/b.case" "$T/a.case" > "$T/link.jsonl" 2>"$T/link.err"
has "$T/link.jsonl" "\"path\":\"$T/b/same.jpg\",\"kind\":\"sha1\",\"distance\":0" "same file linked by sha1"
has "$T/link.jsonl" "\"path\":\"$T/b/blurred.jpg\",\"kind\":\"pdq\"" "near copy linked by pdq"
has "$T/link.jsonl" "\"path\":\"$T/b/other-name.bin\",\"kind\":\"sha1\"" "renamed file linked"
has "$T/link.err" "links to 1 earlier case" "link summary"

# Scanning the same evidence into the same case adds nothing.
"$VIGIL" scan --quiet --no-match --case "$T/a.case" "$T/a" 2>"$T/again.err"
has "$T/again.err" "0 items recorded (7 already there)" "rescan adds nothing"

# Steganalysis: a JPEG with a zip appended gets the verdict "payload", and
# the zip becomes an item of its own (sub 1), hashed like any file.
mkdir -p "$T/s" "$T/sz"
cp "$D/cli/t1.bin" "$T/sz/deep.bin"
(cd "$T/sz" && zip -q secret.zip deep.bin)
cat "$D/pdq/bridge-mods/square-256x256.jpg" "$T/sz/secret.zip" > "$T/s/holiday.jpg"
cp "$D/pdq/bridge-mods/square-128x128.jpg" "$T/s/plain.jpg"
jpgsize=$(wc -c < "$D/pdq/bridge-mods/square-256x256.jpg" | tr -d ' ')
zipmd5=$(md5sum "$T/sz/secret.zip" | cut -d' ' -f1)
"$VIGIL" scan --quiet --no-match --no-archives --case "$T/s.case" "$T/s" 2>/dev/null
"$VIGIL" export "$T/s.case" > "$T/s.jsonl"
grep '"name":"holiday.jpg"' "$T/s.jsonl" > "$T/hd.line"
has "$T/hd.line" '"steg_verdict":"payload"' "appended zip found"
grep '"name":"plain.jpg"' "$T/s.jsonl" > "$T/pl.line"
has "$T/pl.line" '"steg_verdict":"clean"' "clean picture"
grep '"sub":1' "$T/s.jsonl" > "$T/pay.line"
has "$T/pay.line" "\"name\":\"\$Payload/$jpgsize.zip\"" "payload item named by its offset and type"
has "$T/pay.line" "\"md5\":\"$zipmd5\"" "payload hashed"
has "$T/pay.line" '"flags":"payload"' "payload flag"
"$VIGIL" summary "$T/s.case" > "$T/s.sum"
has "$T/s.sum" "hidden data     1 pictures with a payload" "summary counts payloads"
"$VIGIL" scan --quiet --no-match --no-steg --case "$T/s2.case" "$T/s" 2>/dev/null
"$VIGIL" export "$T/s2.case" > "$T/s2.jsonl"
hasnt "$T/s2.jsonl" "steg_verdict" "--no-steg"

# Hostile evidence: a zip bomb, nesting past the depth limit, a corrupt
# archive, next to a giant-header PNG: no crash, every failure by name.
mkdir -p "$T/h" "$T/nest"
dd if=/dev/zero bs=1048576 count=64 2>/dev/null | (cd "$T/nest" && zip -q bomb.zip -)
mv "$T/nest/bomb.zip" "$T/h/bomb.zip"
cp "$D/cli/t1.bin" "$T/nest/deep.bin"
(cd "$T/nest" && zip -q l1.zip deep.bin && for k in 2 3 4 5 6 7 8; do zip -q "l$k.zip" "l$((k - 1)).zip"; done)
cp "$T/nest/l8.zip" "$T/h/deep.zip"
head -c 300 "$T/h/deep.zip" > "$T/h/cut.zip"
cp "$D/cli/giant.png" "$T/h/giant.png"
"$VIGIL" scan --quiet --no-match --case "$T/h.case" "$T/h" 2>"$T/h.err"
[ $? -eq 0 ] && ok || bad "hostile scan exit: $(cat "$T/h.err")"
"$VIGIL" export "$T/h.case" > "$T/h.jsonl"
grep '"name":"bomb.zip"' "$T/h.jsonl" | grep -q '"status":"limit"' && ok || bad "zip bomb stopped by a limit: $(grep bomb "$T/h.jsonl" | head -c 400)"
grep -q '"status":"limit".*deep\|deep.*"status":"limit"' "$T/h.jsonl" && ok || bad "nesting past the depth limit reported"
grep '"name":"cut.zip"' "$T/h.jsonl" | grep -qv '"status":"ok"' && ok || bad "corrupt archive reported"
grep '"name":"giant.png"' "$T/h.jsonl" | grep -q '"status":"limit_pixels"' && ok || bad "giant png"
grep -q '"name":"deep.bin"' "$T/h.jsonl" && bad "an item past the depth limit was read" || ok

# Evidence that is not there: exit 1, and the case does not record it.
"$VIGIL" scan --quiet --no-match --case "$T/m.case" "$T/no-such-evidence" 2>"$T/m.err"
[ $? -eq 1 ] && ok || bad "missing evidence exit status"
has "$T/m.err" "no-such-evidence: cannot examine" "missing evidence named"
"$VIGIL" summary "$T/m.case" > "$T/m.sum"
has "$T/m.sum" "evidence        0" "missing evidence not recorded"

# Usage errors
"$VIGIL" scan "$T/a" >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "scan without --case"
"$VIGIL" scan --case "$T/x.case" --resume "$T/a" >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "resume with evidence"
"$VIGIL" summary "$T/none.case" >/dev/null 2>&1; [ $? -eq 3 ] && ok || bad "summary of a missing case"

finish
