#!/bin/sh
# bench/serve/run.sh BUILD_DIR [N] [SECONDS]: `vigil serve` under wrk on
# loopback, against a library of N generated MD5 entries (default 1,000,000),
# SECONDS per run (default 10). Baseline in the same run: GET /v1/health (no
# auth, no body, no lookup), then single-hash and 100-hash lookups, then a
# run with 10 % malformed requests mixed in, with the server's RSS before and
# after. Prints requests/s, p50 and p99 latency and ratios to the baseline.
set -eu
build=${1:?usage: bench/serve/run.sh BUILD_DIR [N] [SECONDS]}
n=${2:-1000000}
secs=${3:-10}
command -v wrk >/dev/null || { echo "needs wrk (scripts/bootstrap --bench)" >&2; exit 1; }
cmake --build "$build" --target vigil bench_serve_gen >/dev/null
V=$build/src/vigil
dir=$(mktemp -d "${TMPDIR:-/tmp}/vigil-bench-serve.XXXXXX")
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
L=$dir/lib.db
"$build/bench/serve/bench_serve_gen" "$n" "$dir/md5.txt"
t0=$(date +%s.%N)
"$V" sets import gen "$dir/md5.txt" --format md5sum --library "$L" >/dev/null
t1=$(date +%s.%N)
echo "library: $n MD5 entries imported in $(echo "$t1 - $t0" | bc) s"
tok=$("$V" token add --role lookup --library "$L" bench)
"$V" serve --library "$L" --listen 127.0.0.1:0 --port-file "$dir/port" --log "$dir/access.log" \
    --threads 2 --max-connections 1024 2>"$dir/err" &
pid=$!
i=0
while [ ! -s "$dir/port" ] && kill -0 "$pid" 2>/dev/null && [ $i -lt 6000 ]; do sleep 0.1; i=$((i + 1)); done
url=http://127.0.0.1:$(cat "$dir/port")
t2=$(date +%s.%N)
echo "server up (matcher built) $(echo "$t2 - $t1" | bc) s after the import"

hit=$(head -1 "$dir/md5.txt" | cut -c1-32)
batch=$(head -100 "$dir/md5.txt" | cut -c1-32 | sed 's/.*/{"md5":"&"}/' | paste -sd, -)
cat >"$dir/one.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $tok"
wrk.body = '{"items":[{"md5":"$hit"}]}'
LUA
cat >"$dir/miss.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $tok"
wrk.body = '{"items":[{"md5":"0123456789abcdef0123456789abcdef"}]}'
LUA
cat >"$dir/batch.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $tok"
wrk.body = '{"items":[$batch]}'
LUA
cat >"$dir/mixed.lua" <<LUA
local good = '{"items":[{"md5":"$hit"}]}'
local bad = { '{"items":[{"md5":"xyz"}]}', '{"items":[', '[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]',
  '{"items":[{"md5":"$hit"}],"radius":99999999999999999999999}', '{"items":[{"sha1":"$hit"}]}' }
local h = { ["Authorization"] = "Bearer $tok" }
request = function()
  if math.random(10) == 1 then
    return wrk.format("POST", "/v1/lookup/hashes", h, bad[math.random(#bad)])
  end
  return wrk.format("POST", "/v1/lookup/hashes", h, good)
end
LUA

# run NAME PATH [SCRIPT]: wrk 1 thread, 16 connections; prints a row.
base=
run() {
  out=$(wrk -t1 -c16 -d"${secs}s" --latency ${3:+-s "$3"} "$url$2")
  rps=$(echo "$out" | awk '/^Requests\/sec/ {print $2}')
  reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  [ -n "$base" ] || base=$rps
  printf '| %s | %s | %s | %s | %s | %.2f | %s |\n' "$1" "$reqs" "$rps" "$p50" "$p99" \
    "$(echo "$rps / $base" | bc -l)" "${non2xx:-0}"
}
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }

echo
echo "| run (wrk -t1 -c16 -d${secs}s, loopback) | requests | req/s | p50 | p99 | vs health | non-2xx |"
echo "|---|---:|---:|---:|---:|---:|---:|"
run "GET /v1/health (baseline)" /v1/health
run "lookup, 1 MD5 (hit)" /v1/lookup/hashes "$dir/one.lua"
run "lookup, 1 MD5 (miss)" /v1/lookup/hashes "$dir/miss.lua"
run "lookup, 100 MD5 (hits)" /v1/lookup/hashes "$dir/batch.lua"
r0=$(rss)
run "lookup, 1 MD5, 10 % malformed" /v1/lookup/hashes "$dir/mixed.lua"
run "lookup, 1 MD5, 10 % malformed (again)" /v1/lookup/hashes "$dir/mixed.lua"
r1=$(rss)
echo
echo "server RSS before the malformed runs: $r0 kB, after: $r1 kB ($(echo "scale=1; 100 * ($r1 - $r0) / $r0" | bc) %)"
kill -0 "$pid" && echo "server still up: $(curl -s "$url/v1/health")"
echo "access log lines: $(wc -l <"$dir/access.log")"
