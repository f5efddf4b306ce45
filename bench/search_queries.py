#!/usr/bin/env python3
"""Writes realistic keyword queries for a corpus made by bench/search_corpus.py (or any arXiv
snapshot JSON-lines file): plain lowercase words, one query per line, no operators.

    python3 bench/search_queries.py /tmp/search-1m.jsonl /tmp/queries-1m.txt [--count 1000] [--seed 7]

Like a search log: 1-5 terms, mostly 2-3 (18/34/27/13/8 %). Each query is written from one
random document (so its terms share a topic), out of a sample of up to 20,000 documents whose
document frequencies classify the words: 75 % of terms are mid-frequency words (in 0.05-5 % of
the documents; title words preferred), 15 % common ones (in more than 5 %, stop words
included now and then) and 10 % rare ones (in fewer than 0.05 %). Deterministic for a given
corpus, count and seed.
"""
import argparse
import collections
import json
import random
import re
from pathlib import Path

TOKEN = re.compile(r"[a-z0-9]+")
LENGTHS, LENGTH_WEIGHTS = [1, 2, 3, 4, 5], [18, 34, 27, 13, 8]
STOP = set("a an and are as at be by for from has have in is it its of on or our that the their these this "
           "to we which with can".split())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    with args.corpus.open("rb") as f:
        total = sum(1 for _ in f)
    wanted = set(rng.sample(range(total), min(total, 20_000)))
    docs = []
    with args.corpus.open("rb") as f:
        for i, line in enumerate(f):
            if i in wanted:
                record = json.loads(line)
                docs.append((TOKEN.findall(record["title"].lower()), TOKEN.findall(record["abstract"].lower())))
    df = collections.Counter()
    for title, abstract in docs:
        df.update(set(title) | set(abstract))
    n = len(docs)

    def kind(word: str) -> str:
        share = df[word] / n
        return "common" if share > 0.05 else "mid" if share >= 0.0005 else "rare"

    queries = []
    while len(queries) < args.count:
        title, abstract = docs[rng.randrange(n)]
        classes = collections.defaultdict(list)
        for word in dict.fromkeys(title + abstract):
            if not (kind(word) == "common" and word in STOP and rng.random() < 0.7):
                classes[kind(word)].append(word)
        title_mid = [w for w in dict.fromkeys(title) if kind(w) == "mid"]
        terms: list[str] = []
        for _ in range(rng.choices(LENGTHS, LENGTH_WEIGHTS)[0]):
            r = rng.random()
            pick = "mid" if r < 0.75 else "common" if r < 0.9 else "rare"
            pool = title_mid if pick == "mid" and title_mid and rng.random() < 0.5 else classes[pick] or classes["mid"]
            choices = [w for w in pool if w not in terms]
            if choices:
                terms.append(rng.choice(choices))
        if terms:
            queries.append(" ".join(terms))
    args.out.write_text("\n".join(queries) + "\n")


if __name__ == "__main__":
    main()
