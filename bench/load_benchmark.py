#!/usr/bin/env python3
"""The web app under load: `paperboy serve` on a data directory, measured with wrk.

    python3 bench/load_benchmark.py --data /tmp/paperboy-load-1m --paperboy .build/release/paperboy \
        --queries /tmp/paperboy-search-bench/queries-1000000-s7-1000.txt --out bench/results/load.md

Measures, in one run:
- cold start: from spawning `paperboy serve` on the saved indexes to the first answered
  request (GET /healthz answered 200), median of --starts starts;
- for each target (daily page `/`, search page `/search?q=`, JSON search `/api/v1/search?q=`):
  wrk with --connections connections on --threads threads for --duration seconds; search
  targets rotate through the query file (each request a different query, so no result is
  answered twice in a row); latency percentiles, requests/s, non-2xx responses and socket errors.
  Before each search target an unmeasured wrk pass of --warmup seconds goes through the query
  file, as a server that has been up a while has seen its readers' queries;
- the two search targets again on a server started with `--page-cache 0`, where every
  request is ranked, read from the store and rendered: the cost of a query no one asked
  before, which the rows above hide once the rotation has been through the query file;
  and, on that server, --sequential queries one at a time: a lone reader's latency.
With --modes, each search target is measured per mode (`mode=keyword&q=` …).
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent


def start(paperboy, data, extra=()):
    """Starts the server; returns (process, base URL, seconds to the first answered request)."""
    began = time.monotonic()
    proc = subprocess.Popen([paperboy, "serve", "--data", data, "--port", "0", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    match = re.search(r"at (http://[^ ]+) \(ready", line)
    if not match:
        proc.kill()
        sys.exit(f"paperboy serve did not start: {line!r}")
    base = match.group(1)
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.01)
    return proc, base, time.monotonic() - began


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def wrk(base, path, a, rotate=None, duration=None):
    env = dict(os.environ)
    cmd = ["wrk", "-t", str(a.threads), "-c", str(a.connections), "-d", f"{duration or a.duration}s", "--latency",
           "--timeout", "10s"]
    if rotate:
        env["QUERIES"] = a.queries
        env["PATH_PREFIX"] = rotate
        cmd += ["-s", str(HERE / "load" / "rotate.lua")]
    return parse_wrk(subprocess.run(cmd + [base + path], capture_output=True, text=True, env=env).stdout)


def parse_wrk(out):
    """wrk's report (run with --latency) as seconds, requests/s and error counts."""
    def seconds(text):
        value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
        return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0}[unit]
    pct = {p: seconds(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M)}
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = int((re.search(r"Non-2xx or 3xx responses: (\d+)", out) or [0, 0])[1])
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    socket_errors = sum(map(int, sock.groups())) if sock else 0
    return {"p50": pct["50"], "p90": pct["90"], "p99": pct["99"], "rps": rps, "requests": total,
            "non2xx": non2xx, "socket_errors": socket_errors}


def sequential(base, prefix, queries):
    """Latency percentiles of `queries` sent one after another on one connection at a time."""
    times = []
    for query in queries:
        began = time.perf_counter()
        with urllib.request.urlopen(base + prefix + urllib.parse.quote(query), timeout=30) as response:
            response.read()
        times.append(time.perf_counter() - began)
    times.sort()
    return {p: times[min(len(times) - 1, int(len(times) * q))] for p, q in (("p50", .5), ("p90", .9), ("p99", .99))}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True)
    p.add_argument("--paperboy", default=".build/release/paperboy")
    p.add_argument("--queries", required=True)
    p.add_argument("--connections", type=int, default=64)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--duration", type=int, default=60)
    p.add_argument("--warmup", type=int, default=15, help="seconds of unmeasured search before each cached search target")
    p.add_argument("--starts", type=int, default=3)
    p.add_argument("--modes", nargs="+", default=["default"],
                   help="search modes to measure (keyword, semantic, hybrid; default: the server's own)")
    p.add_argument("--sequential", type=int, default=200, help="queries sent one at a time to the uncached server")
    p.add_argument("--label", default="")
    p.add_argument("--out")
    a = p.parse_args()
    queries = [l.strip() for l in open(a.queries) if l.strip()]

    def targets():
        for mode in a.modes:
            tag = "" if mode == "default" else f"mode={mode}&"
            suffix = "" if mode == "default" else f", {mode}"
            yield f"search page{suffix}", f"/search?{tag}q="
            yield f"JSON search{suffix}", f"/api/v1/search?{tag}q="

    starts = []
    for _ in range(a.starts):
        proc, base, seconds = start(a.paperboy, a.data)
        starts.append(seconds)
        stop(proc)
    proc, base, _ = start(a.paperboy, a.data)
    try:
        with urllib.request.urlopen(base + "/api/v1/stats", timeout=30) as response:
            stats = response.read().decode()
        rows = [("daily page `/`", wrk(base, "/", a))]
        for name, prefix in targets():
            wrk(base, "", a, rotate=prefix, duration=a.warmup)
            rows.append((f"{name} `{prefix}`", wrk(base, "", a, rotate=prefix)))
    finally:
        stop(proc)
    proc, base, _ = start(a.paperboy, a.data, ["--page-cache", "0"])
    single = []
    try:
        for name, prefix in targets():
            single.append((name, sequential(base, prefix, queries[:a.sequential])))
            rows.append((f"{name}, `--page-cache 0`", wrk(base, "", a, rotate=prefix)))
    finally:
        stop(proc)
    lines = [f"## Web app under load{(' — ' + a.label) if a.label else ''}", "",
             f"wrk, {a.connections} connections, {a.threads} threads, {a.duration} s per target; search targets rotate "
             f"through {len(queries)} queries, after {a.warmup} s of unmeasured searching "
             f"(except the `--page-cache 0` rows, where every request is ranked and rendered). "
             f"Store: `{stats.strip()[:300]}`.", "",
             f"Cold start to the first answered request: median {statistics.median(starts):.2f} s "
             f"(runs: {', '.join(f'{s:.2f}' for s in starts)}).", "",
             "| target | requests/s | p50 | p90 | p99 | non-2xx | socket errors |", "|---|---:|---:|---:|---:|---:|---:|"]
    for name, r in rows:
        lines.append(f"| {name} | {r['rps']:,.0f} | {r['p50'] * 1e3:.1f} ms | {r['p90'] * 1e3:.1f} ms | "
                     f"{r['p99'] * 1e3:.1f} ms | {r['non2xx']} | {r['socket_errors']} |")
    lines += ["", f"One reader at a time, uncached (`--page-cache 0`), {a.sequential} queries:", "",
              "| target | p50 | p90 | p99 |", "|---|---:|---:|---:|"]
    for name, r in single:
        lines.append(f"| {name} | {r['p50'] * 1e3:.1f} ms | {r['p90'] * 1e3:.1f} ms | {r['p99'] * 1e3:.1f} ms |")
    lines += ["", "Command: `python3 bench/load_benchmark.py " + " ".join(sys.argv[1:]) + "`", ""]
    text = "\n".join(lines)
    print(text)
    if a.out:
        with open(a.out, "a") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
