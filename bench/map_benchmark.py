#!/usr/bin/env python3
"""The map of the field: `paperboy map` at 100k and at ~1M papers, and umap-learn beside it.

Data: a data directory whose papers have 384-d vectors attached (BENCHMARKS.md:
`paperboy bench attach-vectors`), by default /tmp/paperboy-load-1m (~1.06M papers). Vectors
for all of them, if the directory lacks them:

  python3 bench/vector_data.py --n 1062264 --gt-sizes "" --out /tmp/paperboy-map-vectors
  cp -r /tmp/paperboy-load-1m /tmp/paperboy-map-1m
  paperboy bench attach-vectors --data /tmp/paperboy-map-1m --vectors /tmp/paperboy-map-vectors/base.npy

The 100k
map is `--limit 100000` (the first 100k papers with vectors, by id) of the same directory;
the full map runs last, so the directory keeps the full map.bin.

Each size runs `paperboy map --json --quality` --repeat times (release build) and reports the
median of each stage; the quality figures (trustworthiness, neighbour recall@10, on a sample
of --quality-sample papers, within the sample) are Paperboy's own, for the map and for its
first two PCA components alone. The peer, umap-learn (n_neighbors=15, min_dist=0.1, two
threads), lays out the same 100k vectors in a child process; its quality and Paperboy's are
then measured again here, by sklearn.manifold.trustworthiness and the same recall, on one
shared sample, so the side-by-side figures come from one implementation.

  swift build -c release
  python3 -m pip install umap-learn scikit-learn numpy
  python3 bench/map_benchmark.py --repeat 3 --out bench/results/map.md
"""
import argparse, json, os, sqlite3, statistics, struct, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MODEL = "all-MiniLM-L6-v2"


def vectors_for(db, ids):
    import numpy as np
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    out = np.zeros((len(ids), 384), dtype=np.float32)
    index = {pid: i for i, pid in enumerate(ids)}
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        q = f"SELECT paper_id, vector FROM paper_vectors WHERE model = ? AND paper_id IN ({','.join('?' * len(chunk))})"
        for pid, blob in con.execute(q, [MODEL] + chunk):
            out[index[pid]] = np.frombuffer(blob, dtype=np.float32)
    return out


def first_vectors(db, n):
    import numpy as np
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = con.execute("SELECT paper_id, vector FROM paper_vectors WHERE model = ? ORDER BY paper_id LIMIT ?", (MODEL, n))
    ids, vecs = [], []
    for pid, blob in rows:
        ids.append(pid)
        vecs.append(np.frombuffer(blob, dtype=np.float32))
    return ids, np.stack(vecs)


def read_map(path):
    """ids and points of a map.bin (layout in Sources/PaperMap/File/MapFileFormat.swift)."""
    import numpy as np
    data = open(path, "rb").read()
    assert data[:8] == b"PAPERMAP"
    count = struct.unpack_from("<Q", data, 16)[0]
    o = 40
    def string(o):
        n = struct.unpack_from("<I", data, o)[0]
        return data[o + 4:o + 4 + n].decode(), o + 4 + n
    _, o = string(o)
    o += 8
    topics = struct.unpack_from("<I", data, o)[0]; o += 4
    for _ in range(topics):
        _, o = string(o)
        terms = struct.unpack_from("<I", data, o)[0]; o += 4
        for _ in range(terms):
            _, o = string(o)
        o += 16
    lengths = np.frombuffer(data, dtype="<u4", count=count, offset=o); o += 4 * count
    ids = []
    for n in lengths:
        ids.append(data[o:o + n].decode()); o += int(n)
    points = np.frombuffer(data, dtype="<f4", count=2 * count, offset=o).reshape(count, 2)
    return ids, points


def quality(original, embedded, k=10):
    """sklearn's trustworthiness and neighbour recall@k within the sample."""
    import numpy as np
    from sklearn.manifold import trustworthiness
    from sklearn.metrics import pairwise_distances
    t = trustworthiness(original.astype(np.float64), embedded.astype(np.float64), n_neighbors=k)
    def knn(x):
        d = pairwise_distances(x.astype(np.float64))
        np.fill_diagonal(d, np.inf)
        return np.argsort(d, axis=1, kind="stable")[:, :k]
    a, b = knn(original), knn(embedded)
    recall = np.mean([len(set(a[i]) & set(b[i])) / k for i in range(len(a))])
    return t, float(recall)


def run_umap(a):
    """Child process: umap-learn on the first --n vectors; prints one JSON line."""
    import numpy as np
    os.environ.setdefault("NUMBA_NUM_THREADS", "2")
    import umap
    ids, x = first_vectors(a.db, a.n)
    t = time.perf_counter()
    layout = umap.UMAP(n_neighbors=15, min_dist=0.1, n_jobs=2, low_memory=True).fit_transform(x)
    seconds = time.perf_counter() - t
    np.save(a.save, layout.astype(np.float32))
    print(json.dumps({"seconds": seconds, "ids": len(ids)}))


