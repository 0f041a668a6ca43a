#!/bin/sh
# run.sh - the browser tests of `vigil review` (CTest browser_review): builds the
# benign demo case with scripts/demo, starts `vigil review` on it, runs
# review.test.mjs in Debian's headless Chromium, and always stops the server.
# Needs VIGIL and VG_TEST_TMP (set by CTest) and tests/browser/node_modules
# (scripts/bootstrap installs it with npm ci).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
T=$VG_TEST_TMP
rm -rf "$T" && mkdir -p "$T/bin" "$T/tmp" "$T/home"

if [ ! -d "$here/node_modules/playwright-core" ]; then
  echo "browser_review: $here/node_modules is missing: run scripts/bootstrap (it runs npm ci there)" >&2
  exit 1
fi
for tool in node /usr/bin/chromium; do
  command -v "$tool" >/dev/null 2>&1 || { echo "browser_review: $tool missing: run scripts/bootstrap" >&2; exit 1; }
done

# scripts/demo works next to the vigil it is given: a link keeps it inside $T.
ln -s "$VIGIL" "$T/bin/vigil"
if ! "$top/scripts/demo" "$T/bin/vigil" >"$T/demo.log" 2>&1; then
  echo "browser_review: scripts/demo failed:" >&2
  cat "$T/demo.log" >&2
  exit 1
fi
case=$T/bin/demo/demo.case

"$VIGIL" review "$case" --examiner tester >"$T/server.out" 2>"$T/server.err" &
pid=$!
trap 'kill "$pid" 2>/dev/null' EXIT
trap 'exit 1' INT TERM

url=""
i=0
while [ $i -lt 100 ]; do
  url=$(sed -n 's|^vigil review: open \(http://127\.0\.0\.1:[0-9]*/?token=[0-9a-f]\{32\}\)$|\1|p' "$T/server.out")
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
  i=$((i + 1))
done
if [ -z "$url" ]; then
  echo "browser_review: vigil review printed no URL; stdout: $(cat "$T/server.out"); stderr: $(cat "$T/server.err")" >&2
  exit 1
fi

REVIEW_URL=$url CASE=$case VIGIL=$VIGIL VG_TEST_TMP=$T TMPDIR=$T/tmp HOME=$T/home \
  XDG_CONFIG_HOME=$T/home/.config XDG_CACHE_HOME=$T/home/.cache \
  node "$here/review.test.mjs"
rc=$?

# SIGTERM ends the server cleanly (exit 0).
kill "$pid"
wait "$pid"
src=$?
trap - EXIT
if [ $src -ne 0 ]; then
  echo "browser_review: vigil review exited $src after SIGTERM; stderr: $(tail -c 2000 "$T/server.err")" >&2
  rc=1
fi
exit $rc
