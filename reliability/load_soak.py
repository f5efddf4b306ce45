#!/usr/bin/env python3
"""Load ramp and soak: `paperboy serve` on a large data directory under a mixed load, with
an import and a harvest running beside it.

    python3 reliability/load_soak.py --data /tmp/paperboy-load-1m --paperboy .build/release/paperboy \
        --soak-minutes 30 --json reliability/results/load-soak.json

The data directory holds the papers (`paperboy import` of `bench/generate_snapshot.py`'s
1M lines) and their keyword index (`paperboy index`). The load is a rotation through paths
made from the store: searches for two or three words of random titles (60 %, so the page
cache cannot answer most of them), JSON API searches (15 %), paper pages (20 %) and the
daily and trending pages (5 %).

1. Ramp: wrk at 8, 16, 32, … connections, --step-seconds each, until errors pass
   --max-error-rate. The capacity is the most requests/s of a step that held the goal
   (errors within --max-error-rate and p99 within --max-p99 seconds).
2. Soak: --soak-minutes one-minute wrk runs paced at 70 % of the capacity's requests/s
   (wrk's per-connection delay), while other processes import 2,000 new papers every
   minute and harvest the recorded OAI-PMH pages (2,265 papers) every two minutes. Each
   minute reports requests/s, p99, errors, the server's resident memory and open files.

With --no-writers the soak runs without the import and the harvest, to see memory under
reads alone; --capacity RPS@CONNECTIONS reuses an earlier ramp's capacity and skips the ramp.
Exits non-zero when the soak had any error. Results go to --json.
"""
import argparse
import contextlib
import http.server
import json
import os
import random
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "bench"))
from harvest_benchmark import Replay  # noqa: E402  (the recorded OAI-PMH pages, served from loopback)
from load_benchmark import parse_wrk, start, stop  # noqa: E402

WORD = re.compile(r"[A-Za-z]{4,}")


def load_paths(database, count, seed):
    """Request paths in the mix the module doc describes, from `count` random papers."""
    rng = random.Random(seed)
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        (highest,) = db.execute("SELECT max(rowid) FROM papers").fetchone()
        rows = []
        while len(rows) < count:
            rowid = rng.randint(1, highest)
            rows += db.execute("SELECT id, title FROM papers WHERE rowid = ?", (rowid,)).fetchall()
    paths = []
    for paper_id, title in rows:
        words = WORD.findall(title) or ["paper"]
        query = urllib.parse.quote_plus(" ".join(rng.sample(words, min(len(words), rng.choice((2, 3))))))
        roll = rng.random()
        if roll < 0.60:
            paths.append(f"/search?q={query}")
        elif roll < 0.75:
            paths.append(f"/api/v1/search?q={query}")
        elif roll < 0.95:
            paths.append(f"/papers/{paper_id}")
        else:
            paths.append(rng.choice(("/", "/trending")))
    return paths


def run_wrk(base, paths_file, connections, seconds, delay_ms=0):
    env = dict(os.environ, PATHS=str(paths_file), DELAY_MS=str(delay_ms))
    threads = min(2, connections)
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency",
                          "--timeout", "10s", "-s", str(HERE.parent / "bench" / "load" / "rotate.lua"), base],
                         capture_output=True, text=True, env=env).stdout
    report = parse_wrk(out)
    report["errors"] = report["non2xx"] + report["socket_errors"]
    report["connections"] = connections
    return report


def ramp(base, paths_file, a):
    """Doubles the connections until a step has errors past the goal, or --max-connections.
    A step whose p99 breaks the goal does not end the ramp: the steps after it show how the
    server degrades (queueing, then timeouts) past its capacity."""
    steps, connections = [], 8
    while connections <= a.max_connections:
        step = run_wrk(base, paths_file, connections, a.step_seconds)
        step["held"] = step["errors"] <= a.max_error_rate * max(1, step["requests"]) and step["p99"] <= a.max_p99
        steps.append(step)
        log(f"ramp {connections:5d} connections: {step['rps']:8.1f} req/s, p99 {step['p99'] * 1000:8.1f} ms, "
            f"{step['errors']} errors of {step['requests']} — {'held' if step['held'] else 'BROKE'}")
        if step["errors"] > a.max_error_rate * max(1, step["requests"]):
            break
        connections *= 2
    return steps


