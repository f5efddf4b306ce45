"""Helpers shared by the keyword-search benchmark scripts (search_*.py): reading the corpus and
queries, memory and size probes, and the query timing loops every engine goes through."""
import json
import os
import resource
import statistics
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
PAGE = os.sysconf("SC_PAGE_SIZE")


def read_papers(path: Path) -> Iterator[tuple[str, str, str, str]]:
    """(id, title, abstract, authors) of every line of an arXiv snapshot JSON-lines file."""
    with open(path, "rb") as f:
        for line in f:
            r = json.loads(line)
            yield r["id"], r["title"], r["abstract"], r.get("authors") or ""


def read_queries(path: Path) -> list[str]:
    return [line.strip() for line in Path(path).read_text().splitlines() if line.strip()]


def rss_bytes() -> int:
    """This process's resident memory now."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


def peak_rss_bytes() -> int:
    """This process's peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def dir_bytes(path: Path) -> int:
    path = Path(path)
    return path.stat().st_size if path.is_file() else sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def time_queries(search: Callable[[str], list[str]], queries: list[str], repeat: int) -> dict:
    """One warm-up pass, then `repeat` passes over all queries on this thread, each query timed.
    Returns the median latency of each query (ns, file order), QPS over all timed passes and the
    top ids of each query (from the warm-up pass)."""
    tops = [search(q) for q in queries]
    samples = [[] for _ in queries]
    clock = time.perf_counter_ns
    for _ in range(repeat):
        for i, q in enumerate(queries):
            started = clock()
            search(q)
            samples[i].append(clock() - started)
    total = sum(sum(s) for s in samples)
    return {"latencies_ns": [int(statistics.median(s)) for s in samples],
            "qps_single": len(queries) * repeat / (total / 1e9), "top": tops}


def threaded_qps(make_search: Callable[[], Callable[[str], object]], queries: list[str], threads: int,
                 repeat: int) -> float:
    """Queries per second with `threads` Python threads, each with its own searcher from
    `make_search()`, sharing `repeat` passes over the queries (thread t takes every t-th query)."""
    work = [q for _ in range(repeat) for q in queries]
    searchers = [make_search() for _ in range(threads)]
    for search in searchers:  # warm each searcher
        for q in queries[:50]:
            search(q)
    barrier = threading.Barrier(threads + 1)

    def run(t: int) -> None:
        search = searchers[t]
        barrier.wait()
        for q in work[t::threads]:
            search(q)

    pool = [threading.Thread(target=run, args=(t,)) for t in range(threads)]
    for thread in pool:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in pool:
        thread.join()
    return len(work) / (time.perf_counter() - started)


def percentile_ms(latencies_ns: list[int], p: float) -> float:
    ordered = sorted(latencies_ns)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] / 1e6


def overlap_at_10(a: list[list[str]], b: list[list[str]]) -> float:
    """Mean over queries of |top10(a) ∩ top10(b)| / (the longer list's length); a query that
    neither engine answers counts as agreement."""
    return statistics.mean(len(set(x) & set(y)) / max(len(x), len(y)) if x or y else 1.0 for x, y in zip(a, b))
