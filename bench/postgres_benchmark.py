#!/usr/bin/env python3
"""Paperboy on PostgreSQL: import throughput against the SQLite store, and search QPS with
1, 2 and 3 nodes over one database.

    python3 bench/postgres_benchmark.py --url postgres://postgres@127.0.0.1:54329/postgres?sslmode=disable \
        --papers 1000000 --import-runs 2 --duration 30 --runs 3
    python3 bench/postgres_benchmark.py --url … --skip-import --page-cache 0 --duration 30 --runs 3

Measures, in one run:
- import: the generated snapshot (bench/generate_snapshot.py) imported by `paperboy import`
  into a fresh SQLite data directory and into a fresh PostgreSQL database, alternating,
  --import-runs times each; wall time, papers/s, peak RSS of the paperboy process;
- nodes: the keyword index is built once from the PostgreSQL store (`paperboy index`) and
  copied into each node's own data directory (as a deployment would restore it); then for
  n = 1, 2, 3, n `paperboy serve --store URL` processes answer `/api/v1/search?q=` under one
  wrk per node (--connections each, one thread), rotating through queries drawn from the
  corpus's titles, for --duration seconds; --runs rounds, medians reported. The nodes, wrk
  and PostgreSQL share this machine's cores, so the total is what the machine gives, and
  per node is the total divided by n. By default a node caches answers (64 MiB), so once
  the rotation has been through the queries most searches are answered from the cache;
  --page-cache 0 ranks every search and reads its papers from PostgreSQL.
Semantic search is off (no model): at 1M papers embedding alone would take hours here, and
what several nodes share is the store, which keyword search reads as much as hybrid does.
"""
import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def psql(url, sql):
    admin = url.split("?")[0]
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", admin, "-c", sql], check=True, capture_output=True)


def database_url(url, name):
    base, _, query = url.partition("?")
    base = base.rsplit("/", 1)[0] + "/" + name
    return base + ("?" + query if query else "")


