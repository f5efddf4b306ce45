#!/usr/bin/env python3
"""Keyword-search peers for Paperboy's benchmark: tantivy (tantivy-py), bm25s and SQLite FTS5,
each indexing the same fields of the same corpus (title boosted 2.0, abstract, authors) and
answering the same queries with OR semantics, top 10.

    python3 bench/search_peers.py --corpus C.jsonl --queries Q.txt --peers tantivy,bm25s,fts5 \\
        --work DIR --json OUT.json [--repeat 3] [--threads 2]

Each peer runs in two fresh processes so memory figures are its own: `build` (read the JSON
lines, index, save; build time therefore includes reading and parsing the JSONL) and `search`
(load the saved index, one warm-up pass, then `repeat` timed passes on one thread, then all
queries on `threads` threads). Memory is RSS growth over the process's own baseline after
imports: peak during the build, resident after the build (index object alive, input freed),
after loading, and after the queries (mmap'ed index pages touched by then).

- tantivy: en_stem tokenizer with positions, stored id only, default writer (128 MB heap,
  automatic threads); build = add all + commit + wait_merging_threads. QueryParser on
  [title, abstract, authors], title boost 2.0. Results include fetching the stored id.
  Its search releases the GIL, so threads scale.
- bm25s: no per-field weights, so each document is one text: title twice (a rough stand-in for
  boost 2.0: it doubles title term frequencies but also lengthens the document), abstract,
  authors; bm25s.tokenize with the Snowball English stemmer and stop words "en"; lucene BM25,
  k1 1.2, b 0.75; retrieve(n_threads=T) for the multi-thread figure; zero-score hits dropped.
- fts5: fts5(title, abstract, authors, tokenize='porter unicode61') plus a rowid -> id table,
  bulk-inserted in one transaction (journal off) then 'optimize'd; ranked by
  bm25(fts, 2.0, 1.0, 1.0); query "w1" OR "w2" ...; one connection per thread.
"""
import argparse
import gc
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_common import (dir_bytes, peak_rss_bytes, percentile_ms, read_papers, read_queries, rss_bytes,  # noqa: E402
                           threaded_qps, time_queries)

FIELDS = ["title", "abstract", "authors"]


class Tantivy:
    def __init__(self, path: Path):
        import tantivy
        self.tantivy, self.path = tantivy, path

    def build(self, corpus: Path) -> None:
        builder = self.tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        for field in FIELDS:
            builder.add_text_field(field, tokenizer_name="en_stem")
        self.path.mkdir(parents=True)
        self.index = self.tantivy.Index(builder.build(), path=str(self.path))
        writer = self.index.writer()
        for pid, title, abstract, authors in read_papers(corpus):
            writer.add_document(self.tantivy.Document(id=pid, title=title, abstract=abstract, authors=authors))
        writer.commit()
        writer.wait_merging_threads()

    def open(self) -> None:
        self.index = self.tantivy.Index.open(str(self.path))

    def make_search(self):
        searcher, index = self.index.searcher(), self.index

        def search(q: str) -> list[str]:
            query = index.parse_query(q, FIELDS, field_boosts={"title": 2.0})
            return [searcher.doc(address)["id"][0] for _, address in searcher.search(query, 10).hits]
        return search

    def qps_threads(self, queries, threads, repeat) -> float:
        return threaded_qps(self.make_search, queries, threads, repeat)


class BM25S:
    def __init__(self, path: Path):
        import bm25s
        import Stemmer
        self.bm25s, self.path, self.stemmer = bm25s, path, Stemmer.Stemmer("english")

    def tokenize(self, texts, ids=True):
        return self.bm25s.tokenize(texts, stopwords="en", stemmer=self.stemmer, return_ids=ids, show_progress=False)

    def build(self, corpus: Path) -> None:
        ids, texts = [], []
        for pid, title, abstract, authors in read_papers(corpus):
            ids.append(pid)
            texts.append(f"{title} {title} {abstract} {authors}")
        tokens = self.tokenize(texts)
        del texts
        self.retriever = self.bm25s.BM25(method="lucene", k1=1.2, b=0.75)
        self.retriever.index(tokens, show_progress=False)
        del tokens
        self.retriever.save(str(self.path), show_progress=False)
        self.path.with_suffix(".ids.json").write_text(json.dumps(ids))

    def open(self) -> None:
        self.retriever = self.bm25s.BM25.load(str(self.path))
        self.ids = json.loads(self.path.with_suffix(".ids.json").read_text())

    def hits(self, results) -> list[list[str]]:
        return [[self.ids[d] for d, s in zip(docs, scores) if s > 0]
                for docs, scores in zip(results.documents.tolist(), results.scores.tolist())]

    def make_search(self):
        def search(q: str) -> list[str]:
            tokens = self.tokenize([q], ids=False)
            return self.hits(self.retriever.retrieve(tokens, k=10, show_progress=False))[0]
        return search

    def qps_threads(self, queries, threads, repeat) -> float:
        work = [q for _ in range(repeat) for q in queries]
        started = time.perf_counter()
        tokens = self.tokenize(work, ids=False)
        self.hits(self.retriever.retrieve(tokens, k=10, show_progress=False, n_threads=threads))
        return len(work) / (time.perf_counter() - started)


