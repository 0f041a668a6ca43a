#!/bin/sh
# test_hash.sh - end-to-end tests of `vigil hash` against known answers.
# Needs: $VIGIL (the binary), $VG_TEST_DATA, $VG_TEST_TMP.
. "$(dirname "$0")/../testlib.sh"

# 1. digests of a known byte string (shared/formats T1)
out=$("$VIGIL" hash "$D/cli/t1.bin"); rc=$?
expect_eq "$rc" 0 "t1 exit status"
has_text "$out" '"md5":"50829c3e395d2dbc0cd6d60ea387e4b9"' "t1 md5"
has_text "$out" '"sha1":"a07ab30f73bdf292bd95b3c671879630d8be53e8"' "t1 sha1"
has_text "$out" '"sha256":"4194de13a446f49d06bc8f7544e84b8e35aeab9fda3483733fe3c94ddfd543b0"' "t1 sha256"
has_text "$out" '"size":32,"type":"unknown"' "t1 size and type"
has_text "$out" '"pdq":null' "t1 has no pdq"
lacks_text "$out" '"error"' "t1 has no error"

# 2. PDQ of the reference bridge picture, bit for bit
out=$("$VIGIL" hash "$D/pdq/dih/bridge-1-original.jpg")
has_text "$out" '"type":"jpeg","width":1600,"height":1004' "bridge type and size"
has_text "$out" '"pdq":"d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22","pdq_quality":100' "bridge pdq"

# dihedral variants, as the reference derives them
out=$("$VIGIL" hash --dihedral "$D/pdq/dih/bridge-1-original.jpg")
has_text "$out" '"rot90":"f0a10efd51c83d429053d48d0fffbc52e34e0e17ada956a9d29685211ea9e58f"' "rot90"
has_text "$out" '"flipminus1":"a5f44ba8a4996a17cd06a1d85aaaa927b61b5b42f8fc03fc83c3d0740bfcb0fa"' "flipminus1"

# 3. hostile files: exact error kinds, digests still given, exit status 1
head -c 20000 "$D/pdq/dih/bridge-1-original.jpg" > "$T/truncated.jpg"
cp "$D/pdq/dih/bridge-1-original.jpg" "$T/bitflip.jpg"
for off in 3001 7919 15013 40009 90001 150001 250007; do
  printf '\377\000' | dd of="$T/bitflip.jpg" bs=1 seek=$off conv=notrunc 2>/dev/null
done
out=$("$VIGIL" hash "$D/cli/giant.png"); rc=$?
expect_eq "$rc" 1 "giant exit status"
has_text "$out" '"type":"png","width":100000,"height":100000' "giant header read"
has_text "$out" '"error_kind":"limit_pixels"' "giant error kind"
has_text "$out" '"md5":"' "giant still has md5"
out=$("$VIGIL" hash "$T/truncated.jpg"); rc=$?
expect_eq "$rc" 1 "truncated exit status"
has_text "$out" '"error_kind":"truncated"' "truncated error kind"
out=$("$VIGIL" hash "$D/cli/empty.jpg"); rc=$?
expect_eq "$rc" 0 "empty file is hashed"
has_text "$out" '"size":0,"type":"unknown"' "empty size"
has_text "$out" '"md5":"d41d8cd98f00b204e9800998ecf8427e"' "empty md5"
out=$("$VIGIL" hash "$T/bitflip.jpg")
has_text "$out" '"type":"jpeg"' "bit-flipped jpeg is still typed"
out=$("$VIGIL" hash "$T/does-not-exist.jpg" 2>/dev/null); rc=$?
expect_eq "$rc" 1 "missing file exit status"
has_text "$out" '"error_kind":"open"' "missing file error kind"

# 4. type by content: a PNG named .jpg
cp "$D/pdq/bridge-mods/square-128x128.jpg" "$T/looks-like.png"
out=$("$VIGIL" hash "$T/looks-like.png")
has_text "$out" '"type":"jpeg","width":128,"height":128' "jpeg under a png name"

# 5. directory walk: sorted, symlinks and FIFOs not followed
mkdir -p "$T/tree/b" "$T/tree/a"
cp "$D/cli/t1.bin" "$T/tree/b/2.bin"
cp "$D/cli/t1.bin" "$T/tree/a/1.bin"
cp "$D/cli/t1.bin" "$T/tree/0.bin"
ln -s /etc/passwd "$T/tree/link"
mkfifo "$T/tree/fifo" 2>/dev/null
out=$("$VIGIL" hash --format csv "$T/tree" 2>"$T/err"); rc=$?
expect_eq "$rc" 0 "tree exit status"
expect_eq "$(echo "$out" | sed -n 1p)" "path,size,type,width,height,md5,sha1,sha256,pdq,pdq_quality,error_kind,error" "csv header"
expect_eq "$(echo "$out" | sed 1d | cut -d, -f1 | tr '\n' ' ')" "$T/tree/0.bin $T/tree/a/1.bin $T/tree/b/2.bin " "walk order"
lacks_text "$out" "passwd" "symlink not followed"
has_text "$(cat "$T/err")" "3 files, 0 images, 0 errors, 2 links or special files skipped" "summary"

# 6. the same input gives the same output
a=$("$VIGIL" hash "$D/pdq/bridge-mods" 2>/dev/null)
b=$("$VIGIL" hash "$D/pdq/bridge-mods" 2>/dev/null)
expect_eq "$a" "$b" "repeatable output"
expect_eq "$(echo "$a" | wc -l | tr -d ' ')" 12 "one record per file"

# 7. text format and P2P identifiers of the empty file (well-known values)
out=$("$VIGIL" hash --format text --p2p "$D/cli/empty.jpg")
has_text "$out" "ed2k 31d6cfe0d16ae931b73c59d7e0c089c0" "empty ed2k"
has_text "$out" "urn:sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ" "empty urn:sha1"

# 8. usage errors exit 2
"$VIGIL" hash --format xml "$D/cli/t1.bin" >/dev/null 2>&1; expect_eq "$?" 2 "bad format"
"$VIGIL" hash >/dev/null 2>&1; expect_eq "$?" 2 "no path"
"$VIGIL" hash --pdq-mode slow x >/dev/null 2>&1; expect_eq "$?" 2 "bad pdq mode"
"$VIGIL" hash --max-pixels lots x >/dev/null 2>&1; expect_eq "$?" 2 "bad max-pixels"
"$VIGIL" hash --help | grep -q -- "--pdq-mode" && ok || bad "help mentions --pdq-mode"
"$VIGIL" help hash | grep -q "usage: vigil hash" && ok || bad "vigil help hash"

# 9. a pixel limit from the command line applies
out=$("$VIGIL" hash --max-pixels 1000000 "$D/pdq/dih/bridge-1-original.jpg")
has_text "$out" '"error_kind":"limit_pixels"' "--max-pixels"

finish
