#!/usr/bin/env python3
"""Preview rendering benchmark: burnstation's in-process renderer against DCMTK's dcmj2pnm.

N CT slices (512x512, 16 bit, Explicit VR LE, made by bs_make_instances) are rendered per
preview tier (thumbnails: T 128 px; light: T + P 256 px; full: T + soft tissue, lung and bone
at 512 px), in the same run and with the page cache warm for both:
  - bs_render_previews: PreviewCache::ensure on every slice, each file written durably
    (fsync per file, one folder fsync per instance), as the service does in the background;
  - dcmj2pnm --write-jpeg, one process per image, same size, window, quality 85, 4:4:4,
    no fsync.
Prints previews (images) per second and slices per second per tier, and the bytes written.
The slices are synthetic ramps, which compress far better than real CT: the bytes say little
about real studies (a 512x512 CT slice measures about 26 KB at 512 px).
Usage: bench/preview_bench.py [--build build] [--count 1200] [--dcmj2pnm-count N] [--dir /var/tmp]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

# (prefix, size, window) per tier; window None = the object's own (min-max for these slices).
TIERS = {
    "thumbnails": [("T", 128, None)],
    "light": [("T", 128, None), ("P", 256, None)],
    "full": [("T", 128, None), ("P", 512, (40, 400)), ("L", 512, (-600, 1500)),
             ("B", 512, (400, 1800))],
}


def run(args, **kw):
    return subprocess.run(args, check=True, **kw)


def warm(files):
    for f in files:
        with open(f, "rb") as fh:
            while fh.read(1 << 20):
                pass


def ours(tool, files, tier, work):
    data = os.path.join(work, f"ours-{tier}")
    images = size = 0
    t = time.perf_counter()
    for i in range(0, len(files), 400):
        out = run([tool, "--data", data, "--tier", tier, "--modality", "CT"] + files[i:i + 400],
                  capture_output=True, text=True).stdout.split()
        images += int(out[1])
        size += int(out[2])
    seconds = time.perf_counter() - t
    shutil.rmtree(data)
    return seconds, images, size


def dcmj2pnm(files, tier, work):
    out = os.path.join(work, f"dcmj2pnm-{tier}")
    os.makedirs(out)
    images = size = 0
    t = time.perf_counter()
    for n, f in enumerate(files):
        for prefix, px, window in TIERS[tier]:
            target = os.path.join(out, f"{prefix}{n}.jpg")
            voi = ["+Ww", str(window[0]), str(window[1])] if window else ["+Wm"]
            scale = [] if px >= 512 else ["+Sxv", str(px)]
            run(["dcmj2pnm", "--write-jpeg", "+Jq", "85", "+Js4"] + voi + scale + [f, target])
            images += 1
            size += os.path.getsize(target)
    seconds = time.perf_counter() - t
    shutil.rmtree(out)
    return seconds, images, size


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(here, "..", "build"))
    ap.add_argument("--count", type=int, default=1200, help="CT slices")
    ap.add_argument("--dcmj2pnm-count", type=int, default=0,
                    help="slices given to dcmj2pnm (default: all; it runs one process per image)")
    ap.add_argument("--dir", default="/var/tmp")
    args = ap.parse_args()
    maker = os.path.join(args.build, "tests", "support", "bs_make_instances")
    tool = os.path.join(args.build, "tests", "viewer_bundle", "bs_render_previews")
    work = tempfile.mkdtemp(prefix="bs-preview-bench-", dir=args.dir)
    try:
        sent = os.path.join(work, "slices")
        run([maker, "--out", sent, "--count", str(args.count), "--rows", "512", "--columns", "512",
             "--bits", "16", "--kind", "CT"], stdout=subprocess.DEVNULL)
        files = sorted(os.path.join(sent, f) for f in os.listdir(sent))
        warm(files)
        theirs_files = files[:args.dcmj2pnm_count] if args.dcmj2pnm_count else files
        print(f"{len(files)} CT slices 512x512x16 bit (dcmj2pnm: {len(theirs_files)}), "
              f"page cache warm, files in {args.dir}\n")
        print(f"{'tier':<11} {'renderer':<22} {'images':>7} {'seconds':>8} {'images/s':>9} "
              f"{'slices/s':>9} {'KB/slice':>9}")
        for tier in ("thumbnails", "light", "full"):
            s, n, b = ours(tool, files, tier, work)
            ours_rate = n / s
            print(f"{tier:<11} {'burnstation (fsync)':<22} {n:>7} {s:>8.2f} {n / s:>9.1f} "
                  f"{len(files) / s:>9.1f} {b / len(files) / 1024:>9.1f}")
            s, n, b = dcmj2pnm(theirs_files, tier, work)
            print(f"{'':<11} {'dcmj2pnm --write-jpeg':<22} {n:>7} {s:>8.2f} {n / s:>9.1f} "
                  f"{len(theirs_files) / s:>9.1f} {b / len(theirs_files) / 1024:>9.1f}")
            print(f"{'':<11} {'speed-up':<22} {ours_rate / (n / s):>7.1f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
