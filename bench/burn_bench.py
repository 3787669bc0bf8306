#!/usr/bin/env python3
"""Burn benchmark: a verified burn to a pseudo-drive against the peer pipeline and the
physical work on the same bytes.

One patient of N instances (512x568, 16 bit, Explicit VR LE, about 580 KB each, so nothing
is re-encoded; 1,200 instances are about 700 MB) in three studies and four series is
received by burnstation. Then, in the same run, page cache warm for the sources of everyone
and each measured RUNS times (the table gives the median):
  - station verified burn: `burnstation burn --profile dvd --drive stdio:FILE --wait --json`
    (libburn writes the ISO into FILE, the job drops FILE's cached pages and reads it back:
    session MD5, every file's MD5, the manifest, the DICOMDIR references). The service is
    started afresh before every burn, so its VmHWM afterwards is the burn's, not the
    receiving's. A poller follows `burnstation jobs --json` to time the job's phases.
  - peer pipeline: copy of the stored files into a file-set tree with PS3.10 names,
    `dcmmkdir` (STD-GEN-DVD-JPEG), `xorriso -as mkisofs -r -J`, `sync` (nothing verified).
  - physical work: `cat` of the same files into one file, fsync, its cached pages dropped
    (posix_fadvise DONTNEED), one read of it back.
Prints a table, the phases of the station's job and how many times faster than a DVD 16x
drive (22 MB/s) the station prepares and verifies a disc.
Usage: bench/burn_bench.py [--build build] [--instances 1200] [--runs 3] [--dir /var/tmp]
       BURNSTATION_BENCH_SMALL=1 bench/burn_bench.py ...   (60 instances, a smoke run)
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

DVD16X_MB_S = 22.0   # DVD 16x: 16 x 1.385 MB/s
CD52X_MB_S = 7.8     # CD 52x: 52 x 150 KiB/s


def run(args, **kw):
    return subprocess.run(args, check=True, **kw)


def vm_hwm_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def study_sizes(count):
    """Three studies; bs_make_instances starts a series every 500 instances, so 1,200 give
    studies of 550, 350 and 300 instances in four series."""
    if count < 3:
        return [count]
    first = count * 11 // 24
    second = count * 7 // 24
    return [first, second, count - first - second]


def make_patient(maker, sent, count):
    """Returns {SOP Instance UID: (study, series, instance)}, numbered from 1."""
    layout = {}
    for study, n in enumerate(study_sizes(count), start=1):
        out = os.path.join(sent, f"study{study}")
        run([maker, "--out", out, "--count", str(n), "--kind", "CT", "--rows", "512",
             "--columns", "568", "--bits", "16", "--patient-id", "BURNBENCH",
             "--patient-name", "BENCH^BURN", "--transfer-syntax", "1.2.840.10008.1.2.1"],
            stdout=subprocess.DEVNULL)
        # The generator's UIDs end in a counter: sorted by it, the files are in the order
        # they were made, and a new series starts every 500.
        uids = sorted((f[:-4] for f in os.listdir(out)), key=lambda u: int(u.rsplit(".", 1)[1]))
        for i, uid in enumerate(uids):
            layout[uid] = (study, i // 500 + 1, i % 500 + 1)
    return layout


def start_service(exe, data, config, log):
    proc = subprocess.Popen([exe, "serve", "--port", "0", "--data-dir", data, "--config", config],
                            stdout=subprocess.PIPE, stderr=log, text=True)
    line = proc.stdout.readline()
    if not line.startswith("listening "):
        proc.kill()
        raise SystemExit("burnstation did not start; see " + log.name)
    return proc, line.rsplit(":", 1)[1].strip()


def stop_service(proc):
    proc.terminate()
    proc.wait(timeout=60)


def receive(exe, sent, data, config, log):
    proc, port = start_service(exe, data, config, log)
    files = sorted(os.path.join(r, f) for r, _, fs in os.walk(sent) for f in fs)
    env = dict(os.environ, TCP_NODELAY="1")
    try:
        for i in range(0, len(files), 500):
            run(["storescu", "-R", "-xe", "127.0.0.1", port] + files[i:i + 500], env=env,
                stdout=subprocess.DEVNULL)
    finally:
        stop_service(proc)


def stored_files(data):
    objects = os.path.join(data, "objects")
    return sorted(os.path.join(r, f) for r, _, fs in os.walk(objects) for f in fs)


def stored_uids(data):
    """{stored file: SOP Instance UID}: stored files are named by a hash of the UID, so the
    index says which file holds which instance."""
    import sqlite3
    db = sqlite3.connect("file:" + os.path.join(data, "index.sqlite") + "?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT sop_instance_uid, path FROM instances").fetchall()
    finally:
        db.close()
    return {os.path.normpath(os.path.join(data, path)): uid for uid, path in rows}


def warm(files):
    for path in files:
        with open(path, "rb") as fh:
            while fh.read(1 << 20):
                pass


def drop_cache(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


class JobPhases:
    """Follows `burnstation jobs --json` and notes when the job's state first changes."""

    def __init__(self, exe, data, config, period=0.15):
        self.args = [exe, "jobs", "--json", "--data-dir", data, "--config", config]
        self.period, self.seen, self.stop = period, [], threading.Event()
        self.t0 = time.perf_counter()
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        last = None
        while not self.stop.is_set():
            try:
                out = subprocess.run(self.args, capture_output=True, text=True, timeout=10).stdout
                jobs = json.loads(out).get("jobs", [])
            except (subprocess.SubprocessError, ValueError):
                jobs = []
            if jobs:
                job = max(jobs, key=lambda j: j["id"])
                vstate = job["volumes"][0]["state"] if job["volumes"] else ""
                key = job["state"]
                if key != last:
                    self.seen.append((time.perf_counter() - self.t0, job["state"], vstate,
                                      job["message"]))
                    last = key
            self.stop.wait(self.period)

    def finish(self):
        self.stop.set()
        self.thread.join()
        return self.seen


