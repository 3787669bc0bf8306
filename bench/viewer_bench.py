#!/usr/bin/env python3
"""Viewer benchmark: what the web content (README, IHE PDI pages, the viewer, previews) adds
to a burn whose previews were rendered beforehand, per preview tier, next to the same burn
without web content.

One CT patient of N slices (512x512, 16 bit, Explicit VR LE; bs_make_instances' patterns,
which compress far better than real CT, so the preview bytes are a lower bound) is received.
Then, per tier, an `export` renders the previews that tier needs (timed: the foreground
rendering a burn does when the background has not), and a burn to the image drive
(`burn --profile P --drive images --wait`, read back and verified) is timed and its ISO
measured. The profiles are the same DVD profile (STD-GEN-DVD-JPEG, one volume) with
`viewer = false` (the peer: the file-set alone), and `preview = "none"`, "thumbnails",
"light", "full". The table gives each burn's median of RUNS, the bytes, and how much each
tier adds in time and bytes to the burn without web content.
Usage: bench/viewer_bench.py [--build build] [--count 1200] [--runs 3] [--dir /var/tmp]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time

TIERS = ["none", "thumbnails", "light", "full"]


def run(args, **kw):
    return subprocess.run(args, check=True, **kw)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(here, "..", "build"))
    ap.add_argument("--count", type=int, default=1200)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dir", default="/var/tmp")
    a = ap.parse_args()
    exe = os.path.abspath(os.path.join(a.build, "app", "burnstation"))
    maker = os.path.abspath(os.path.join(a.build, "tests", "support", "bs_make_instances"))
    work = tempfile.mkdtemp(prefix="viewer-bench-", dir=a.dir)
    try:
        data = os.path.join(work, "data")
        config = os.path.join(work, "station.toml")
        with open(config, "w") as f:
            f.write('[station]\nfree_space_reserve = "50M"\n[acceptance]\nany_called_ae = true\n'
                    '[previews]\nquiet_seconds = 86400\n'  # the benchmark renders, not the service
                    '[[profile]]\nname = "plain"\nmedium = "STD-GEN-DVD-JPEG"\nviewer = false\n'
                    'label = false\n')
            for tier in TIERS:
                f.write(f'[[profile]]\nname = "{tier}"\nmedium = "STD-GEN-DVD-JPEG"\n'
                        f'preview = "{tier}"\nlabel = false\n')
        sent = os.path.join(work, "sent")
        run([maker, "--out", sent, "--count", str(a.count), "--kind", "CT", "--rows", "512",
             "--columns", "512", "--bits", "16", "--patient-id", "VIEWERBENCH",
             "--transfer-syntax", "1.2.840.10008.1.2.1"], stdout=subprocess.DEVNULL)
        log = open(os.path.join(work, "service.log"), "w")
        proc = subprocess.Popen([exe, "serve", "--port", "0", "--data-dir", data, "--config",
                                 config], stdout=subprocess.PIPE, stderr=log, text=True)
        line = proc.stdout.readline()
        if not line.startswith("listening "):
            raise SystemExit("burnstation did not start; see " + log.name)
        port = line.rsplit(":", 1)[1].strip()
        try:
            files = sorted(os.path.join(sent, f) for f in os.listdir(sent))
            for i in range(0, len(files), 500):
                run(["storescu", "-R", "-xe", "127.0.0.1", port] + files[i:i + 500],
                    stdout=subprocess.DEVNULL)
            common = ["--data-dir", data, "--config", config, "--patient", "VIEWERBENCH"]
            render = {}
            for tier in TIERS[1:]:
                out = os.path.join(work, "export-" + tier)
                t0 = time.monotonic()
                run([exe, "export", "--profile", tier, "--to", out] + common,
                    stdout=subprocess.DEVNULL)
                render[tier] = time.monotonic() - t0
                shutil.rmtree(out)
            rows = []
            for profile in ["plain"] + TIERS:
                times, size = [], 0
                for _ in range(a.runs):
                    t0 = time.monotonic()
                    r = run([exe, "burn", "--profile", profile, "--drive", "images", "--wait",
                             "--json"] + common, stdout=subprocess.PIPE, text=True)
                    times.append(time.monotonic() - t0)
                    image = json.loads(r.stdout)["volumes"][0]["target"]
                    size = os.path.getsize(image)
                    os.remove(image)
                rows.append((profile, statistics.median(times), size))
        finally:
            proc.terminate()
            proc.wait(timeout=60)
        base_t, base_b = rows[0][1], rows[0][2]
        print(f"{a.count} CT slices 512x512, DVD profile, image drive, median of {a.runs} burns")
        print(f"{'profile':<12}{'burn s':>9}{'ISO MB':>10}{'+time':>9}{'+bytes':>9}"
              f"{'export s (renders)':>20}")
        for profile, t, b in rows:
            extra = render.get(profile)
            print(f"{profile:<12}{t:>9.2f}{b / 1e6:>10.1f}{100 * (t - base_t) / base_t:>8.1f}%"
                  f"{100 * (b - base_b) / base_b:>8.1f}%"
                  f"{(f'{extra:.1f}' if extra is not None else '-'):>20}")
        print("plain: the same burn without web content (viewer = false), the peer of each row")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
