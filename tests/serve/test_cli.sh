#!/bin/sh
# test_cli.sh - `vigil token` and `vigil serve` as a user runs them: tokens
# shown once and stored hashed, the server on an ephemeral loopback port
# (--port-file), a lookup over curl, the access log, a clean stop on SIGTERM.
set -u
: "${VIGIL:?}" "${VG_TEST_DATA:?}" "${VG_TEST_TMP:=/tmp/vigil-test-serve-cli}"
T=$VG_TEST_TMP
rm -rf "$T" && mkdir -p "$T" || exit 1
L=$T/lib.db
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
check() { if eval "$1"; then ok; else bad "$1"; fi; }

"$VIGIL" sets import hd "$VG_TEST_DATA/hashset/hashdeep.txt" --library "$L" >/dev/null 2>&1
check '[ $? -eq 0 ]'
TOK=$("$VIGIL" token add --role lookup --library "$L" alice)
check '[ ${#TOK} -eq 64 ]'
"$VIGIL" token add --library "$L" bob >/dev/null 2>&1
check '[ $? -eq 2 ]'
"$VIGIL" token add --role admin --library "$L" alice >/dev/null 2>&1
check '[ $? -eq 3 ]'
"$VIGIL" token add --role admin --library "$L" carol >/dev/null
check '[ "$("$VIGIL" token list --library "$L" | cut -f1,2 | tr "\t\n" ":,")" = "alice:lookup,carol:admin," ]'
check '! grep -q "$TOK" "$L.tokens"'
"$VIGIL" token remove --library "$L" carol
check '[ "$("$VIGIL" token list --library "$L" | wc -l)" -eq 1 ]'

"$VIGIL" serve --library "$L" --listen 127.0.0.1:0 --port-file "$T/port" --log "$T/access.log" \
    --no-cache 2>"$T/err" &
PID=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 300 ] && kill -0 $PID 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
P=$(cat "$T/port" 2>/dev/null)
check '[ -n "$P" ]'
URL=http://127.0.0.1:$P
T1MD5=$(md5sum "$VG_TEST_DATA/cli/t1.bin" | cut -c1-32)
check '[ "$(curl -s "$URL/v1/health")" = "{\"status\":\"ok\"}" ]'
check '[ "$(curl -s -o /dev/null -w "%{http_code}" "$URL/v1/sets")" = 401 ]'
OUT=$(curl -s -H "Authorization: Bearer $TOK" -d "{\"items\":[{\"md5\":\"$T1MD5\"}]}" "$URL/v1/lookup/hashes")
check 'echo "$OUT" | grep -q "\"set\":\"hd\",\"kind\":\"md5\""'
kill -TERM $PID
wait $PID
check '[ $? -eq 0 ]'
check 'grep -q "\"token\":\"alice\",\"method\":\"POST\",\"endpoint\":\"/v1/lookup/hashes\",\"status\":200,\"items\":1,\"matches\":1" "$T/access.log"'
check '! grep -q "$T1MD5" "$T/access.log"'
check 'grep -q "stopping on signal" "$T/err"'

# TLS with a throwaway self-signed certificate, when openssl is there.
if command -v openssl >/dev/null 2>&1 &&
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" \
        -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1; then
    rm -f "$T/port"
    "$VIGIL" serve --library "$L" --listen 127.0.0.1:0 --port-file "$T/port" --log "$T/tls.log" \
        --cert "$T/cert.pem" --key "$T/key.pem" --no-cache 2>"$T/err" &
    PID=$!
    i=0
    while [ ! -s "$T/port" ] && [ $i -lt 300 ] && kill -0 $PID 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
    P=$(cat "$T/port" 2>/dev/null)
    check '[ "$(curl -s --cacert "$T/cert.pem" "https://127.0.0.1:$P/v1/health")" = "{\"status\":\"ok\"}" ]'
    check '[ "$(curl -s --cacert "$T/cert.pem" -o /dev/null -w "%{http_code}" -H "Authorization: Bearer $TOK" "https://127.0.0.1:$P/v1/sets")" = 200 ]'
    check '[ "$(curl -s -o /dev/null -w "%{http_code}" "http://127.0.0.1:$P/v1/health")" != 200 ]'
    kill -TERM $PID
    wait $PID
    check '[ $? -eq 0 ]'
fi
"$VIGIL" serve --library "$L" --cert "$T/nosuch.pem" >/dev/null 2>&1
check '[ $? -eq 2 ]'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
