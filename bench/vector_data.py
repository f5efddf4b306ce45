#!/usr/bin/env python3
"""Generate the synthetic sentence-embedding set the vector benchmark runs on.

Real all-MiniLM-L6-v2 embeddings of 1M papers are not available yet, so this draws a
realistic stand-in: a mixture of Gaussian clusters on the unit sphere (Zipf-like cluster
sizes), each cluster spread anisotropically along its own 16-dimensional subspace plus a
small isotropic part, around a shared mean direction (sentence embeddings are not centred:
random pairs have a positive cosine). Every vector is L2-normalized, 384 dimensions.

Rows are drawn i.i.d., so any prefix (e.g. the first 100k) is a sample of the same
distribution. Queries are 1,000 further draws (held out). Ground truth: faiss IndexFlatIP.

Writes (once; re-running with the same arguments is a no-op) into --out:
  base.npy (n x 384 float32), queries.npy (1000 x 384 float32),
  gt-<n>.npy (1000 x 100 int64) for n in --gt-sizes.
"""
import argparse, os, sys, time
import numpy as np

D, RANK = 384, 16


def normalize(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def make_model(rng, clusters):
    mean = normalize(rng.normal(size=(1, D)))[0]
    centers = normalize(normalize(rng.normal(size=(clusters, D))) + 0.6 * mean)
    bases = rng.normal(size=(clusters, RANK, D)).astype(np.float32) / np.sqrt(D)
    # Anisotropic: the subspace directions have decaying strengths, per cluster a spread.
    strengths = (0.4 * 0.85 ** np.arange(RANK)).astype(np.float32)
    spread = rng.uniform(0.6, 1.2, size=clusters).astype(np.float32)
    weights = rng.pareto(1.2, size=clusters) + 1.0
    weights /= weights.sum()
    return centers.astype(np.float32), bases, strengths, spread, weights


def draw(rng, model, n, chunk=2000):
    centers, bases, strengths, spread, weights = model
    out = np.empty((n, D), dtype=np.float32)
    for start in range(0, n, chunk):
        m = min(chunk, n - start)
        c = rng.choice(len(centers), size=m, p=weights)
        z = rng.normal(size=(m, RANK)).astype(np.float32) * strengths
        low = np.einsum("nr,nrd->nd", z, bases[c])
        iso = rng.normal(size=(m, D)).astype(np.float32) * (0.3 / np.sqrt(D))
        x = centers[c] + spread[c, None] * low + iso
        out[start:start + m] = normalize(x)
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=1_000_000)
    p.add_argument("--clusters", type=int, default=3000)
    p.add_argument("--queries", type=int, default=1000)
    p.add_argument("--gt-sizes", default="100000,1000000")
    p.add_argument("--out", default="/tmp/paperboy-vectors")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    base_path = os.path.join(a.out, "base.npy")
    rng = np.random.default_rng(20261125)
    model = make_model(rng, a.clusters)
    if not os.path.exists(base_path):
        t = time.time()
        base = np.lib.format.open_memmap(base_path + ".tmp", mode="w+", dtype=np.float32, shape=(a.n, D))
        step = 100_000
        for s in range(0, a.n, step):
            base[s:s + step] = draw(np.random.default_rng([20261125, s]), model, min(step, a.n - s))
        base.flush(); del base
        os.replace(base_path + ".tmp", base_path)
        q = draw(np.random.default_rng([7, 7]), model, a.queries)
        np.save(os.path.join(a.out, "queries.npy"), q)
        print(f"generated {a.n} vectors in {time.time() - t:.1f}s", file=sys.stderr)
    import faiss
    base = np.load(base_path, mmap_mode="r")
    q = np.load(os.path.join(a.out, "queries.npy"))
    for n in [int(s) for s in a.gt_sizes.split(",") if s]:
        path = os.path.join(a.out, f"gt-{n}.npy")
        if os.path.exists(path) or n > len(base):
            continue
        t = time.time()
        index = faiss.IndexFlatIP(D)
        for s in range(0, n, 100_000):
            index.add(np.ascontiguousarray(base[s:min(n, s + 100_000)]))
        _, ids = index.search(q, 100)
        np.save(path, ids)
        print(f"ground truth for {n} in {time.time() - t:.1f}s", file=sys.stderr)
    sample = np.asarray(base[:20000])
    sims = q[:200] @ sample.T
    top = np.sort(sims, axis=1)[:, ::-1]
    print(f"query vs 20k sample: mean cos {sims.mean():.3f}, top-1 {top[:, 0].mean():.3f}, "
          f"top-10 {top[:, 9].mean():.3f}", file=sys.stderr)


if __name__ == "__main__":
    main()
