#!/bin/sh
# bench/steg/run.sh BUILD_DIR - steganalysis benchmark (see RESULTS.md).
# Needs `scripts/bootstrap --bench` (Debian photos, ImageMagick, steghide,
# outguess). The corpus is built once under BUILD_DIR/steg-corpus from a fixed
# seed (STEG_BENCH_COVERS covers, default 200) and reused by later runs.
set -eu
B=$(cd "${1:?usage: run.sh BUILD_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
tool=$B/bench/steg/steg_bench
cmake --build "$B" --target steg_bench >/dev/null
corpus=$B/steg-corpus
python3 "$here/make_corpus.py" "$corpus" "$tool" 2>/dev/null
echo "== structural"
"$tool" struct "$corpus/covers" "$corpus/jpeg"
echo "== spatial LSB"
"$tool" lsb "$corpus/covers" "$corpus/jpeg"
echo "== JPEG domain"
"$tool" jpeg "$corpus/jpeg" "$corpus"/steghide_* "$corpus"/outguess_* "$corpus/recompressed_q85"
echo "== cost"
big=$B/steg-12mp
if [ ! -f "$big.png" ]; then
  convert /usr/share/backgrounds/mate/abstract/Elephants_5640x3172.jpg -resize '4000x3000!' \
    -strip "PNG24:$big.png"
  convert "$big.png" -quality 85 "$big.jpg"
fi
"$tool" time "$big.png" "$big.jpg"
