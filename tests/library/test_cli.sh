#!/bin/sh
# test_cli.sh - `vigil sets` and `vigil match` end to end: outputs, exit
# codes, and error messages naming file and line. Run by CTest with $VIGIL,
# $VG_TEST_DATA and $VG_TEST_TMP set.
set -u
: "${VIGIL:?}" "${VG_TEST_DATA:?}" "${VG_TEST_TMP:=/tmp/vigil-test-cli}"
T=$VG_TEST_TMP
rm -rf "$T" && mkdir -p "$T/files" || exit 1
L=$T/lib.db
D=$VG_TEST_DATA/hashset
passed=0
failed=0

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

# run EXPECTED_EXIT CMD...: runs CMD with stdout in $T/out, stderr in $T/err.
run() {
    want=$1
    shift
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else
        bad "exit $got (want $want): $*"
        sed 's/^/  stderr: /' "$T/err" >&2
    fi
}
# has FILE TEXT: FILE contains the fixed string TEXT.
has() { if grep -qF -- "$2" "$1"; then ok; else bad "$1 lacks '$2'"; sed 's/^/  | /' "$1" | head -20 >&2; fi; }
hasnt() { if grep -qF -- "$2" "$1"; then bad "$1 has '$2'"; else ok; fi; }
lines() { n=$(wc -l <"$1"); if [ "$n" -eq "$2" ]; then ok; else bad "$1: $n lines, want $2"; fi; }

for i in 1 2 3 4 5 6; do
    printf "SYNTHETIC-BENIGN-TEST-FILE-000$i\n" >"$T/files/t$i.bin"
done

# ---- sets import / list / show
run 0 "$VIGIL" sets import media "$D/vics-2.0-hashset-media.json" --library "$L"
has "$T/out" "imported set 'media'"
has "$T/out" "7 entries (md5 7, sha1 5, sha256 0, pdq 0, photodna 1)"
run 0 "$VIGIL" sets import --library "$L" --format hashdeep deep "$D/hashdeep.txt"
has "$T/out" "3 entries (md5 3, sha1 0, sha256 3"
run 1 "$VIGIL" sets import media "$D/md5sum.txt" --library "$L"
has "$T/err" "a set named 'media' already exists"
printf '50829c3e395d2dbc0cd6d60ea387e4b9  t1.bin\n468acf7d463f98ce8e4b30014cc67cba  t2.bin\nnot-a-hash  t3.bin\n' >"$T/bad.txt"
run 1 "$VIGIL" sets import broken "$T/bad.txt" --format md5sum --library "$L"
has "$T/err" "bad.txt:3"
has "$T/err" "nothing imported"
run 2 "$VIGIL" sets import x "$D/md5sum.txt" --format nosuch --library "$L"
has "$T/err" "unknown hash-set format 'nosuch'"
run 2 "$VIGIL" sets import "bad/name" "$D/md5sum.txt" --library "$L"
run 2 "$VIGIL" sets import onlyname --library "$L"
run 2 "$VIGIL" sets frobnicate --library "$L"
run 2 "$VIGIL" sets import x "$D/md5sum.txt" --scheme /nonexistent/scheme --library "$L"
has "$T/err" "neither a built-in scheme"

run 0 "$VIGIL" sets list --library "$L"
lines "$T/out" 3
has "$T/out" "media"
hasnt "$T/out" "broken"
run 0 "$VIGIL" sets list --json --library "$L"
lines "$T/out" 2
has "$T/out" '"name":"deep","version":'
has "$T/out" '"entries":7,"md5":7,"sha1":5,"sha256":0,"pdq":0,"photodna":1'
has "$T/out" '"source_sha256":"5692ed399c6ae0ca5c09506dc163f4e15df55aa66a754187e977b1e9d456d29a"'

run 0 "$VIGIL" sets show media --library "$L" --limit 3
has "$T/out" "vics:         2.0, context Default"
has "$T/out" "scheme:       projectvic-us"
has "$T/out" "md5 50829c3e395d2dbc0cd6d60ea387e4b9"
hasnt "$T/out" "fb59333865aa695b45e6fe1d3347bbbc" # the 4th entry is past --limit
run 0 "$VIGIL" sets show media --json --library "$L"
has "$T/out" '"md5":"468acf7d463f98ce8e4b30014cc67cba","sha1":"2d82785f2f34a16a6f62887138a52d74341f8b28","category":"1"'
run 1 "$VIGIL" sets show nope --library "$L"
has "$T/err" "no set named 'nope'"
run 1 "$VIGIL" sets list --library "$T/absent.db"
has "$T/err" "absent.db"

# ---- export, and import of the export
run 0 "$VIGIL" sets export media --format plain --kind sha1 --library "$L"
lines "$T/out" 5
has "$T/out" "a07ab30f73bdf292bd95b3c671879630d8be53e8"
run 0 "$VIGIL" sets export media --format vics -o "$T/media.json" --library "$L"
has "$T/media.json" '#Media'
run 0 "$VIGIL" sets import media2 "$T/media.json" --library "$L"
has "$T/out" "7 entries (md5 7, sha1 5, sha256 0, pdq 0, photodna 1)"
run 0 "$VIGIL" sets export media2 --format md5sum --library "$L"
lines "$T/out" 7
run 2 "$VIGIL" sets export media --library "$L"
run 2 "$VIGIL" sets export media --format hashkeeper --library "$L"
run 1 "$VIGIL" sets export nope --format vics --library "$L"