PHASE_NAMES = {
    "queued": "queued, until the runner claims it (polls 0.25 s)",
    "planning": "planning: selection, plan, DICOMDIR, manifest, label",
    "waiting_for_media": "media check",
    "writing": "writing the ISO through libburn",
    "verifying": "read-back verification, cold",
}


def phases_of(seen, total):
    """(phase, seconds) between first sightings of the job's states; each is known to within
    the poll period."""
    out = []
    if seen:
        out.append(("command start until the job is seen (submit)", seen[0][0]))
    for i, (t, state, _, _) in enumerate(seen):
        end = seen[i + 1][0] if i + 1 < len(seen) else total
        if state in ("done", "failed", "cancelled"):
            out.append((f"{state} seen until `burn --wait` returned (polls 0.25 s)", end - t))
        else:
            out.append((PHASE_NAMES.get(state, state), end - t))
    return out


def station_burn(exe, data, config, work, run_no, log):
    proc, _ = start_service(exe, data, config, log)
    try:
        base_kb = vm_hwm_kb(proc.pid)
        disc = os.path.join(work, f"disc-{run_no}.iso")
        run(["sync"])
        t = time.perf_counter()
        phases = JobPhases(exe, data, config)
        result = subprocess.run([exe, "burn", "--data-dir", data, "--config", config,
                                 "--patient", "BURNBENCH", "--profile", "dvd",
                                 "--drive", "stdio:" + disc, "--wait", "--json"],
                                capture_output=True, text=True)
        seconds = time.perf_counter() - t
        seen = phases.finish()
        peak_kb = vm_hwm_kb(proc.pid)
    finally:
        stop_service(proc)
    if result.returncode != 0:
        raise SystemExit("burn failed: " + result.stdout[-800:] + result.stderr[-800:])
    doc = json.loads(result.stdout)
    iso_bytes = os.path.getsize(disc)
    os.unlink(disc)
    return {"seconds": seconds, "peak_mb": peak_kb / 1024, "base_mb": base_kb / 1024,
            "iso_bytes": iso_bytes, "volumes": len(doc["volumes"]), "message": doc["message"],
            "phases": phases_of(seen, seconds), "seen": seen}


