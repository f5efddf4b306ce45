#!/usr/bin/env python3
"""Vector search: Paperboy's index against hnswlib and faiss (HNSW), side by side.

Data: bench/vector_data.py (synthetic clustered MiniLM-like unit vectors, 384-dim, queries
held out, ground truth by faiss IndexFlatIP). Every system runs in its own process (so its
RSS growth is its own), builds over the first --n rows with M=16, efConstruction=200 on
--threads threads, then answers the 1,000 queries single-threaded at each ef of a sweep;
QPS is the median of --query-repeats passes. The whole comparison is repeated --repeat
times (systems interleaved within each repeat) and medians are reported, with ratios to
hnswlib at the lowest ef reaching recall@10 >= 0.95.

  python3 bench/vector_benchmark.py --n 100000 --repeat 3 --out bench/results/vector-search.md
"""
import argparse, json, os, resource, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
EFS = [10, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 64, 72, 80, 96, 128, 160, 200, 240, 320, 400, 480]


def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def run_peer(a):
    """Child process: one peer system, prints one JSON line."""
    import numpy as np
    base = np.load(os.path.join(a.data, "base.npy"), mmap_mode="r")
    queries = np.load(os.path.join(a.data, "queries.npy"))
    truth = np.load(os.path.join(a.data, f"gt-{a.n}.npy"))[:, :a.k]
    data = np.ascontiguousarray(base[:a.n])  # read before measuring: the peers need it in memory
    before = rss()
    t = time.perf_counter()
    if a.system == "hnswlib":
        import hnswlib
        index = hnswlib.Index(space="ip", dim=data.shape[1])
        index.init_index(max_elements=a.n, M=a.m, ef_construction=a.ef_construction, random_seed=100)
        index.add_items(data, num_threads=a.threads)
        index.set_num_threads(1)
        def search(ef):
            index.set_ef(ef)
            return index.knn_query(queries, k=a.k, num_threads=1)[0]
        index_bytes = index.index_file_size() if hasattr(index, "index_file_size") else 0
    else:
        import faiss
        faiss.omp_set_num_threads(a.threads)
        index = faiss.IndexHNSWFlat(data.shape[1], a.m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = a.ef_construction
        index.add(data)
        faiss.omp_set_num_threads(1)
        def search(ef):
            index.hnsw.efSearch = ef
            return index.search(queries, a.k)[1]
        index_bytes = 0
    build = time.perf_counter() - t
    grown = rss() - before
    del data
    points = []
    for ef in EFS:
        if ef < a.k:
            continue
        found = search(ef)
        recall = sum(len(set(found[i]) & set(truth[i])) for i in range(len(queries))) / (len(queries) * a.k)
        runs = []
        for _ in range(a.query_repeats):
            t0 = time.perf_counter()
            search(ef)
            runs.append(time.perf_counter() - t0)
        points.append({"ef": ef, "recall": recall, "qps": len(queries) / statistics.median(runs)})
        if recall >= 0.99:
            break
    print(json.dumps({"system": a.system, "n": a.n, "build_seconds": build, "rss_growth_bytes": grown,
                      "index_bytes": index_bytes, "points": points}))


def run_child(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def ours(a, mode):
    cmd = [a.paperboy, "bench", "vectors", "--base", os.path.join(a.data, "base.npy"),
           "--queries", os.path.join(a.data, "queries.npy"), "--truth", os.path.join(a.data, f"gt-{a.n}.npy"),
           "--n", str(a.n), "--mode", mode, "--m", str(a.m), "--ef-construction", str(a.ef_construction),
           "--k", str(a.k), "--threads", str(a.threads), "--repeat", str(a.query_repeats),
           "--ef", ",".join(str(e) for e in EFS if e >= a.k)]
    if mode == "hnsw" and a.save:
        cmd += ["--save", a.save]
    return run_child(cmd)


def peer(a, system):
    return run_child([sys.executable, __file__, "--child", system, "--n", str(a.n), "--data", a.data,
                      "--m", str(a.m), "--ef-construction", str(a.ef_construction), "--k", str(a.k),
                      "--threads", str(a.threads), "--query-repeats", str(a.query_repeats)])


def at_target(report, target):
    """The lowest-ef point reaching the recall target (or the best point if none does)."""
    for p in report["points"]:
        if p["recall"] >= target:
            return p
    return max(report["points"], key=lambda p: p["recall"])


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--child")
    p.add_argument("--system")
    p.add_argument("--n", type=int, default=100_000)
    p.add_argument("--data", default="/tmp/paperboy-vectors")
    p.add_argument("--paperboy", default="/tmp/sp-vindex/release/paperboy")
    p.add_argument("--m", type=int, default=16)
    p.add_argument("--ef-construction", type=int, default=200)
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--query-repeats", type=int, default=3)
    p.add_argument("--systems", default="paperboy-hnsw,hnswlib,faiss,paperboy-flat")
    p.add_argument("--target", type=float, default=0.95)
    p.add_argument("--save", default="/tmp/pbv-bench.idx")
    p.add_argument("--out")
    a = p.parse_args()
    if a.child:
        a.system = a.child
        return run_peer(a)
    runs = {s: [] for s in a.systems.split(",")}
    loads = []
    for r in range(a.repeat):
        for s in runs:
            loads.append(loadavg())
            report = ours(a, "hnsw") if s == "paperboy-hnsw" else ours(a, "flat") if s == "paperboy-flat" else peer(a, s)
            runs[s].append(report)
            print(f"repeat {r + 1} {s}: build {report['build_seconds']:.1f}s, at target {at_target(report, a.target)}",
                  file=sys.stderr, flush=True)
    rows = {}
    for s, reports in runs.items():
        targets = [at_target(rep, a.target) for rep in reports]
        rows[s] = {
            "build": statistics.median(rep["build_seconds"] for rep in reports),
            "rss": statistics.median(rep["rss_growth_bytes"] for rep in reports) / a.n,
            "own": statistics.median(rep.get("index_bytes", 0) for rep in reports) / a.n,
            "ef": statistics.median(t["ef"] for t in targets),
            "recall": statistics.median(t["recall"] for t in targets),
            "qps": statistics.median(t["qps"] for t in targets),
            "load": statistics.median(rep.get("load_file_seconds", 0) for rep in reports),
        }
    ref = rows.get("hnswlib")
    lines = [f"## Vector search, {a.n:,} × 384 (clustered synthetic MiniLM-like vectors)", "",
             f"M={a.m}, efConstruction={a.ef_construction}, build on {a.threads} threads, queries single-threaded; "
             f"{a.repeat} repeats (systems interleaved), medians; ratios to hnswlib. "
             f"Machine: 2 cores AVX2+FMA, shared (load average at each run start: {', '.join(loads)}).", "",
             "| system | build s | build × | ef at recall@10 ≥ %.2f | recall@10 | QPS (1 thread) | QPS × | RSS growth B/vector | own size B/vector |" % a.target,
             "|---|---|---|---|---|---|---|---|---|"]
    for s, row in rows.items():
        ratio_b = f"{row['build'] / ref['build']:.2f}" if ref else "-"
        ratio_q = f"{row['qps'] / ref['qps']:.2f}" if ref else "-"
        own = f"{row['own']:.0f}" if row["own"] else "-"
        ef = "exact" if s == "paperboy-flat" else f"{row['ef']:.0f}"
        lines.append(f"| {s} | {row['build']:.1f} | {ratio_b} | {ef} | {row['recall']:.4f} | {row['qps']:.0f} | {ratio_q} | "
                     f"{row['rss']:.0f} | {own} |")
    lines += ["", "Full sweeps (first repeat):", ""]
    for s, reports in runs.items():
        lines.append(f"- {s}: " + ", ".join(f"ef {p['ef']}: {p['recall']:.4f} @ {p['qps']:.0f} qps" for p in reports[0]["points"]))
    if "paperboy-hnsw" in runs:
        lines.append(f"- paperboy-hnsw index file save/load: load {rows['paperboy-hnsw']['load']:.2f} s (median)")
    lines += ["", "Command: `python3 bench/vector_benchmark.py " + " ".join(sys.argv[1:]) + "`", ""]
    text = "\n".join(lines)
    print(text)
    if a.out:
        mode = "a" if os.path.exists(a.out) else "w"
        with open(a.out, mode) as f:
            f.write(text + "\n")
    json.dump(runs, open(f"/tmp/pbv-runs-{a.n}.json", "w"))


if __name__ == "__main__":
    main()
