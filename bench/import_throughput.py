#!/usr/bin/env python3
"""Import throughput of `paperboy import` on generated arXiv snapshots: papers/s and peak memory.

Builds the release binary, generates snapshots of each size (bench/generate_snapshot.py,
cached in the work directory), imports each into a fresh data directory RUNS times and
prints the median wall time, papers/s and peak resident memory (from /usr/bin/time).
Memory is flat when the peak does not grow with the input size.

    python3 bench/import_throughput.py --sizes 100000 1000000 --runs 3
"""
import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_import(binary: Path, snapshot: Path, data: Path) -> tuple[float, int, dict]:
    shutil.rmtree(data, ignore_errors=True)
    started = time.monotonic()
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%M", str(binary), "import", "--json", "--data", str(data), str(snapshot)],
        capture_output=True, text=True, check=True)
    wall = time.monotonic() - started
    peak_kb = int(result.stderr.strip().splitlines()[-1])
    return wall, peak_kb, json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/paperboy-bench"))
    args = parser.parse_args()

    subprocess.run(["swift", "build", "-c", "release", "--product", "paperboy"], cwd=ROOT, check=True)
    binary = ROOT / ".build/release/paperboy"
    args.work.mkdir(parents=True, exist_ok=True)

    print("| papers | runs | median wall (s) | median papers/s | peak RSS (MiB), median | store size (MiB) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        snapshot = args.work / f"snapshot-{size}.jsonl"
        if not snapshot.exists():
            subprocess.run([sys.executable, str(ROOT / "bench/generate_snapshot.py"), str(size), str(snapshot)], check=True)
        walls, peaks = [], []
        for _ in range(args.runs):
            wall, peak_kb, report = run_import(binary, snapshot, args.work / "data")
            assert report["counts"]["inserted"] == size, report
            walls.append(wall)
            peaks.append(peak_kb)
        store = sum(f.stat().st_size for f in (args.work / "data").glob("paperboy.sqlite*"))
        wall = statistics.median(walls)
        print(f"| {size:,} | {args.runs} | {wall:.1f} | {size / wall:,.0f} | {statistics.median(peaks) / 1024:.0f} | {store / 2**20:,.0f} |",
              flush=True)
        print(f"<!-- walls {['%.1f' % w for w in walls]}, peaks KiB {peaks} -->", flush=True)
    shutil.rmtree(args.work / "data", ignore_errors=True)


if __name__ == "__main__":
    main()
