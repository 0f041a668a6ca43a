#!/usr/bin/env python3
"""make_corpus.py OUT NZAC_TOOL - builds the steg benchmark corpus, fixed seed.

covers/NNN.png   512x512 crops of Debian photos (plasma-workspace-wallpapers,
                 mate-backgrounds), each source first downscaled to 60 % so that
                 the crop carries no JPEG grid of the source; never compressed
jpeg/NNN.jpg     the same crops as JPEG quality 85 (ImageMagick)
steghide_R/NNN.jpg, outguess_R/NNN.jpg   R in bits per non-zero AC coefficient
                 (outguess recompresses: -p 85 keeps the covers' quality),
                 random payload of R * nzAC / 8 bytes (nzAC from NZAC_TOOL)
recompressed_q85/NNN.jpg  control: jpeg/NNN.jpg decoded and saved again at 85,
                 no message (how much of a score is double compression)
"""
import glob, os, random, subprocess, sys

out, nzac_tool = sys.argv[1], sys.argv[2]
N = int(os.environ.get("STEG_BENCH_COVERS", "200"))
RATES = [0.05, 0.10, 0.20]
rng = random.Random(20260425)

srcs = sorted(glob.glob("/usr/share/wallpapers/*/contents/images/*.*") +
              glob.glob("/usr/share/backgrounds/mate/nature/*.jpg") +
              glob.glob("/usr/share/backgrounds/mate/abstract/Elephants_5640x3172.jpg"))
# the largest rendition of each wallpaper only
best = {}
for s in srcs:
    key = s.split("/contents/")[0] if "/contents/" in s else s
    try:
        w, h = (int(v) for v in subprocess.check_output(
            ["identify", "-format", "%w %h", s + "[0]"]).split())
    except Exception:
        continue
    if w * h > best.get(key, ("", 0))[1]:
        best[key] = (s, w * h, w, h)
sources = sorted(best.values())
for d in ["covers", "jpeg", "recompressed_q85"] + ["%s_%.2f" % (t, r) for t in ("steghide", "outguess") for r in RATES]:
    os.makedirs(os.path.join(out, d), exist_ok=True)

i = 0
while i < N:
    for s, _, w, h in sources:
        if i >= N:
            break
        W, H = w * 6 // 10, h * 6 // 10
        if W < 600 or H < 600:
            continue
        x, y = rng.randrange(0, W - 512), rng.randrange(0, H - 512)
        with open(os.path.join(out, "sources.txt"), "a") as log:
            log.write("%03d %s 60%% +%d+%d\n" % (i, s, x, y))
        png = os.path.join(out, "covers", "%03d.png" % i)
        if not os.path.exists(png):
            subprocess.check_call(["convert", s + "[0]", "-resize", "60%", "-crop",
                                   "512x512+%d+%d" % (x, y), "+repage", "-strip",
                                   "-type", "TrueColor", "PNG24:" + png])
        jpg = os.path.join(out, "jpeg", "%03d.jpg" % i)
        if not os.path.exists(jpg):
            subprocess.check_call(["convert", png, "-quality", "85", "-strip", jpg])
        rq = os.path.join(out, "recompressed_q85", "%03d.jpg" % i)
        if not os.path.exists(rq):  # control: a second compression, no message
            subprocess.check_call(["convert", jpg, "-quality", "85", rq])
        nz = int(subprocess.check_output([nzac_tool, "nzac", jpg]).split()[0])
        for r in RATES:
            data = bytes(rng.getrandbits(8) for _ in range(max(1, int(r * nz / 8))))
            pay = os.path.join(out, "payload.bin")
            with open(pay, "wb") as f:
                f.write(data)
            sh = os.path.join(out, "steghide_%.2f" % r, "%03d.jpg" % i)
            if not os.path.exists(sh):
                subprocess.call(["steghide", "embed", "-q", "-f", "-cf", jpg, "-ef", pay,
                                 "-sf", sh, "-p", "bench%d" % i, "-Z"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            og = os.path.join(out, "outguess_%.2f" % r, "%03d.jpg" % i)
            if not os.path.exists(og):
                subprocess.call(["outguess", "-k", "bench%d" % i, "-p", "85", "-d", pay, jpg, og],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        i += 1
print("corpus: %d covers from %d sources in %s" % (N, len(sources), out))
