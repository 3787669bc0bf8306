#!/usr/bin/env python3
"""File-set benchmark: burnstation's export against DCMTK's dcmmkdir and cp -r + sync.

A patient of N instances (512x512, 16 bit, Explicit VR LE, so nothing is transcoded) is
received by burnstation; then, in the same run and with the page cache warm for everyone:
  - burnstation export (copies, writes the DICOMDIR from its index, syncs) -- total and the
    DICOMDIR part it reports;
  - dcmmkdir on the same files already copied into a file-set tree (DICOMDIR only);
  - cp -r of the same bytes followed by sync.
Then the same patient received as Implicit VR LE, so the re-encoding cost shows, and the
peak RSS of an export of many small instances. Prints a table.
Usage: bench/export_bench.py [--build build] [--count 1200] [--many 10000] [--dir /var/tmp]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time


def run(args, **kw):
    return subprocess.run(args, check=True, **kw)


def receive(exe, maker, work, name, count, rows, ts):
    sent = os.path.join(work, f"sent-{name}")
    run([maker, "--out", sent, "--count", str(count), "--rows", str(rows), "--columns", str(rows),
         "--bits", "16", "--patient-id", name, "--transfer-syntax", ts], stdout=subprocess.DEVNULL)
    data = os.path.join(work, f"data-{name}")
    config = os.path.join(work, "bench.toml")
    with open(config, "w") as f:
        f.write("[station]\nfree_space_reserve = 0\n[acceptance]\nany_called_ae = true\n")
    proc = subprocess.Popen([exe, "serve", "--port", "0", "--data-dir", data, "--config", config],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = proc.stdout.readline().rsplit(":", 1)[1].strip()
    files = sorted(os.path.join(sent, f) for f in os.listdir(sent))
    env = dict(os.environ, TCP_NODELAY="1")
    for i in range(0, len(files), 500):
        run(["storescu", "-R", "-xi" if ts.endswith(".2") else "-xe", "127.0.0.1", port] +
            files[i:i + 500], env=env, stdout=subprocess.DEVNULL)
    proc.terminate()
    proc.wait()
    shutil.rmtree(sent)
    return data


def warm(path):
    for root, _, files in os.walk(path):
        for f in files:
            with open(os.path.join(root, f), "rb") as fh:
                while fh.read(1 << 20):
                    pass


def timed(args, **kw):
    t = time.perf_counter()
    result = run(args, **kw)
    return time.perf_counter() - t, result


def export(exe, data, patient, out, timing=False):
    args = [exe, "export", "--data-dir", data, "--patient", patient, "--profile", "dvd",
            "--capacity", "1000G", "--to", out, "--json"]
    if timing:
        args = ["/usr/bin/time", "-f", "%M"] + args
    seconds, result = timed(args, capture_output=True, text=True)
    doc = json.loads(result.stdout)
    peak_mb = int(result.stderr.strip().splitlines()[-1]) / 1024 if timing else 0
    return seconds, sum(v["dicomdir_seconds"] for v in doc["volumes"]), peak_mb


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(here, "..", "build"))
    ap.add_argument("--count", type=int, default=1200)
    ap.add_argument("--many", type=int, default=10000)
    ap.add_argument("--dir", default="/var/tmp")
    args = ap.parse_args()
    exe = os.path.join(args.build, "app", "burnstation")
    maker = os.path.join(args.build, "tests", "support", "bs_make_instances")
    work = tempfile.mkdtemp(prefix="bs-export-bench-", dir=args.dir)
    rows = []
    try:
        data = receive(exe, maker, work, "ELE", args.count, 512, "1.2.840.10008.1.2.1")
        objects = os.path.join(data, "objects")
        warm(objects)
        size_mb = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(objects)
                      for f in fs) / 1e6

        total, dicomdir, _ = export(exe, data, "ELE", os.path.join(work, "ours"))
        rows.append(("burnstation export (copy + DICOMDIR + sync)", total))
        rows.append(("burnstation DICOMDIR part", dicomdir))

        tree = os.path.join(work, "dcmmkdir")
        shutil.copytree(os.path.join(work, "ours", "DICOM"), os.path.join(tree, "DICOM"))
        warm(tree)
        t, _ = timed(["dcmmkdir", "-q", "+r", "+id", tree, "+D", os.path.join(tree, "DICOMDIR"),
                      "DICOM"], cwd=tree)
        rows.append(("dcmmkdir (DICOMDIR only, files in place)", t))

        t0 = time.perf_counter()
        run(["cp", "-r", objects, os.path.join(work, "cp")])
        run(["sync"])
        rows.append(("cp -r + sync", time.perf_counter() - t0))

        ile = receive(exe, maker, work, "ILE", args.count, 512, "1.2.840.10008.1.2")
        warm(os.path.join(ile, "objects"))
        t, d, _ = export(exe, ile, "ILE", os.path.join(work, "ours-ile"))
        rows.append(("burnstation export, received as Implicit VR LE (re-encoded)", t))

        many = receive(exe, maker, work, "MANY", args.many, 64, "1.2.840.10008.1.2.1")
        t, d, peak = export(exe, many, "MANY", os.path.join(work, "ours-many"), timing=True)
        rows.append((f"burnstation export of {args.many} small instances", t))

        print(f"{args.count} instances of 512x512x16 bit, {size_mb:.0f} MB, page cache warm\n")
        print(f"{'what':<62} {'seconds':>8}")
        for name, seconds in rows:
            print(f"{name:<62} {seconds:>8.2f}")
        print()
        dcm = next(s for n, s in rows if n.startswith("dcmmkdir"))
        ours = next(s for n, s in rows if n.startswith("burnstation DICOMDIR"))
        cp = next(s for n, s in rows if n.startswith("cp -r"))
        exp = rows[0][1]
        print(f"DICOMDIR: burnstation is {dcm / ours:.1f}x faster than dcmmkdir")
        print(f"export: {cp / exp * 100:.0f}% of cp -r + sync speed")
        print(f"peak RSS exporting {args.many} instances: {peak:.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