def paperboy_map(binary, data, limit, sample):
    cmd = [binary, "map", "--data", data, "--json", "--quality", "--quality-sample", str(sample)]
    if limit:
        cmd += ["--limit", str(limit)]
    t = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - t
    summary = json.loads(out.stdout)
    summary["wall"] = wall
    return " ".join(cmd), summary


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="/tmp/paperboy-load-1m")
    p.add_argument("--binary", default=os.path.join(ROOT, ".build/release/paperboy"))
    p.add_argument("--small", type=int, default=100_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--repeat-full", type=int, default=None)
    p.add_argument("--quality-sample", type=int, default=3_000)
    p.add_argument("--skip-umap", action="store_true")
    p.add_argument("--out", default=os.path.join(HERE, "results/map.md"))
    p.add_argument("--child", action="store_true")
    p.add_argument("--db"); p.add_argument("--n", type=int); p.add_argument("--save")
    a = p.parse_args()
    if a.child:
        return run_umap(a)
    import numpy as np
    db = os.path.join(a.data, "paperboy.sqlite")
    mapfile = os.path.join(a.data, "map.bin")
    lines = []
    results = {}
    # The small map first (and its cross-check against umap-learn), the full one last.
    for label, limit, repeat in [("100k", a.small, a.repeat), ("full", None, a.repeat_full or a.repeat)]:
        runs = []
        for r in range(repeat):
            cmd, summary = paperboy_map(a.binary, a.data, limit, a.quality_sample)
            runs.append(summary)
            print(label, r, json.dumps({k: summary[k] for k in ("papers", "seconds", "wall", "stages", "quality")}), flush=True)
        results[label] = (cmd, runs)
        if label == "100k" and not a.skip_umap:
            ids, points = read_map(mapfile)
            save = "/tmp/map-benchmark-umap.npy"
            out = subprocess.run([sys.executable, __file__, "--child", "--db", db, "--n", str(len(ids)), "--save", save],
                                 check=True, capture_output=True, text=True)
            umap_run = json.loads(out.stdout.strip().splitlines()[-1])
            umap_points = np.load(save)
            _, x = first_vectors(db, len(ids))
            rng = np.random.default_rng(7)
            sample = np.sort(rng.choice(len(ids), size=min(a.quality_sample, len(ids)), replace=False))
            from sklearn.decomposition import PCA
            pca2 = PCA(n_components=2, random_state=0).fit(x).transform(x[sample])
            results["peer"] = {
                "umap_seconds": umap_run["seconds"],
                "paperboy": quality(x[sample], points[sample]),
                "pca": quality(x[sample], pca2),
                "umap": quality(x[sample], umap_points[sample]),
            }
            print("peer", json.dumps(results["peer"]), flush=True)

    def med(runs, f):
        return statistics.median(f(r) for r in runs)

    lines.append("# The map of the field: `paperboy map`\n")
    lines.append(f"Machine: {os.cpu_count()} cores, shared with other builds; data: `{a.data}` (the generated papers with "
                 "synthetic MiniLM-like 384-d vectors from bench/vector_data.py — 3,000 Gaussian clusters on the sphere — "
                 "attached by `paperboy bench attach-vectors`); release build; medians of the runs shown. The quality "
                 "figures describe that synthetic data, not real embeddings: its 3,000 small clusters are hard to keep "
                 "in two dimensions.\n")
    lines.append("| papers | runs | total s | PCA s | kNN s | layout s | placement s | topics s | wall s | trustworthiness@10 map / PCA | recall@10 map / PCA |")
    lines.append("|---|---|---|---|---|---|---|---|---|---|---|")
    for label in ("100k", "full"):
        cmd, runs = results[label]
        st = lambda key: med(runs, lambda r: r["stages"][key])
        q = runs[0].get("quality") or {}
        lines.append(f"| {runs[0]['papers']:,} | {len(runs)} | {med(runs, lambda r: r['seconds']):.1f} | {st('pca'):.1f} | {st('knn'):.1f} | "
                     f"{st('layout'):.1f} | {st('placement'):.1f} | {st('topics'):.1f} | {med(runs, lambda r: r['wall']):.1f} | "
                     f"{q.get('trustworthiness', 0):.3f} / {q.get('pcaTrustworthiness', 0):.3f} | {q.get('recall', 0):.3f} / {q.get('pcaRecall', 0):.3f} |")
    lines.append("\n`total` is the command's own clock from reading the vectors to saving map.bin; `wall` adds start-up and "
                 f"the --quality measurement (sample {a.quality_sample:,}, k = 10, Paperboy's MapQuality).\n")
    if "peer" in results:
        peer = results["peer"]
        lines.append("## Beside umap-learn (100k papers, one shared sample, sklearn's trustworthiness)\n")
        lines.append("| layout | seconds | trustworthiness@10 | recall@10 |")
        lines.append("|---|---|---|---|")
        small = results["100k"][1]
        lines.append(f"| paperboy map (landmarks + placement) | {med(small, lambda r: r['seconds']):.1f} | {peer['paperboy'][0]:.3f} | {peer['paperboy'][1]:.3f} |")
        lines.append(f"| umap-learn 0.5, n_neighbors 15, min_dist 0.1, 2 threads (1 run) | {peer['umap_seconds']:.1f} | {peer['umap'][0]:.3f} | {peer['umap'][1]:.3f} |")
        lines.append(f"| PCA, first two components (sklearn) | – | {peer['pca'][0]:.3f} | {peer['pca'][1]:.3f} |")
        lines.append("\numap-learn's time is `fit_transform` alone (vectors already in memory); Paperboy's includes reading "
                     "the vectors and papers from SQLite, topics and saving.\n")
    lines.append("## Commands\n")
    lines.append("```")
    lines.append("swift build -c release")
    for label in ("100k", "full"):
        lines.append(results[label][0])
    lines.append(" ".join(["python3", "bench/map_benchmark.py"] + sys.argv[1:]))
    lines.append("```")
    with open(a.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
