#!/bin/sh
# test_report.sh - vigil report on a scanned case: exit codes, byte-identical
# reports, escaped hostile names, NEW first, no scripts, --no-thumbnails,
# never writing into a non-empty directory.
. "$(dirname "$0")/../testlib.sh"
mkdir -p "$T/ev"
rc_is() { [ "$1" -eq "$2" ] && ok || bad "$3: exit $1, wanted $2"; }

cp "$D/pdq/dih/bridge-1-original.jpg" "$T/ev/<b>&\"x.jpg"
cp "$D/pdq/bridge-mods/square-128x128.jpg" "$T/ev/square.jpg"
cp "$D/cli/t1.bin" "$T/ev/t1.bin"
# a picture inside a zip: its preview comes from the one the scan stored (and,
# for a case scanned --no-thumbnails, from walking the evidence again: below)
mkdir "$T/z" && cp "$D/pdq/bridge-mods/shrink-a-lot.jpg" "$T/z/inner.jpg"
(cd "$T/z" && zip -q ../ev/pics.zip inner.jpg)
"$VIGIL" scan --quiet --no-match --case "$T/c.case" "$T/ev" 2>"$T/scan.err"
rc_is $? 0 "scan: $(cat "$T/scan.err")"

"$VIGIL" report "$T/c.case" -o "$T/r1" 2>"$T/r1.err"
rc_is $? 0 "report: $(cat "$T/r1.err")"
"$VIGIL" report "$T/c.case" --output "$T/r2" 2>/dev/null
rc_is $? 0 "second report"
diff -r "$T/r1" "$T/r2" >/dev/null && ok || bad "two reports of one case differ"
# one preview per picture: two plain files and the picture in the zip
[ "$(ls "$T/r1/thumbs" | wc -l | tr -d ' ')" = 3 ] && ok || bad "thumbs: $(ls "$T/r1/thumbs")"
hasnt "$T/r1/index.html" 'no preview' "every picture has its preview"
[ "$(grep -c '<img src="thumbs/' "$T/r1/index.html")" = 3 ] && ok || bad "3 previews linked"
has "$T/r1/index.html" 'pics.zip!/inner.jpg' "the zipped picture listed"
H=$T/r1/index.html
has "$H" '&lt;b&gt;&amp;&quot;x.jpg' "hostile name escaped"
hasnt "$H" '<b>' "no raw hostile markup"
hasnt "$H" '<script' "no scripts"
hasnt "$H" 'http' "no links out"
has "$H" 'hash chain intact' "audit status"
has "$H" '<img src="thumbs/1-' "relative preview links"
n=$(grep -n 'id="new"' "$H" | cut -d: -f1)
o=$(grep -n 'id="other"' "$H" | cut -d: -f1)
t=$(grep -n 't1.bin' "$H" | tail -n 1 | cut -d: -f1)
[ -n "$n" ] && [ -n "$o" ] && [ "$n" -lt "$o" ] && [ "$o" -lt "$t" ] && ok ||
    bad "NEW first, the text file under other items ($n $o $t)"

# never into a non-empty directory: refused, nothing changed
"$VIGIL" report "$T/c.case" -o "$T/r1" 2>"$T/r1b.err"
rc_is $? 3 "non-empty directory"
has "$T/r1b.err" "not empty" "why refused"
diff -r "$T/r1" "$T/r2" >/dev/null && ok || bad "refused report changed files"
# an empty directory is fine
mkdir "$T/r3"
"$VIGIL" report "$T/c.case" -o "$T/r3" --no-thumbnails 2>/dev/null
rc_is $? 0 "empty directory, --no-thumbnails"
[ ! -e "$T/r3/thumbs" ] && ok || bad "--no-thumbnails wrote thumbs/"
has "$T/r3/index.html" 'no preview (--no-thumbnails)' "--no-thumbnails said"
hasnt "$T/r3/index.html" '<img' "--no-thumbnails: no images"

"$VIGIL" report "$T/c.case" 2>/dev/null
rc_is $? 2 "no -o"
"$VIGIL" report -o "$T/r4" 2>/dev/null
rc_is $? 2 "no case"
"$VIGIL" report "$T/c.case" -o "$T/r4" --clear-thumbnails 2>/dev/null
rc_is $? 2 "no clear previews offered"
"$VIGIL" report "$T/none.case" -o "$T/r4" 2>/dev/null
rc_is $? 3 "missing case"
[ ! -e "$T/r4" ] && ok || bad "a failed report left $T/r4"
"$VIGIL" report --help | grep -q 'no-thumbnails' && ok || bad "help"

# a case scanned without stored previews: read back from the evidence, the
# zipped picture by walking the zip again
"$VIGIL" scan --quiet --no-match --no-thumbnails --case "$T/n.case" "$T/ev" 2>/dev/null
"$VIGIL" report "$T/n.case" -o "$T/r5" 2>/dev/null
rc_is $? 0 "report of a case without previews"
[ "$(ls "$T/r5/thumbs" | wc -l | tr -d ' ')" = 3 ] && ok || bad "r5 thumbs: $(ls "$T/r5/thumbs")"
hasnt "$T/r5/index.html" 'no preview' "every picture read back"
# with the evidence gone, the stored previews still make the report; the
# case scanned without them says why there is none
mv "$T/ev" "$T/ev-gone"
"$VIGIL" report "$T/c.case" -o "$T/r6" 2>/dev/null
rc_is $? 0 "report without the evidence"
[ "$(ls "$T/r6/thumbs" | wc -l | tr -d ' ')" = 3 ] && ok || bad "r6 thumbs: $(ls "$T/r6/thumbs")"
"$VIGIL" report "$T/n.case" -o "$T/r7" 2>/dev/null
rc_is $? 0 "report without evidence or previews"
has "$T/r7/index.html" 'no preview: cannot open it' "why no preview"
mv "$T/ev-gone" "$T/ev"

finish
