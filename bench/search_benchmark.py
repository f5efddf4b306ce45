#!/usr/bin/env python3
"""Keyword search: Paperboy against tantivy, bm25s and SQLite FTS5 on the same generated corpus
and the same queries, in the same run.

    python3 bench/search_benchmark.py --sizes 100000 1000000 --repeat 3
    python3 bench/search_benchmark.py --sizes 10000 --peers-only        # without Paperboy

For each size: generates the corpus (bench/search_corpus.py) and 1,000 queries
(bench/search_queries.py), cached in --work by size and seed; builds the release binary and runs
`paperboy import`, `paperboy index` (both under /usr/bin/time for peak RSS) and
`paperboy bench search`; runs each peer (bench/search_peers.py, each phase in its own process);
prints markdown tables and writes everything, top-10 ids and per-query latencies included, to
--json (default WORK/results.json).

Paperboy's build is reported two ways: `paperboy index` alone (from its store) and
import + index (from the JSON lines). The peers' build always includes reading the JSON lines.
Memory: Paperboy's figures are whole-process RSS; the peers' are growth over their Python
process's baseline after imports (so the interpreter and numpy are not counted against them).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from search_common import ROOT, overlap_at_10, percentile_ms  # noqa: E402
from search_peers import run_peer  # noqa: E402

MIB = 2**20


def timed(command: list, work: Path) -> tuple[dict, float, int]:
    """Runs command under /usr/bin/time -v: (its last stdout line as JSON, wall s, peak RSS bytes)."""
    report = work / "time-v.txt"
    started = time.monotonic()
    out = subprocess.run(["/usr/bin/time", "-v", "-o", str(report)] + [str(c) for c in command],
                         check=True, capture_output=True, text=True).stdout
    wall = time.monotonic() - started
    peak_kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", report.read_text()).group(1))
    return json.loads(out.strip().splitlines()[-1]), wall, peak_kib * 1024


def run_paperboy(binary: Path, corpus: Path, queries: Path, work: Path, repeat: int, threads: int) -> dict:
    data = work / "paperboy-data"
    shutil.rmtree(data, ignore_errors=True)
    imported, import_wall, import_peak = timed([binary, "import", corpus, "--data", data, "--json"], work)
    index, index_wall, index_peak = timed([binary, "index", "--data", data, "--json"], work)
    bench, _, search_peak = timed([binary, "bench", "search", "--data", data, "--queries", queries, "--limit", 10,
                                   "--repeat", repeat, "--threads", threads, "--json"], work)
    shutil.rmtree(data, ignore_errors=True)
    return {"peer": "paperboy", "import": imported, "import_seconds": import_wall, "import_peak_rss": import_peak,
            "index": index, "build_seconds": index["seconds"], "index_wall_seconds": index_wall,
            "import_plus_index_seconds": import_wall + index_wall, "index_bytes": index["bytes"],
            "build_peak_rss": index_peak, "resident_index_bytes": bench["index_bytes"],
            "serving_rss": bench["rss_bytes"], "search_peak_rss": search_peak, "load_seconds": bench["load_seconds"],
            "latencies_ns": bench["latencies_ns"], "qps_single": bench["qps_single"],
            "qps_threads": bench["qps_threads"], "threads": bench["threads"], "top": bench["top"],
            "p50_ms": percentile_ms(bench["latencies_ns"], 50), "p99_ms": percentile_ms(bench["latencies_ns"], 99)}


def cached(path: Path, script: str, *arguments) -> Path:
    """path, made first if missing by `python3 bench/script ... OUT` (OUT standing for path)."""
    if not path.exists():
        partial = path.with_name(path.name + ".partial")
        arguments = [partial if a == "OUT" else a for a in arguments]
        subprocess.run([sys.executable, HERE / script] + [str(a) for a in arguments], check=True)
        partial.rename(path)
    return path


def tables(size: int, engines: dict, threads: int) -> str:
    lines = [f"### {size:,} papers", "",
             f"| engine | build (s) | index (MiB) | build peak RAM (MiB) | serving RAM (MiB) | p50 (ms) | p99 (ms) "
             f"| QPS, 1 thread | QPS, {threads} threads |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, r in engines.items():
        if name == "paperboy":
            build = f"{r['build_seconds']:.1f} (import+index {r['import_plus_index_seconds']:.1f})"
            peak = r["build_peak_rss"]
            serving = (f"{r['serving_rss'] / MIB:.0f} (peak {r['search_peak_rss'] / MIB:.0f}, "
                       f"index {r['resident_index_bytes'] / MIB:.0f})")
        else:
            build = f"{r['build_seconds']:.1f}"
            peak, serving = r["build_peak_rss_growth"], f"+{r['after_queries_rss_growth'] / MIB:.0f}"
        if r.get("queries", 0) and r["queries"] < len(engines[next(iter(engines))]["latencies_ns"]):
            name = f"{name} (first {r['queries']} queries)"
        lines.append(f"| {name} | {build} | {r['index_bytes'] / MIB:.1f} | {peak / MIB:.0f} | {serving} | "
                     f"{r['p50_ms']:.3f} | {r['p99_ms']:.3f} | {r['qps_single']:,.0f} | {r['qps_threads']:,.0f} |")
    lines += ["", "Build includes reading the JSON lines, except Paperboy's first figure (`paperboy index` from its "
              "store). RAM: Paperboy's is whole-process RSS (serving: after loading the index); a peer's, `+`, is "
              "growth over its Python process after imports (serving: after the queries)."]
    if "paperboy" in engines:
        p = engines["paperboy"]
        lines += ["", "Paperboy / peer (QPS: above 1 is better for Paperboy; latency, build, memory: below 1 is):", "",
                  "| peer | QPS 1 thread | QPS all threads | p50 | p99 | build (index) | build (import+index) "
                  "| Paperboy resident index / peer index size |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for name, r in engines.items():
            if name != "paperboy":
                ratios = [p["qps_single"] / r["qps_single"], p["qps_threads"] / r["qps_threads"], p["p50_ms"] / r["p50_ms"],
                          p["p99_ms"] / r["p99_ms"], p["build_seconds"] / r["build_seconds"],
                          p["import_plus_index_seconds"] / r["build_seconds"], p["resident_index_bytes"] / r["index_bytes"]]
                lines.append(f"| {name} | " + " | ".join(f"{x:.3g}" for x in ratios) + " |")
    names = list(engines)
    lines += ["", "Mean top-10 overlap (share of common ids):", "", "| | " + " | ".join(names) + " |",
              "|---|" + "---:|" * len(names)]
    for a in names:
        lines.append(f"| {a} | " + " | ".join(f"{overlap_at_10(engines[a]['top'], engines[b]['top']):.2f}" for b in names) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--peers", default="tantivy,bm25s,fts5")
    parser.add_argument("--peers-only", action="store_true", help="skip Paperboy")
    parser.add_argument("--paperboy", type=Path, help="use this binary instead of building the release one")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/paperboy-search-bench"))
    parser.add_argument("--json", type=Path)
    parser.add_argument("--fts5-queries", type=int, default=100, help="queries FTS5 is timed on at 1M papers and more")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    output = args.json or args.work / "results.json"
    binary = args.paperboy
    if not args.peers_only and binary is None:
        subprocess.run(["swift", "build", "-c", "release", "--product", "paperboy"], cwd=ROOT, check=True)
        binary = ROOT / ".build/release/paperboy"

    results = {"command": " ".join(sys.argv), "repeat": args.repeat, "threads": args.threads, "seed": args.seed,
               "started": time.strftime("%Y-%m-%d %H:%M:%S"), "sizes": {}}
    print(f"Keyword search, top 10, OR of the query terms, fields title (x2), abstract, authors; "
          f"{args.repeat} timed passes, {args.threads} threads for the all-cores QPS.\n")
    for size in args.sizes:
        corpus = cached(args.work / f"corpus-{size}-s{args.seed}.jsonl", "search_corpus.py", size, "OUT",
                        "--seed", args.seed)
        queries = cached(args.work / f"queries-{size}-s{args.seed}-{args.queries}.txt", "search_queries.py", corpus,
                         "OUT", "--count", args.queries, "--seed", args.seed)
        engines = {}
        if not args.peers_only:
            engines["paperboy"] = run_paperboy(binary, corpus, queries, args.work, args.repeat, args.threads)
        for name in args.peers.split(","):
            peer_queries = queries
            if name == "fts5" and size >= 1_000_000 and args.fts5_queries < args.queries:
                # FTS5 scores every row matching an OR query: about 1.5 s a query at 1M, so it
                # is timed on the first queries only (the table says how many).
                peer_queries = args.work / f"queries-{size}-s{args.seed}-first{args.fts5_queries}.txt"
                peer_queries.write_text("".join(queries.read_text().splitlines(keepends=True)[:args.fts5_queries]))
            engines[name] = run_peer(name, corpus, peer_queries, args.work / f"peers-{size}", args.repeat, args.threads)
            engines[name]["queries"] = len(peer_queries.read_text().splitlines())
        results["sizes"][str(size)] = {"corpus": str(corpus), "queries": str(queries), "engines": engines}
        print(tables(size, engines, args.threads) + "\n", flush=True)
        output.write_text(json.dumps(results))
    print(f"Results (with top-10 ids and per-query latencies): {output}")


if __name__ == "__main__":
    main()