def fresh_database(url, name):
    psql(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(url, f"CREATE DATABASE {name}")
    return database_url(url, name)


def timed_import(binary, snapshot, data, store=None):
    shutil.rmtree(data, ignore_errors=True)
    extra = ["--store", store] if store else []
    began = time.monotonic()
    result = subprocess.run(["/usr/bin/time", "-f", "%M", str(binary), "import", "--json", "--data", str(data), *extra,
                             str(snapshot)], capture_output=True, text=True)
    wall = time.monotonic() - began
    if result.returncode != 0:
        sys.exit(f"import failed: {result.stderr[-2000:]}")
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return wall, int(result.stderr.strip().splitlines()[-1]) // 1024, report


def start_node(binary, data, store, page_cache):
    env = dict(os.environ, PAPERBOY_MODEL=str(data / "no-model"))
    extra = [] if page_cache is None else ["--page-cache", str(page_cache)]
    proc = subprocess.Popen([str(binary), "serve", "--data", str(data), "--store", store, "--port", "0", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
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
                    return proc, base
        except OSError:
            time.sleep(0.05)


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def wrk_all(bases, queries_file, connections, duration):
    """One wrk per node, all at once; returns each node's requests/s and errors."""
    procs = []
    for index, base in enumerate(bases):
        env = dict(os.environ, QUERIES=str(queries_file), PATH_PREFIX="/api/v1/search?q=")
        cmd = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{duration}s", "--timeout", "10s",
               "-s", str(ROOT / "bench/load/rotate.lua"), base + "/"]
        procs.append(subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env))
    results = []
    for proc in procs:
        out = proc.communicate()[0]
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        non2xx = int((re.search(r"Non-2xx or 3xx responses: (\d+)", out) or [0, 0])[1])
        sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
        results.append({"rps": rps, "errors": non2xx + (sum(map(int, sock.groups())) if sock else 0)})
    return results


def queries_from(snapshot, count, seed=7):
    """Two- and three-word phrases from titles spread over the corpus, as readers type them."""
    rng = random.Random(seed)
    titles = []
    with open(snapshot) as f:
        for number, line in enumerate(f):
            if number % 997 == 0:
                titles.append(json.loads(line)["title"])
    queries = []
    while len(queries) < count:
        words = [w for w in re.findall(r"[A-Za-z]{4,}", rng.choice(titles))]
        if len(words) >= 3:
            start = rng.randrange(len(words) - 1)
            queries.append(" ".join(words[start:start + rng.choice((2, 3))]))
    return queries


def measure_import(a, binary, snapshot):
    """Imports into SQLite and PostgreSQL alternating, so both see the same machine; returns
    the URL of the last PostgreSQL store."""
    runs = {"SQLite": [], "PostgreSQL": []}
    store = None
    for run in range(a.import_runs):
        for kind in ("SQLite", "PostgreSQL"):
            data = a.work / f"pg-import-{kind.lower()}"
            store = fresh_database(a.url, "paperboy_bench") if kind == "PostgreSQL" else None
            wall, peak, report = timed_import(binary, snapshot, data, store)
            counts = report.get("counts", {})
            stored = counts.get("inserted", 0) + counts.get("updated", 0) + counts.get("unchanged", 0)
            runs[kind].append((wall, peak))
            print(f"import into {kind}, run {run + 1}: {wall:.1f} s, {a.papers / wall:,.0f} papers/s, "
                  f"peak {peak} MiB, {stored:,} papers", flush=True)
    print("\n| store | runs | median wall (s) | median papers/s | median peak RSS (MiB) |")
    print("|---|---:|---:|---:|---:|")
    medians = {}
    for kind, values in runs.items():
        wall = statistics.median(w for w, _ in values)
        medians[kind] = wall
        print(f"| {kind} | {len(values)} | {wall:.1f} | {a.papers / wall:,.0f} | {statistics.median(m for _, m in values):.0f} |")
    print(f"\nPostgreSQL import speed / SQLite's: {medians['SQLite'] / medians['PostgreSQL']:.2f}×\n", flush=True)
    return store


def build_node_indexes(binary, nodes, store):
    """Builds the keyword index once and copies it into every node's data directory."""
    for data in nodes:
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir(parents=True)
    began = time.monotonic()
    subprocess.run([str(binary), "index", "--data", str(nodes[0]), "--store", store], check=True,
                   capture_output=True, env=dict(os.environ, PAPERBOY_MODEL=str(nodes[0] / "no-model")))
    print(f"keyword index built from PostgreSQL in {time.monotonic() - began:.1f} s", flush=True)
    for data in nodes[1:]:
        shutil.copy(nodes[0] / "keyword.index", data / "keyword.index")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", required=True, help="a PostgreSQL server URL (its databases are created and dropped)")
    p.add_argument("--papers", type=int, default=1_000_000)
    p.add_argument("--import-runs", type=int, default=2)
    p.add_argument("--nodes", type=int, nargs="+", default=[1, 2, 3])
    p.add_argument("--connections", type=int, default=16, help="wrk connections per node")
    p.add_argument("--duration", type=int, default=30)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--work", type=Path, default=Path("/tmp/paperboy-bench"))
    p.add_argument("--page-cache", type=int, help="serve --page-cache MiB (0: every search ranked and read from the store)")
    p.add_argument("--skip-import", action="store_true",
                   help="measure the nodes on the database and index files of an earlier run")
    p.add_argument("--skip-build", action="store_true")
    a = p.parse_args()

    if not a.skip_build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "paperboy"], cwd=ROOT, check=True)
    binary = ROOT / ".build/release/paperboy"
    a.work.mkdir(parents=True, exist_ok=True)
    snapshot = a.work / f"snapshot-{a.papers}.jsonl"
    if not snapshot.exists():
        subprocess.run([sys.executable, str(ROOT / "bench/generate_snapshot.py"), str(a.papers), str(snapshot)], check=True)

    nodes = [a.work / f"pg-node-{i}" for i in range(max(a.nodes))]
    queries_file = a.work / "pg-queries.txt"
    if a.skip_import:
        store = database_url(a.url, "paperboy_bench")
    else:
        store = measure_import(a, binary, snapshot)
        build_node_indexes(binary, nodes, store)
        queries_file.write_text("\n".join(queries_from(snapshot, 2000)) + "\n")

    totals = {n: [] for n in a.nodes}
    per_node = {n: [] for n in a.nodes}
    errors = {n: 0 for n in a.nodes}
    for run in range(a.runs):
        for n in a.nodes:
            started = [start_node(binary, nodes[i], store, a.page_cache) for i in range(n)]
            try:
                wrk_all([base for _, base in started], queries_file, a.connections, 5)  # warm-up, not counted
                results = wrk_all([base for _, base in started], queries_file, a.connections, a.duration)
            finally:
                for proc, _ in started:
                    stop(proc)
            total = sum(r["rps"] for r in results)
            totals[n].append(total)
            per_node[n].append(total / n)
            errors[n] += sum(r["errors"] for r in results)
            print(f"run {run + 1}, {n} node(s): {total:,.0f} requests/s in total "
                  f"({', '.join(format(r['rps'], ',.0f') for r in results)}), {sum(r['errors'] for r in results)} errors",
                  flush=True)
    print("\n| nodes | runs | median total requests/s | median per node | errors | total vs 1 node |")
    print("|---:|---:|---:|---:|---:|---:|")
    one = statistics.median(totals[a.nodes[0]])
    for n in a.nodes:
        total = statistics.median(totals[n])
        print(f"| {n} | {len(totals[n])} | {total:,.0f} | {statistics.median(per_node[n]):,.0f} | {errors[n]} | {total / one:.2f}× |")


if __name__ == "__main__":
    main()
