#!/bin/sh
# make-corpus.sh [OUTDIR] - builds the PDQ benchmark corpus from Debian's
# photo packages (scripts/bootstrap --bench installs them), outside the
# repository (default /var/tmp/vigil-bench-corpus).
#
# Deterministic: sources are taken in sorted order and every parameter
# (size, crop gravity, quality) follows from the source's index, so the same
# packages give the same files. Layout:
#   jpeg/SSS-WxH.jpg      each source at 9 camera sizes, 4:2:0 like cameras
#   png/ webp/ heic/      copies of the 1600x1200 and 2048x1536 JPEGs
#   transformed/          edits of the 2048x1536 JPEGs (half size, q60,
#                         mirrored, rotated 90) and pairs.txt: "original copy"
set -eu
out=${1:-/var/tmp/vigil-bench-corpus}
jobs=${JOBS:-2}
for tool in convert heif-enc cwebp; do
  command -v $tool >/dev/null || { echo "make-corpus: $tool missing (scripts/bootstrap --bench)" >&2; exit 1; }
done
mkdir -p "$out/jpeg" "$out/png" "$out/webp" "$out/heic" "$out/transformed"

# Sources: the largest picture of each Plasma wallpaper, MATE's nature photos
# and its largest "Elephants".
list="$out/sources.txt"
: > "$list"
for d in /usr/share/wallpapers/*/contents/images; do
  [ -d "$d" ] || continue
  ls -S "$d"/*.jpg "$d"/*.png 2>/dev/null | head -n 1 >> "$list" || true
done
ls /usr/share/backgrounds/mate/nature/*.jpg >> "$list"
ls /usr/share/backgrounds/mate/abstract/Elephants_5640x3172.jpg >> "$list"
sort -o "$list" "$list"
n=$(wc -l < "$list")
[ "$n" -ge 34 ] || { echo "make-corpus: only $n sources; need the photo packages" >&2; exit 1; }

# One line per output: index source size quality gravity.
specs="4000x3000:92 4032x3024:90 3264x2448:90 2592x1944:88 2048x1536:88 1600x1200:85 1280x960:85 1024x768:85 640x480:80"
gravities="Center North South East West NorthEast SouthWest NorthWest SouthEast"
i=0
while read -r src; do
  k=0
  for spec in $specs; do
    g=$(echo $gravities | cut -d' ' -f$(( (i + k) % 9 + 1 )))
    printf '%03d %s %s %s %s\n' $i "$src" "${spec%:*}" "${spec#*:}" $g
    k=$((k + 1))
  done
  i=$((i + 1))
done < "$list" > "$out/jobs.txt"

# One convert per line, run in parallel by xargs.
while read -r idx src size q grav; do
  echo "f=\"$out/jpeg/$idx-$size.jpg\"; [ -s \"\$f\" ] || convert \"$src[0]\" -auto-orient -resize \"$size^\" -gravity $grav -extent $size -sampling-factor 2x2,1x1,1x1 -quality $q \"\$f\""
done < "$out/jobs.txt" | xargs -d '\n' -P "$jobs" -I{} sh -c '{}'

# Other formats and transformed copies of two mid sizes.
for f in "$out"/jpeg/*-1600x1200.jpg "$out"/jpeg/*-2048x1536.jpg; do
  b=$(basename "$f" .jpg)
  echo "[ -s $out/png/$b.png ] || convert $f $out/png/$b.png"
  echo "[ -s $out/webp/$b.webp ] || cwebp -quiet -q 85 $f -o $out/webp/$b.webp"
  echo "[ -s $out/heic/$b.heic ] || heif-enc -q 85 $f -o $out/heic/$b.heic >/dev/null"
done | xargs -d '\n' -P "$jobs" -I{} sh -c '{}'

: > "$out/transformed/pairs.txt"
for f in "$out"/jpeg/*-2048x1536.jpg; do
  b=$(basename "$f" .jpg)
  t="$out/transformed/$b"
  echo "[ -s $t-half.jpg ] || convert $f -resize 50% -quality 85 $t-half.jpg"
  echo "[ -s $t-q60.jpg ] || convert $f -quality 60 $t-q60.jpg"
  echo "[ -s $t-flop.jpg ] || convert $f -flop -quality 88 $t-flop.jpg"
  echo "[ -s $t-rot90.jpg ] || convert $f -rotate 90 -quality 88 $t-rot90.jpg"
  for s in half q60 flop rot90; do
    echo "jpeg/$b.jpg transformed/$b-$s.jpg" >> "$out/transformed/pairs.txt"
  done
done | xargs -d '\n' -P "$jobs" -I{} sh -c '{}'

echo "make-corpus: $(ls "$out"/jpeg | wc -l) JPEG, $(ls "$out"/png | wc -l) PNG," \
  "$(ls "$out"/webp | wc -l) WebP, $(ls "$out"/heic | wc -l) HEIC," \
  "$(wc -l < "$out/transformed/pairs.txt") transformed pairs in $out"
