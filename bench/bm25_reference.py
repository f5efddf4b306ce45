#!/usr/bin/env python3
"""Writes the BM25 parity fixture for the Swift tests: bm25s (method "lucene", k1 1.2, b 0.75)
run on the 335 seed papers of ../shared/corpus/hf-papers-pages and 50 hand-written queries.

    python3 bench/bm25_reference.py Tests/Fixtures/bm25s-lucene-seed-papers.json [--paperboy .build/debug/paperboy]

The papers are read through Paperboy itself (`paperboy import` of the five pages into a
temporary store, then `paperboy list --json`), so the ids are Paperboy's. Without --paperboy
the script runs `swift build --product paperboy` and uses .build/debug/paperboy.

Tokenizer (deliberately trivial, so the Swift side can reproduce it exactly): the text is
title + " " + abstract, lowercased with Python's str.lower(), then re.findall(r"[a-z0-9]+");
no stemming, no stop words (non-ASCII letters therefore split words: "Schrödinger" ->
"schr", "dinger"; on these papers ASCII-only lowercasing gives the same tokens). bm25s is given these token lists as they are, so its vocabulary is the
real tokens. Scores are computed in float64 (bm25s's default is float32) and checked against
an independent implementation of the same formula:

    score(q, d) = sum over query tokens t of idf(t) * tf / (tf + k1 * (1 - b + b * |d| / avgdl))
    idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5))     (no (k1 + 1) factor; |d| counts all tokens)

Each query's "top" holds up to 10 documents with a score above 0, best first; equal scores
are ordered by document position (documents are sorted by id). bm25s itself orders ties
arbitrarily, so "tie_at_cutoff" says whether the 10th score equals the 11th and "ties" lists
the groups of tied ranks inside the top. Queries have no repeated token (bm25s would count it
twice).
"""
import argparse
import json
import math
import re
import subprocess
import tempfile
from pathlib import Path

import bm25s
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT.parent / "shared/corpus/hf-papers-pages"
K1, B = 1.2, 0.75
QUERIES = [
    "mixture of experts routing", "speculative decoding", "diffusion video generation",
    "reinforcement learning from human feedback", "long context attention", "retrieval augmented generation",
    "code generation benchmark", "kv cache compression", "neural architecture search",
    "parameter efficient fine tuning", "quantization", "learned sparse retrieval", "tool learning agents",
    "mathematical reasoning", "instruction tuning data selection", "scaling laws", "multi agent code generation",
    "memory efficient vision transformer", "low rank gradients training", "model merging",
    "inference compute scaling", "passage re-ranking", "state space models", "monte carlo tree search",
    "prompt optimization", "dense retrieval", "knowledge distillation", "pruning large language models",
    "graph transformers", "multimodal large language models", "text-to-image diffusion", "spiking neural networks",
    "jupyter notebooks reproducibility", "program synthesis", "bandits regret", "stable diffusion acceleration",
    "linear attention recurrent", "visual token pruning", "trustworthiness compressed LLMs", "self-consistency",
    "evolutionary algorithm", "memory optimizations trillion parameter models", "scientific literature search",
    "contrastive learning recommendation", "GPT-4", "energy efficient language models",
    "data contamination evaluation", "chain of thought", "the", "zebrafish",
]


def shown(path: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def tokenize(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def seed_papers(binary: str) -> list[dict]:
    with tempfile.TemporaryDirectory() as data:
        files = sorted(str(p) for p in PAGES.glob("*.txt"))
        subprocess.run([binary, "import", *files, "--data", data, "--json"], check=True, capture_output=True)
        listed = subprocess.run([binary, "list", "--data", data, "--limit", "1000", "--json"],
                                check=True, capture_output=True, text=True).stdout
    return sorted(json.loads(listed), key=lambda p: p["id"])


def reference_scores(docs: list[list[str]], query: list[str]) -> np.ndarray:
    """The formula above, written independently of bm25s."""
    n, avgdl = len(docs), sum(map(len, docs)) / len(docs)
    scores = np.zeros(n)
    for t in query:
        df = sum(1 for d in docs if t in d)
        if df == 0:
            continue
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        for i, d in enumerate(docs):
            tf = d.count(t)
            if tf:
                scores[i] += idf * tf / (tf + K1 * (1 - B + B * len(d) / avgdl))
    return scores


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--paperboy", help="the paperboy binary (default: swift build --product paperboy)")
    args = parser.parse_args()
    binary = args.paperboy
    if binary is None:
        subprocess.run(["swift", "build", "--product", "paperboy"], cwd=ROOT, check=True)
        binary = str(ROOT / ".build/debug/paperboy")
    papers = seed_papers(binary)
    documents = [{"id": p["id"], "tokens": tokenize(p["title"] + " " + p["abstract"])} for p in papers]
    tokens = [d["tokens"] for d in documents]
    retriever = bm25s.BM25(method="lucene", k1=K1, b=B, dtype="float64")
    retriever.index(tokens, show_progress=False)

    queries = []
    for text in QUERIES:
        q = tokenize(text)
        assert len(set(q)) == len(q), f"repeated token in {text!r}"
        known = [t for t in q if t in retriever.vocab_dict]
        scores = retriever.get_scores(known) if known else np.zeros(len(documents))
        assert np.allclose(scores, reference_scores(tokens, q), rtol=1e-12, atol=1e-12), text
        order = sorted((i for i in range(len(documents)) if scores[i] > 0), key=lambda i: (-scores[i], i))
        top = [{"id": documents[i]["id"], "score": float(scores[i])} for i in order[:10]]
        if top:  # bm25s's own retrieval returns the same scores
            got = retriever.retrieve([known], k=len(top), show_progress=False).scores[0]
            assert np.allclose(sorted(got, reverse=True), [t["score"] for t in top], rtol=1e-12), text
        ties = [[r for r in range(len(top)) if top[r]["score"] == s["score"]] for s in top]
        queries.append({"text": text, "tokens": q, "matching": len(order), "top": top,
                        "tie_at_cutoff": bool(len(order) > 10 and scores[order[9]] == scores[order[10]]),
                        "ties": sorted({tuple(g) for g in ties if len(g) > 1})})

    head = {
        "generator": f"python3 bench/bm25_reference.py {shown(args.out)}",
        "bm25s_version": bm25s.__version__, "method": "lucene", "k1": K1, "b": B, "dtype": "float64",
        "tokenizer": 're.findall(r"[a-z0-9]+", (title + " " + abstract).lower()); no stemming, no stop words',
        "scoring": "sum over query tokens of ln(1 + (N - df + 0.5) / (df + 0.5)) * tf / (tf + k1 * (1 - b + b * len / avglen))",
        "order": "score descending, then document position (documents sorted by id); only scores above 0",
        "papers": len(documents),
    }
    text = ("{\n" + ",\n".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in head.items())
            + ',\n"documents": [\n' + ",\n".join(json.dumps(d) for d in documents)
            + '\n],\n"queries": [\n' + ",\n".join(json.dumps(q) for q in queries) + "\n]\n}\n")
    json.loads(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(f"{args.out}: {len(documents)} documents, {len(queries)} queries, {len(text.encode()):,} bytes")


if __name__ == "__main__":
    main()