# A scheme file: codes of its own, and needed again for a VICS export.
cat >"$T/local.scheme" <<'EOS'
name = local-test
none = Not graded
K0 = Keep 0
K0.vics = 0
K1 = Keep 1
K1.vics = 1
K2 = Keep 2
K2.vics = 2
K3 = Keep 3
K3.vics = 3
K4 = Keep 4
K4.vics = 4
EOS
run 0 "$VIGIL" sets import local "$D/vics-2.0-hashset-media.json" --scheme "$T/local.scheme" --library "$L"
has "$T/out" "scheme local-test"
run 0 "$VIGIL" sets show local --json --library "$L"
has "$T/out" '"category":"K1","category_label":"Keep 1"'
has "$T/out" '"category":"none","category_label":"Not graded"'
run 1 "$VIGIL" sets export local --format vics --library "$L"
has "$T/err" "give the scheme file"
run 0 "$VIGIL" sets export local --format vics --scheme "$T/local.scheme" -o "$T/local.json" --library "$L"
has "$T/local.json" '"Category": 1'
run 0 "$VIGIL" sets remove local --library "$L"

# ---- match
run 0 "$VIGIL" match --library "$L" --sets media,deep "$T/files"
lines "$T/out" 6
has "$T/err" "6 files, 5 matched, 15 matches, 0 errors"
grep -F '/t1.bin"' "$T/out" >"$T/t1" || true
has "$T/t1" '"sha256":"4194de13a446f49d06bc8f7544e84b8e35aeab9fda3483733fe3c94ddfd543b0"'
has "$T/t1" '"matches":[{"set":"deep","kind":"md5","distance":0,"category":"none"'
has "$T/t1" '{"set":"media","kind":"sha1","distance":0,"category":"0"'
grep -F '/t6.bin"' "$T/out" >"$T/t6" || true
has "$T/t6" '"matches":[]}'
grep -F '/t5.bin"' "$T/out" >"$T/t5" || true
has "$T/t5" '"matches":[{"set":"media","kind":"md5","distance":0,"category":"4"'

# The record is exactly vigil hash's, plus the matches.
"$VIGIL" hash "$T/files/t2.bin" >"$T/hash2" 2>/dev/null
"$VIGIL" match --library "$L" --sets deep "$T/files/t2.bin" >"$T/match2" 2>/dev/null
sed 's/,"matches":.*}$/}/' "$T/match2" >"$T/match2s"
if cmp -s "$T/hash2" "$T/match2s"; then ok; else bad "match record differs from hash record"; fi

run 0 "$VIGIL" match --library "$L" --sets deep --format csv "$T/files/t1.bin" "$T/files/t6.bin"
has "$T/out" "error_kind,error,matches"
has "$T/out" "deep:md5:0:none;deep:sha256:0:none"
run 0 "$VIGIL" match --library "$L" --sets media --format text "$T/files/t4.bin"
has "$T/out" "  match media md5 category 3"
run 1 "$VIGIL" match --library "$L" "$T/files/t1.bin" "$T/files/missing.bin"
has "$T/err" "2 files, 1 matched"
has "$T/out" '"error_kind":"open"'
run 2 "$VIGIL" match --library "$L" --radius 300 "$T/files"
run 2 "$VIGIL" match --library "$L" --sets , "$T/files"
has "$T/err" "--sets takes 1 to 255 set names"
run 2 "$VIGIL" match --library "$L" --min-quality x "$T/files"
run 2 "$VIGIL" match --library "$L"
run 3 "$VIGIL" match --library "$L" --sets nope "$T/files"
has "$T/err" "no set named 'nope'"
run 3 "$VIGIL" match --library "$T/absent.db" "$T/files"

# PDQ: bridge-1's hash finds its rotations only with --dihedral.
echo "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22,100,bridge" >"$T/bridge.pdq"
run 0 "$VIGIL" sets import bridge "$T/bridge.pdq" --format pdq --library "$L"
run 0 "$VIGIL" match --library "$L" --sets bridge "$VG_TEST_DATA/pdq/dih"
has "$T/err" "8 files, 1 matched, 1 matches, 0 errors"
run 0 "$VIGIL" match --library "$L" --sets bridge --dihedral "$VG_TEST_DATA/pdq/dih"
has "$T/err" "8 files, 8 matched, 8 matches, 0 errors"
has "$T/out" '"kind":"pdq","distance":12,"variant":"rot270"'
run 0 "$VIGIL" match --library "$L" --sets bridge --dihedral --min-quality 100 --radius 0 "$VG_TEST_DATA/pdq/dih"
has "$T/err" "8 files, 2 matched"

# The index cache sits beside the library, and a second run uses it.
if ls "$L.idx"/media-v*.exact >/dev/null 2>&1; then ok; else bad "no cached index in $L.idx"; fi
run 0 "$VIGIL" match --library "$L" --no-cache --sets media "$T/files/t1.bin"

# The default library: $XDG_DATA_HOME/vigil/library.db, directories made.
rm -rf "$T/xdg"
run 0 env XDG_DATA_HOME="$T/xdg/a/b" "$VIGIL" sets import deflib "$D/md5sum.txt"
if [ -f "$T/xdg/a/b/vigil/library.db" ]; then ok; else bad "no default library made"; fi
run 0 env XDG_DATA_HOME="$T/xdg/a/b" "$VIGIL" sets list
has "$T/out" "deflib"

# ---- remove
run 0 "$VIGIL" sets remove media2 --library "$L"
run 1 "$VIGIL" sets remove media2 --library "$L"
has "$T/err" "no set named 'media2'"
run 0 "$VIGIL" sets list --library "$L"
hasnt "$T/out" "media2"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