def timed_rss(args, **kw):
    """Runs args under /usr/bin/time; returns its peak RSS in MB."""
    r = run(["/usr/bin/time", "-f", "RSSKB %M"] + args, stderr=subprocess.PIPE, text=True, **kw)
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("RSSKB ")]
    return int(lines[-1].split()[1]) / 1024 if lines else 0.0


def peer_pipeline(files, layout, uid_of, work, run_no):
    tree = os.path.join(work, f"peer-{run_no}")
    iso = os.path.join(work, f"peer-{run_no}.iso")
    run(["sync"])
    t = time.perf_counter()
    made = set()
    for src in files:
        st, se, im = layout[uid_of[os.path.normpath(src)]]
        folder = os.path.join(tree, "DICOM", f"ST{st:06d}", f"SE{se:06d}")
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        shutil.copyfile(src, os.path.join(folder, f"IM{im:06d}"))
    copied = time.perf_counter()
    # dcmmkdir's warnings (e.g. shared Study IDs) are accepted, as a clerk's script would.
    rss_dcm = timed_rss(["dcmmkdir", "-q", "-Pdv", "+r", "+I", "+id", tree,
                         "+D", os.path.join(tree, "DICOMDIR"), "DICOM"], cwd=tree,
                        stdout=subprocess.DEVNULL)
    dicomdir = time.perf_counter()
    rss_xor = timed_rss(["xorriso", "-as", "mkisofs", "-quiet", "-o", iso, "-V", "BURNBENCH",
                         "-r", "-J", tree], stdout=subprocess.DEVNULL)
    imaged = time.perf_counter()
    run(["sync"])
    end = time.perf_counter()
    iso_bytes = os.path.getsize(iso)
    shutil.rmtree(tree)
    os.unlink(iso)
    return {"seconds": end - t, "peak_mb": max(rss_dcm, rss_xor), "iso_bytes": iso_bytes,
            "phases": [("copy into the tree", copied - t), ("dcmmkdir", dicomdir - copied),
                       ("xorriso -as mkisofs", imaged - dicomdir), ("sync", end - imaged)]}


def physical_work(files, work, run_no):
    out = os.path.join(work, f"cat-{run_no}.bin")
    run(["sync"])
    t = time.perf_counter()
    with open(out, "wb") as fh:
        rss = timed_rss(["cat"] + files, stdout=fh)
        os.fsync(fh.fileno())
    written = time.perf_counter()
    drop_cache(out)
    with open(out, "rb", buffering=0) as fh:
        while fh.read(1 << 20):
            pass
    end = time.perf_counter()
    os.unlink(out)
    return {"seconds": end - t, "peak_mb": rss,
            "phases": [("cat + fsync", written - t), ("cold read back", end - written)]}


