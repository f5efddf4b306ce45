#!/usr/bin/env python3
"""Builds one fuzz target with libFuzzer and AddressSanitizer and runs it on a seed corpus
made from the real fixtures.

    python3 Fuzz/run.py FuzzQueryParser --seconds 600
    python3 Fuzz/run.py FuzzImporters --seconds 600 --json

Targets (`Fuzz/<name>/`, declared in Package.swift only when PAPERBOY_FUZZ is set):
- FuzzQueryParser: the search query parser, seeded with the judged collections' queries
  and the query forms the tests use;
- FuzzTextAnalyzer: both text analyzers, seeded with every tenth long line of the recorded
  Hugging Face pages;
- FuzzImporters: the five importers (first byte picks one), seeded with the recorded HF
  papers pages, arXiv Atom and OAI-PMH responses, snapshot lines and HF daily JSON, each cut
  to 16 KB.

The build goes to `.build-fuzz/`, findings to `.build-fuzz/artifacts/`. Exits non-zero when
libFuzzer found a crash, a leak or a timeout; prints libFuzzer's final statistics.
"""
import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BUILD = ROOT / ".build-fuzz"
SEED_BYTES = 16_384


def seeds(target):
    """(name, bytes) pairs for the target's corpus."""
    if target == "FuzzQueryParser":
        found = []
        for collection in ("cranfield", "cacm"):
            for number, line in enumerate((SHARED / "eval" / collection / "queries.jsonl").read_text().splitlines()[:200]):
                found.append((f"{collection}-{number}", json.loads(line)["text"].encode()))
        for number, query in enumerate(['"diffusion model" -video', "title:transformer* AND cat:cs.CL", "author:\"Yann LeCun\" since:2020",
                                        "(a OR b) NOT c", "gpt-4 vs llama-2", "ti:\"attention is all\" abs:BERT~2"]):
            found.append((f"form-{number}", query.encode()))
        return found
    pages = sorted((SHARED / "corpus" / "hf-papers-pages").glob("*.txt"))
    if target == "FuzzTextAnalyzer":
        lines = [line for page in pages for line in page.read_text().splitlines() if len(line) > 20]
        return [(f"line-{number}", line.encode()) for number, line in enumerate(lines[::10][:500])]
    fixtures = SHARED / "fixtures"
    inputs = [(0, page) for page in pages[:2]]
    inputs += [(1, path) for path in sorted((fixtures / "arxiv-api" / "xml").glob("*.xml"))[:6]]
    inputs += [(2, path) for path in sorted((fixtures / "arxiv-oai-pmh").glob("*.xml"))]
    inputs += [(3, path) for path in sorted((fixtures / "kaggle-arxiv-snapshot").glob("*.jsonl"))]
    inputs += [(4, path) for path in sorted((fixtures / "hf-daily-papers").glob("*.json"))[:2]]
    return [(f"{selector}-{path.name}", bytes([selector]) + path.read_bytes()[:SEED_BYTES]) for selector, path in inputs]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", choices=["FuzzQueryParser", "FuzzTextAnalyzer", "FuzzImporters"])
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    env = dict(os.environ, PAPERBOY_FUZZ="1")
    # SwiftPM's --sanitize=fuzzer links libFuzzer but leaves Swift code without the coverage
    # libFuzzer reads: the counters are asked for by hand.
    subprocess.run(["nice", "-n", "19", "swift", "build", "--sanitize=fuzzer", "--sanitize=address", "--build-path", str(BUILD),
                    "--product", args.target, "-Xswiftc", "-sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp"],
                   cwd=ROOT, env=env, check=True)
    corpus = BUILD / "corpus" / args.target
    corpus.mkdir(parents=True, exist_ok=True)
    for name, data in seeds(args.target):
        (corpus / name).write_bytes(data)
    artifacts = BUILD / "artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    run = subprocess.run([str(BUILD / "debug" / args.target), str(corpus), f"-max_total_time={args.seconds}",
                          "-timeout=10", "-rss_limit_mb=2048", "-max_len=65536", "-print_final_stats=1",
                          f"-artifact_prefix={artifacts}/{args.target}-"],
                         cwd=ROOT, capture_output=True, text=True)
    stats = dict(re.findall(r"^stat::(\w+):\s+(\d+)", run.stderr, re.M))
    findings = re.findall(r"^(==\d+==ERROR.*|SUMMARY: .*|artifact_prefix=.*Test unit written to .*)$", run.stderr, re.M)
    report = {"target": args.target, "seconds": args.seconds, "exit": run.returncode,
              "runs": int(stats.get("number_of_executed_units", 0)), "corpus_added": int(stats.get("new_units_added", 0)),
              "peak_rss_mb": int(stats.get("peak_rss_mb", 0)), "findings": findings}
    if args.json:
        print(json.dumps(report))
    else:
        verdict = "no crash, leak or timeout" if run.returncode == 0 else "FOUND: " + "; ".join(findings)
        print(f"{args.target}: {report['runs']:,} inputs in {args.seconds} s, {report['corpus_added']} new corpus units, "
              f"peak {report['peak_rss_mb']} MB: {verdict}")
    if run.returncode != 0:
        sys.stderr.write(run.stderr[-6000:])
    sys.exit(run.returncode)


if __name__ == "__main__":
    main()
