#!/usr/bin/env python3
"""How soon a paper imported through one Paperboy node is found by search on another node
over the same PostgreSQL database (the goal: within 2 s).

    python3 bench/propagation_benchmark.py --url postgres://postgres@127.0.0.1:54329/postgres?sslmode=disable \
        --paperboy .build/release/paperboy --rounds 20

Two `paperboy serve` nodes, A and B (data directories of their own, default settings) serve
a fresh database holding the recorded Hugging Face daily papers. Each round writes one new
paper whose title holds a word no other paper has, imports it with `paperboy import`
through node A's data directory, and from the moment that process exits asks node B's
`/api/v1/search?q=WORD` every 10 ms until the paper is in the answer; node A is asked the
same way. Medians, 90th percentiles and maxima over the rounds are printed, and JSON with
`--json`. The nodes also poll the store every `server.refresh_seconds` (5 s), so a figure
near 5 s would mean the announcement did not arrive.

`--load N` keeps node B busy meanwhile: wrk with N connections searching it for titles'
words (bench/load/rotate.lua), so the paper must arrive while B answers other readers.
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
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "fixtures" / "hf-daily-papers" / "daily_papers_2026-06-12.json"


def psql(url, sql):
    admin = url.split("?")[0]
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", admin, "-c", sql], check=True, capture_output=True)


def fresh_database(url, name):
    psql(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(url, f"CREATE DATABASE {name}")
    base, _, query = url.partition("?")
    return base.rsplit("/", 1)[0] + "/" + name + ("?" + query if query else "")


def run(binary, data, store, *arguments):
    env = dict(os.environ, PAPERBOY_MODEL=str(data / "no-model"))
    result = subprocess.run([str(binary), *arguments, "--data", str(data), "--store", store],
                            capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.exit(f"paperboy {arguments[0]} failed: {result.stderr[-2000:]}")


def start_node(binary, data, store):
    env = dict(os.environ, PAPERBOY_MODEL=str(data / "no-model"))
    proc = subprocess.Popen([str(binary), "serve", "--data", str(data), "--store", store, "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    match = re.search(r"at (http://[^ ]+) \(ready", proc.stdout.readline())
    if not match:
        proc.kill()
        sys.exit("a node did not start")
    return proc, match.group(1)


def finds(base, word, paper_id):
    with urllib.request.urlopen(f"{base}/api/v1/search?q={urllib.parse.quote(word)}", timeout=30) as answer:
        return paper_id in answer.read().decode()


def paper_line(paper_id, word):
    return json.dumps({
        "id": paper_id, "submitter": "A. Author", "authors": "A. Author, B. Author",
        "title": f"A study of {word} in distributed paper search",
        "abstract": f"We measure how soon {word} is found on every node.",
        "categories": "cs.IR", "versions": [{"version": "v1", "created": "Fri, 27 Nov 2026 00:00:00 GMT"}],
    }) + "\n"


def start_load(base, connections, work):
    """wrk searching `base` with words of the seed papers' titles until stopped."""
    titles = [paper.get("paper", paper)["title"] for paper in json.loads(SEED.read_text())]
    queries = work / "queries.txt"
    queries.write_text("\n".join(" ".join(re.findall(r"[A-Za-z]{4,}", title)[:2]) for title in titles) + "\n")
    env = dict(os.environ, QUERIES=str(queries), PATH_PREFIX="/api/v1/search?q=")
    return subprocess.Popen(["wrk", "-t", "1", "-c", str(connections), "-d", "3600s", "--timeout", "10s",
                             "-s", str(ROOT / "bench/load/rotate.lua"), base + "/"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)


def summary(values):
    ordered = sorted(values)
    return {"median": statistics.median(ordered), "p90": ordered[int(0.9 * (len(ordered) - 1))], "max": ordered[-1]}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="a PostgreSQL server's URL (a database is made in it)")
    parser.add_argument("--paperboy", default=str(ROOT / ".build/release/paperboy"))
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--load", type=int, default=0, metavar="N", help="wrk connections searching node B meanwhile")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    binary = Path(args.paperboy)
    store = fresh_database(args.url, "paperboy_propagation")
    work = Path(tempfile.mkdtemp(prefix="paperboy-propagation-"))
    nodes = []
    load = None
    try:
        run(binary, work / "seed", store, "import", str(SEED))
        nodes = [start_node(binary, work / name, store) for name in ("a", "b")]
        (_, base_a), (_, base_b) = nodes
        if args.load:
            load = start_load(base_b, args.load, work)
            time.sleep(2)
        rounds = []
        for number in range(args.rounds):
            word = "probe" + "".join(random.choice("bcdfghjklmnpqrstvwxz") for _ in range(12))
            paper_id = f"2611.{90000 + number}"
            file = work / f"round{number}.jsonl"
            file.write_text(paper_line(paper_id, word))
            run(binary, work / "a", store, "import", str(file))
            imported = time.monotonic()
            seen = {}
            while len(seen) < 2 and time.monotonic() - imported < 30:
                for name, base in (("b", base_b), ("a", base_a)):
                    if name not in seen and finds(base, word, paper_id):
                        seen[name] = time.monotonic() - imported
                time.sleep(0.01)
            if len(seen) < 2:
                sys.exit(f"round {number}: {paper_id} not found on every node within 30 s ({seen})")
            rounds.append(seen)
            time.sleep(0.5)
        report = {"rounds": args.rounds, "load_connections": args.load,
                  "node_b_seconds": summary([r["b"] for r in rounds]), "node_a_seconds": summary([r["a"] for r in rounds])}
        if load:
            load.send_signal(2)   # wrk prints its summary on SIGINT
            report["load_requests_per_second"] = float(re.search(r"Requests/sec:\s+([\d.]+)", load.communicate()[0]).group(1))
            load = None
        if args.json:
            print(json.dumps(report))
        else:
            for node in ("b", "a"):
                figures = report[f"node_{node}_seconds"]
                print(f"node {node.upper()}: found after median {figures['median']:.3f} s, "
                      f"p90 {figures['p90']:.3f} s, max {figures['max']:.3f} s over {args.rounds} imports")
            if args.load:
                print(f"node B meanwhile answered {report['load_requests_per_second']:,.0f} searches/s ({args.load} connections)")
    finally:
        if load:
            load.kill()
        for proc, _ in nodes:
            proc.terminate()
            proc.wait()
        shutil.rmtree(work, ignore_errors=True)
        psql(args.url, "DROP DATABASE IF EXISTS paperboy_propagation WITH (FORCE)")


if __name__ == "__main__":
    main()