def median_run(results):
    """The run whose time is the median (lower median for an even count)."""
    ordered = sorted(results, key=lambda r: r["seconds"])
    return ordered[(len(ordered) - 1) // 2]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    small = os.environ.get("BURNSTATION_BENCH_SMALL") == "1"
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(here, "..", "build"))
    ap.add_argument("--instances", type=int, default=60 if small else 1200)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--dir", default="/var/tmp", help="where the store and images go (not tmpfs)")
    args = ap.parse_args()
    exe = os.path.join(args.build, "app", "burnstation")
    maker = os.path.join(args.build, "tests", "support", "bs_make_instances")
    for tool in (exe, maker):
        if not os.access(tool, os.X_OK):
            raise SystemExit(f"{tool} is missing: build with -DBUILD_TESTING=ON and give --build")
    work = tempfile.mkdtemp(prefix="bs-burn-bench-", dir=args.dir)
    log = open(os.path.join(work, "service.log"), "w")
    try:
        config = os.path.join(work, "bench.toml")
        with open(config, "w") as f:
            f.write("[station]\nfree_space_reserve = 0\n[acceptance]\nany_called_ae = true\n")
        sent = os.path.join(work, "sent")
        data = os.path.join(work, "data")
        layout = make_patient(maker, sent, args.instances)
        receive(exe, sent, data, config, log)
        shutil.rmtree(sent)
        files = stored_files(data)
        if len(files) != args.instances:
            raise SystemExit(f"{len(files)} of {args.instances} instances were stored")
        size_mb = sum(os.path.getsize(f) for f in files) / 1e6
        uid_of = stored_uids(data)

        results = {"station": [], "peer": [], "physical": []}
        for i in range(args.runs):
            # Interleaved, so drifting load from other work on the machine hits all three.
            warm(files)
            results["station"].append(station_burn(exe, data, config, work, i, log))
            warm(files)
            results["peer"].append(peer_pipeline(files, layout, uid_of, work, i))
            warm(files)
            results["physical"].append(physical_work(files, work, i))
            print(f"run {i + 1}/{args.runs}: station {results['station'][-1]['seconds']:.2f} s, "
                  f"peer {results['peer'][-1]['seconds']:.2f} s, "
                  f"physical {results['physical'][-1]['seconds']:.2f} s", file=sys.stderr)

        med = {k: statistics.median(r["seconds"] for r in v) for k, v in results.items()}
        peak = {k: max(r["peak_mb"] for r in v) for k, v in results.items()}
        station = median_run(results["station"])
        names = {"station": "station verified burn (stdio: pseudo-drive)",
                 "peer": "peer: copy + dcmmkdir + xorriso + sync",
                 "physical": "physical: cat + fsync + cold read"}
        print(f"{args.instances} instances of 512x568x16 bit in 1 patient, 3 studies, "
              f"{size_mb:.0f} MB; ISO {station['iso_bytes'] / 1e6:.0f} MB, "
              f"{station['volumes']} volume(s); median of {args.runs} runs, source files' "
              f"page cache warm\n")
        print(f"{'what':<46} {'seconds':>8} {'MB/s':>7} {'vs peer':>8} {'vs phys':>8} "
              f"{'peak RSS MB':>11}   all runs (s)")
        for key in ("station", "peer", "physical"):
            s = med[key]
            runs = " ".join(f"{r['seconds']:.2f}" for r in results[key])
            print(f"{names[key]:<46} {s:>8.2f} {size_mb / s:>7.1f} {s / med['peer']:>7.2f}x "
                  f"{s / med['physical']:>7.2f}x {peak[key]:>11.1f}   {runs}")
        print()
        print("peak RSS: station = VmHWM of `burnstation serve` started afresh for each burn "
              f"(idle after start: {station['base_mb']:.1f} MB); peer = the larger of dcmmkdir "
              "and xorriso; physical = cat")
        print()
        print("station job phases (median run; polled every 0.15 s):")
        for name, seconds in station["phases"]:
            print(f"  {name:<48} {seconds:>7.2f} s")
        peer = median_run(results["peer"])
        print("peer pipeline steps (median run):")
        for name, seconds in peer["phases"]:
            print(f"  {name:<48} {seconds:>7.2f} s")
        phys = median_run(results["physical"])
        print("physical work steps (median run):")
        for name, seconds in phys["phases"]:
            print(f"  {name:<48} {seconds:>7.2f} s")
        print()
        rate = size_mb / med["station"]
        print(f"the station prepares, writes and verifies at {rate:.0f} MB/s: "
              f"{rate / DVD16X_MB_S:.1f}x faster than a DVD 16x drive ({DVD16X_MB_S:.0f} MB/s), "
              f"{rate / CD52X_MB_S:.1f}x faster than a CD 52x drive ({CD52X_MB_S} MB/s)")
        print()
        targets = [
            ("verified burn no longer than the unverified peer pipeline",
             med["station"] <= med["peer"], f"{med['station'] / med['peer']:.2f}x"),
            ("verified burn at most 2x the physical work",
             med["station"] <= 2 * med["physical"], f"{med['station'] / med['physical']:.2f}x"),
            ("peak RSS under 150 MB", peak["station"] < 150, f"{peak['station']:.1f} MB"),
        ]
        for what, ok, value in targets:
            print(f"target: {what}: {'met' if ok else 'MISSED'} ({value})")
    finally:
        log.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
