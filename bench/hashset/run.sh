#!/bin/sh
# bench/hashset/run.sh BUILD_DIR [MEDIA]: streaming VICS import vs a jansson
# whole-document parse of the same generated file (deterministic, MEDIA records,
# default 1,000,000, about 390 MB). Prints both lines and the ratios.
set -eu
build=$1
media=${2:-1000000}
bin=$build/bench/hashset/bench_hs_read
file=${TMPDIR:-/tmp}/vigil-bench-vics-$media.json
if [ ! -s "$file" ]; then
  python3 - "$media" "$file" <<'PY'
import sys, hashlib
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as f:
    f.write('{\n  "@odata.context": "http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/US/$metadata#Media",\n  "value": [\n')
    for i in range(n):
        md5 = hashlib.md5(b"%d" % i).hexdigest().upper()
        sha1 = hashlib.sha1(b"%d" % i).hexdigest().upper()
        sep = ",\n" if i else ""
        f.write('%s    {"MediaID": %d, "Category": %d, "MD5": "%s", "SHA1": "%s", "MediaSize": %d, '
                '"DateUpdated": "2023-06-07T02:31:49.8300Z", "IsPrecategorized": "true", '
                '"Series": "S%d", "Tags": "a,b"}' % (sep, i + 1, i % 5, md5, sha1, 1000 + i, i % 97))
    f.write('\n  ]\n}\n')
PY
fi
echo "file: $file ($(wc -c < "$file") bytes, $media Media)"
s=$("$bin" stream "$file")
j=$("$bin" jansson "$file")
echo "$s"
echo "$j"
echo "$s" "$j" | awk '{
  for (i = 1; i <= NF; i++) { split($i, kv, "="); v[++k] = kv[2] }
}
END {
  # fields: name entries cpu MB/s wall rss, twice (12 tokens)
  printf "ratio jansson/stream: CPU time %.2fx, peak RSS %.1fx\n", v[9] / v[3], v[12] / v[6]
}'