class FTS5:
    SQL = ("SELECT ids.id FROM (SELECT rowid AS r, bm25(fts, 2.0, 1.0, 1.0) AS s FROM fts WHERE fts MATCH ? "
           "ORDER BY s LIMIT 10) JOIN ids ON ids.rowid = r ORDER BY s")

    def __init__(self, path: Path):
        import sqlite3
        self.sqlite3, self.path = sqlite3, path

    def build(self, corpus: Path) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = self.sqlite3.connect(self.path)
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        db.execute("CREATE VIRTUAL TABLE fts USING fts5(title, abstract, authors, tokenize='porter unicode61')")
        db.execute("CREATE TABLE ids(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL)")
        with db:
            for row, (pid, title, abstract, authors) in enumerate(read_papers(corpus), 1):
                db.execute("INSERT INTO ids VALUES (?, ?)", (row, pid))
                db.execute("INSERT INTO fts(rowid, title, abstract, authors) VALUES (?, ?, ?, ?)",
                           (row, title, abstract, authors))
        db.execute("INSERT INTO fts(fts) VALUES ('optimize')")
        db.commit()
        db.close()

    def open(self) -> None:
        pass

    def make_search(self):
        db = self.sqlite3.connect(self.path, check_same_thread=False)  # used by one thread at a time

        def search(q: str) -> list[str]:
            match = " OR ".join('"' + w.replace('"', '""') + '"' for w in q.split())
            return [row[0] for row in db.execute(self.SQL, (match,))]
        return search

    def qps_threads(self, queries, threads, repeat) -> float:
        return threaded_qps(self.make_search, queries, threads, repeat)


PEERS = {"tantivy": (Tantivy, "tantivy"), "bm25s": (BM25S, "bm25s"), "fts5": (FTS5, "fts5.sqlite")}


def phase(args) -> dict:
    """Runs in a child process: one phase of one peer. Returns what it measured."""
    cls, _ = PEERS[args.peer]
    peer = cls(args.index)
    gc.collect()
    base = rss_bytes()
    started = time.perf_counter()
    if args.phase == "build":
        peer.build(args.corpus)
        seconds = time.perf_counter() - started
        gc.collect()
        return {"build_seconds": seconds, "index_bytes": dir_bytes(args.index),
                "build_peak_rss_growth": peak_rss_bytes() - base, "after_build_rss_growth": rss_bytes() - base}
    peer.open()
    result = {"load_seconds": time.perf_counter() - started, "after_load_rss_growth": rss_bytes() - base}
    queries = read_queries(args.queries)
    result.update(time_queries(peer.make_search(), queries, args.repeat))
    result["after_queries_rss_growth"] = rss_bytes() - base
    result["threads"] = args.threads
    result["qps_threads"] = peer.qps_threads(queries, args.threads, args.repeat)
    return result


def run_peer(name: str, corpus: Path, queries: Path, work: Path, repeat: int = 3, threads: int = 2) -> dict:
    """Builds then searches with one peer, each phase in its own process; adds p50/p99 (ms)."""
    index = work / PEERS[name][1]
    if index.is_file():
        index.unlink()
    shutil.rmtree(index, ignore_errors=True)
    result = {"peer": name}
    for step in ("build", "search"):
        command = [sys.executable, __file__, "--phase", step, "--peer", name, "--index", str(index),
                   "--corpus", str(corpus), "--queries", str(queries), "--repeat", str(repeat), "--threads", str(threads)]
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        result.update(json.loads(out.strip().splitlines()[-1]))
    result["p50_ms"] = percentile_ms(result["latencies_ns"], 50)
    result["p99_ms"] = percentile_ms(result["latencies_ns"], 99)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--peers", default="tantivy,bm25s,fts5")
    parser.add_argument("--work", type=Path, default=Path("/tmp/paperboy-search-peers"))
    parser.add_argument("--json", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--phase", choices=["build", "search"], help=argparse.SUPPRESS)
    parser.add_argument("--peer", help=argparse.SUPPRESS)
    parser.add_argument("--index", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args)))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    results = []
    for name in args.peers.split(","):
        r = run_peer(name, args.corpus, args.queries, args.work, args.repeat, args.threads)
        results.append(r)
        print(f"{name}: build {r['build_seconds']:.1f} s, index {r['index_bytes'] / 2**20:.1f} MiB, "
              f"build peak +{r['build_peak_rss_growth'] / 2**20:.0f} MiB, serving +{r['after_queries_rss_growth'] / 2**20:.0f} MiB, "
              f"p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, QPS {r['qps_single']:.0f} (1 thread), "
              f"{r['qps_threads']:.0f} ({args.threads} threads)", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results))


if __name__ == "__main__":
    main()