def process_memory(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    rss_kib = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))
    return rss_kib / 1024, len(os.listdir(f"/proc/{pid}/fd"))


class Writers:
    """The import and harvest running beside the load, in their own processes, each on its own
    schedule, until stopped. Counts what each did and any run that failed."""

    def __init__(self, paperboy, data, a):
        self.paperboy, self.data, self.a = paperboy, data, a
        self.stopping = threading.Event()
        self.imports = {"runs": 0, "failed": 0, "papers": 0, "seconds": []}
        self.harvests = {"runs": 0, "failed": 0, "seconds": []}
        self.replay = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Replay)
        self.scratch = tempfile.TemporaryDirectory()
        self.threads = [threading.Thread(target=self.serve_replay, daemon=True),
                        threading.Thread(target=self.keep_importing, daemon=True),
                        threading.Thread(target=self.keep_harvesting, daemon=True)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads[1:]:
            thread.join()
        self.replay.shutdown()
        self.scratch.cleanup()

    def serve_replay(self):
        self.replay.serve_forever()

    def timed(self, command, tally):
        began = time.monotonic()
        done = subprocess.run(command, capture_output=True, text=True)
        tally["runs"] += 1
        tally["seconds"].append(time.monotonic() - began)
        if done.returncode != 0:
            tally["failed"] += 1
            log(f"FAILED: {' '.join(command)}: {done.stderr.strip()[-300:]}")
        return done.returncode == 0

    def keep_importing(self):
        """2,000 new papers a minute: generated snapshot lines given ids no other paper has."""
        template = Path(self.scratch.name) / "template.jsonl"
        subprocess.run([sys.executable, str(HERE.parent / "bench" / "generate_snapshot.py"), "2000", str(template)],
                       check=True, capture_output=True)
        lines = [json.loads(line) for line in template.read_text().splitlines()]
        batch, given = 0, 0
        while not self.stopping.wait(0 if batch == 0 else self.a.import_every):
            batch += 1
            path = Path(self.scratch.name) / f"batch-{batch}.jsonl"
            with path.open("w") as out:
                for record in lines:
                    # 26MM.NNNNN: a month the benchmark corpus (15MM) never reaches.
                    record["id"] = f"26{1 + given // 99_999:02d}.{given % 99_999 + 1:05d}"
                    given += 1
                    out.write(json.dumps(record) + "\n")
            if self.timed([self.paperboy, "import", "--data", self.data, str(path)], self.imports):
                self.imports["papers"] += len(lines)

    def keep_harvesting(self):
        url = f"http://127.0.0.1:{self.replay.server_address[1]}/oai2"
        first = True
        while not self.stopping.wait(0 if first else self.a.harvest_every):
            first = False
            self.timed([self.paperboy, "harvest", "--data", self.data, "--oai-url", url,
                        "--metadata-prefix", "oai_dc", "--from", "2023-03-07"], self.harvests)


def soak(base, pid, paths_file, capacity, a):
    """One-minute wrk runs paced at 70 % of the capacity's requests/s, with the writers
    running. Each connection pauses after each answer; the pause is set again after every
    minute from the rate that minute reached (the answers' own time is what varies)."""
    connections = capacity["connections"]
    target = 0.7 * capacity["rps"]
    answer_ms = 1000 * connections / capacity["rps"] / 2  # a first guess: half the time at capacity
    delay_ms = max(1, round(connections * 1000 / target - answer_ms))
    log(f"soak: {a.soak_minutes} min at {target:.0f} req/s on {connections} connections")
    minutes = []
    with (contextlib.nullcontext(None) if a.no_writers else Writers(a.paperboy, a.data, a)) as writers:
        for minute in range(1, a.soak_minutes + 1):
            report = run_wrk(base, paths_file, connections, 60, delay_ms)
            report["minute"], report["delay_ms"] = minute, delay_ms
            report["rss_mib"], report["open_files"] = process_memory(pid)
            minutes.append(report)
            log(f"minute {minute:3d}: {report['rps']:7.1f} req/s, p99 {report['p99'] * 1000:7.1f} ms, "
                f"{report['errors']} errors, RSS {report['rss_mib']:.0f} MiB, {report['open_files']} open files"
                + (f"; imports {writers.imports['runs']}, harvests {writers.harvests['runs']}" if writers else ""))
            answer_ms = max(0, 1000 * connections / max(report["rps"], 1) - delay_ms)
            delay_ms = max(1, round(connections * 1000 / target - answer_ms))
    idle = {"runs": 0, "failed": 0}
    return {"connections": connections, "target_rps": target, "minutes": minutes,
            "imports": writers.imports if writers else idle, "harvests": writers.harvests if writers else idle}


def log(line):
    print(time.strftime("%H:%M:%S"), line, flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True)
    p.add_argument("--paperboy", default=".build/release/paperboy")
    p.add_argument("--paths", type=int, default=20_000, help="papers the request paths are made from")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--step-seconds", type=int, default=20)
    p.add_argument("--max-connections", type=int, default=4096)
    p.add_argument("--max-p99", type=float, default=1.0, help="seconds")
    p.add_argument("--max-error-rate", type=float, default=0.001)
    p.add_argument("--soak-minutes", type=int, default=30)
    p.add_argument("--import-every", type=float, default=60)
    p.add_argument("--harvest-every", type=float, default=120)
    p.add_argument("--no-writers", action="store_true", help="no import or harvest beside the load: memory under reads alone")
    p.add_argument("--capacity", help="RPS@CONNECTIONS from an earlier ramp, which is then skipped")
    p.add_argument("--json")
    a = p.parse_args()
    a.paperboy = str(Path(a.paperboy).resolve())
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    paths_file = Path(tempfile.mkstemp(suffix=".paths")[1])
    paths_file.write_text("\n".join(load_paths(Path(a.data) / "paperboy.sqlite", a.paths, a.seed)) + "\n")
    proc, base, started = start(a.paperboy, a.data)
    log(f"serving {a.data} at {base} (ready in {started:.1f} s)")
    try:
        run_wrk(base, paths_file, 16, a.step_seconds)  # warm-up, unreported
        if a.capacity:
            rps, connections = a.capacity.split("@")
            steps, capacity = [], {"rps": float(rps), "connections": int(connections)}
        else:
            steps = ramp(base, paths_file, a)
            held = [step for step in steps if step["held"]]
            if not held:
                sys.exit("even the first ramp step broke the goal")
            capacity = max(held, key=lambda step: step["rps"])
        log(f"capacity: {capacity['rps']:.1f} req/s at {capacity['connections']} connections")
        result = soak(base, proc.pid, paths_file, capacity, a)
    finally:
        stop(proc)
        paths_file.unlink()
    minutes = result["minutes"]
    errors = sum(m["errors"] for m in minutes)
    summary = {"ramp": steps, "capacity": capacity, "soak": result, "errors": errors,
               "requests": sum(m["requests"] for m in minutes),
               "median_rps": statistics.median(m["rps"] for m in minutes),
               "max_p99": max(m["p99"] for m in minutes),
               "rss_first_mib": minutes[0]["rss_mib"], "rss_last_mib": minutes[-1]["rss_mib"],
               "rss_max_mib": max(m["rss_mib"] for m in minutes)}
    log(f"soak: {summary['requests']:,} requests, {errors} errors, median {summary['median_rps']:.1f} req/s, "
        f"worst p99 {summary['max_p99'] * 1000:.0f} ms, RSS {summary['rss_first_mib']:.0f} → {summary['rss_last_mib']:.0f} MiB "
        f"(max {summary['rss_max_mib']:.0f}); imports {result['imports']['runs']} ({result['imports']['failed']} failed), "
        f"harvests {result['harvests']['runs']} ({result['harvests']['failed']} failed)")
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
        Path(a.json).write_text(json.dumps(summary, indent=1))
    failed_writes = result["imports"]["failed"] + result["harvests"]["failed"]
    sys.exit(1 if errors or failed_writes else 0)


if __name__ == "__main__":
    main()
