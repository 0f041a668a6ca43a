#!/bin/sh
# test_thumbs.sh - vigil scan stores a clear colour preview (<= 160 pixels on
# the long side, a JPEG) with every picture it decodes, none for what does not
# decode, and none at all with --no-thumbnails; a resumed scan keeps them.
. "$(dirname "$0")/../testlib.sh"
mkdir -p "$T/ev"
cp "$D/pdq/dih/bridge-1-original.jpg" "$T/ev/bridge.jpg"
cp "$D/pdq/bridge-mods/square-128x128.jpg" "$T/ev/square.jpg"
head -c 5000 "$D/pdq/dih/bridge-1-original.jpg" > "$T/ev/cut.jpg"
cp "$D/cli/t1.bin" "$T/ev/t1.bin"

"$VIGIL" scan --quiet --no-match --no-steg --case "$T/a.case" "$T/ev" 2>"$T/a.err" ||
  bad "scan: $(cat "$T/a.err")"
q() { sqlite3 "$1" "$2"; }
expect_eq "$(q "$T/a.case" "SELECT group_concat(name, ' ') FROM (SELECT i.name FROM thumbs t
  JOIN items i ON i.id=t.item_id ORDER BY i.name)")" "bridge.jpg square.jpg" "previews for the decoded pictures"
# extract one and look at it with vigil itself
q "$T/a.case" "SELECT writefile('$T/b.jpg', jpeg) FROM thumbs t JOIN items i ON i.id=t.item_id
  WHERE i.name='bridge.jpg'" >/dev/null
"$VIGIL" hash --format jsonl "$T/b.jpg" > "$T/b.json"
has "$T/b.json" '"type":"jpeg"' "the preview is a JPEG"
# bridge-1-original.jpg is 1600 x 1004 pixels: 160 x 100
has "$T/b.json" '"width":160,"height":100' "the preview's size"
q "$T/a.case" "SELECT writefile('$T/s.jpg', jpeg) FROM thumbs t JOIN items i ON i.id=t.item_id
  WHERE i.name='square.jpg'" >/dev/null
"$VIGIL" hash --format jsonl "$T/s.jpg" > "$T/s.json"
has "$T/s.json" '"width":128,"height":128' "a small picture is not enlarged"

"$VIGIL" scan --quiet --no-match --no-steg --no-thumbnails --case "$T/n.case" "$T/ev" 2>"$T/n.err" ||
  bad "scan --no-thumbnails: $(cat "$T/n.err")"
expect_eq "$(q "$T/n.case" "SELECT count(*) FROM thumbs")" 0 "--no-thumbnails stores none"
# the option is recorded with the evidence, so a resume repeats it
has_text "$(q "$T/n.case" "SELECT options FROM evidence")" '"thumbnails":0' "option recorded"
finish
