# testlib.sh - what vigil's shell tests share. Source it first:
#   . "$(dirname "$0")/../testlib.sh"
# It sets D (test data), T (this test's scratch directory, emptied), the
# counters, and assertions that record a failure and go on; finish prints
# "N passed, N failed" and gives the exit status.
set -u
D=$VG_TEST_DATA
T=$VG_TEST_TMP
rm -rf "$T" && mkdir -p "$T"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
# has_text TEXT NEEDLE DESC: TEXT contains NEEDLE literally
has_text() { case "$1" in *"$2"*) ok ;; *) bad "$3: '$2' not in: $1" ;; esac; }
lacks_text() { case "$1" in *"$2"*) bad "$3: '$2' unexpectedly in: $1" ;; *) ok ;; esac; }
# has FILE PATTERN DESC: a line of FILE matches the grep PATTERN
has() { grep -q -- "$2" "$1" && ok || bad "$3: '$2' not in $1: $(head -c 600 "$1")"; }
hasnt() { grep -q -- "$2" "$1" && bad "$3: '$2' in $1" || ok; }
expect_eq() { [ "$1" = "$2" ] && ok || bad "$3: got '$1', want '$2'"; }
finish() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}
