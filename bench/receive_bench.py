#!/usr/bin/env python3
"""Receiving benchmark: burnstation against DCMTK's storescp, same files, same filesystem.

Sends N CT-sized instances (512x512, 16 bit) over loopback with 1 and 4 parallel
associations, once with TCP_NODELAY=1 in the senders' environment and once without
(DCMTK's default, Nagle on). Prints instances/s, MB/s, peak RSS and the filesystem's
fsync latency. burnstation fsyncs and indexes every instance before answering; storescp
does neither. Usage: bench/receive_bench.py [--build build] [--count 1000] [--dir DIR]
"""
import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fsync_latency_ms(directory, rounds=200):
    path = os.path.join(directory, "fsync-probe")
    samples = []
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        for _ in range(rounds):
            os.write(fd, b"x" * 4096)
            t = time.perf_counter()
            os.fsync(fd)
            samples.append((time.perf_counter() - t) * 1000)
    finally:
        os.close(fd)
        os.unlink(path)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def process_tree(pid):
    pids = [pid]
    for p in pids:
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    pids.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return pids


def vm_hwm_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class PeakRss:
    """Largest resident set of the server or any one of its forked children."""

    def __init__(self, pid):
        self.pid, self.peak, self.stop = pid, 0, threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop.is_set():
            for p in process_tree(self.pid):
                self.peak = max(self.peak, vm_hwm_kb(p))
            time.sleep(0.05)

    def finish(self):
        for p in process_tree(self.pid):
            self.peak = max(self.peak, vm_hwm_kb(p))
        self.stop.set()
        self.thread.join()
        return self.peak / 1024


def start_burnstation(exe, data, config):
    proc = subprocess.Popen([exe, "serve", "--port", "0", "--data-dir", data, "--config", config],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    if not line.startswith("listening "):
        raise SystemExit("burnstation did not start")
    return proc, int(line.rsplit(":", 1)[1])


def start_storescp(data, parallel, own_nodelay=False):
    port = free_port()
    args = ["storescp", "-aet", "BURNSTATION", "-od", data]
    if parallel > 1:
        args.append("--fork")
    env = dict(os.environ)
    env.pop("TCP_NODELAY", None)
    if own_nodelay:
        env["TCP_NODELAY"] = "1"
    proc = subprocess.Popen(args + [str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=env)
    for _ in range(100):
        if subprocess.run(["echoscu", "127.0.0.1", str(port)], capture_output=True).returncode == 0:
            return proc, port
        time.sleep(0.05)
    raise SystemExit("storescp did not start")


def send(port, files, parallel, nodelay):
    env = dict(os.environ)
    env.pop("TCP_NODELAY", None)
    if nodelay:
        env["TCP_NODELAY"] = "1"
    chunks = [files[i::parallel] for i in range(parallel)]
    t = time.perf_counter()
    procs = [subprocess.Popen(["storescu", "-aec", "BURNSTATION", "127.0.0.1", str(port)] + chunk,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for chunk in chunks]
    for p in procs:
        _, err = p.communicate()
        if p.returncode != 0:
            raise SystemExit("storescu failed: " + err.decode(errors="replace")[-500:])
    return time.perf_counter() - t


def count_files(directory):
    return sum(len(f) for _, _, f in os.walk(directory))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(here, "..", "build"))
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--dir", default="/var/tmp", help="where to receive (not tmpfs)")
    args = ap.parse_args()
    exe = os.path.join(args.build, "app", "burnstation")
    maker = os.path.join(args.build, "tests", "support", "bs_make_instances")
    work = tempfile.mkdtemp(prefix="bs-bench-", dir=args.dir)
    try:
        sent = os.path.join(work, "sent")
        subprocess.run([maker, "--out", sent, "--count", str(args.count), "--kind", "CT",
                        "--rows", "512", "--columns", "512", "--bits", "16"], check=True,
                       stdout=subprocess.DEVNULL)
        files = sorted(os.path.join(sent, f) for f in os.listdir(sent))
        total_mb = sum(os.path.getsize(f) for f in files) / 1e6
        config = os.path.join(work, "bench.toml")
        with open(config, "w") as f:
            f.write("[station]\nmax_associations = 8\nfree_space_reserve = 0\n")
        fs_type = subprocess.run(["stat", "-f", "-c", "%T", work], capture_output=True,
                                 text=True).stdout.strip()
        median, p99 = fsync_latency_ms(work)
        print(f"{len(files)} instances, {total_mb:.0f} MB, filesystem {fs_type} at {work}")
        print(f"fsync latency (4 KiB write + fsync): median {median:.2f} ms, p99 {p99:.2f} ms\n")
        rows = []
        for nodelay in (True, False):
            for parallel in (1, 4):
                # storescp+nodelay: storescp with TCP_NODELAY=1 in its own environment too, the
                # fastest it can be (still without fsync or index); only meaningful with it on.
                peers = ("burnstation", "storescp") + (("storescp+nodelay",) if nodelay else ())
                for peer in peers:
                    data = os.path.join(work, f"rx-{peer}-{parallel}-{int(nodelay)}")
                    os.makedirs(data)
                    if peer == "burnstation":
                        proc, port = start_burnstation(exe, data, config)
                    else:
                        proc, port = start_storescp(data, parallel, peer == "storescp+nodelay")
                    rss = PeakRss(proc.pid)
                    seconds = send(port, files, parallel, nodelay)
                    peak = rss.finish()
                    proc.send_signal(signal.SIGTERM)
                    proc.wait(timeout=30)
                    received = count_files(os.path.join(data, "objects")) if peer == "burnstation" \
                        else count_files(data)
                    rows.append((peer, "yes" if nodelay else "no", parallel, seconds,
                                 len(files) / seconds, total_mb / seconds, peak, received))
                    shutil.rmtree(data)
        print(f"{'receiver':<16} {'TCP_NODELAY':>11} {'assocs':>6} {'seconds':>8} {'inst/s':>8} "
              f"{'MB/s':>7} {'peak RSS MB':>11} {'stored':>6}")
        for r in rows:
            print(f"{r[0]:<16} {r[1]:>11} {r[2]:>6} {r[3]:>8.2f} {r[4]:>8.1f} {r[5]:>7.1f} "
                  f"{r[6]:>11.1f} {r[7]:>6}")
        print()
        for nodelay in ("yes", "no"):
            for parallel in (1, 4):
                ours = next(r for r in rows if r[:3] == ("burnstation", nodelay, parallel))
                theirs = next(r for r in rows if r[:3] == ("storescp", nodelay, parallel))
                print(f"TCP_NODELAY={nodelay:<3} {parallel} assoc: burnstation/storescp throughput "
                      f"= {ours[4] / theirs[4]:.2f}x")
                fast = [r for r in rows if r[:3] == ("storescp+nodelay", nodelay, parallel)]
                if fast:
                    print(f"TCP_NODELAY={nodelay:<3} {parallel} assoc: burnstation/storescp+nodelay "
                          f"throughput = {ours[4] / fast[0][4]:.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
