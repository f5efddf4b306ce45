#!/usr/bin/env python3
"""Embedding throughput: Paperboy's embedder against sentence-transformers (torch, CPU) on the
same texts with the same model (all-MiniLM-L6-v2, max_seq_length 256) and the same thread
count, in the same run.

    HF_HUB_OFFLINE=1 python3 bench/embedding_benchmark.py [--count 2000] [--threads 2 1] [--repeat 3] \\
        [--source shared|generated] [--paperboy .build/release/paperboy] [--out RESULTS.json]
    HF_HUB_OFFLINE=1 python3 bench/embedding_benchmark.py --peers-only     # torch alone

Texts are papers as Paperboy embeds them (title + "\\n\\n" + abstract, whitespace collapsed):
- shared (default): the real papers of ../shared (bench/embedding_reference.py's pool, 2,949
  distinct), ordered by the SHA-1 of their text, repeated when --count is larger;
- generated: the synthetic corpus of the keyword-search benchmark (bench/search_corpus.py,
  same --seed), cached in --work. Its abstracts are longer (about 9 in 10 are truncated at 256
  tokens, against about half of the real ones).
They are written to WORK/texts-SOURCE-N.jsonl, one {"text": ...} a line.

For each thread count T, R runs of each engine, alternating which goes first:
- torch: in this process, torch.set_num_threads(T), model.encode(texts, batch_size=B) (which
  tokenizes and sorts by length as sentence-transformers does), after one warm-up batch per T.
  The time includes tokenizing, as Paperboy's does.
- paperboy: `paperboy bench embed --texts FILE --threads T --json`, which warms up, then embeds
  everything and prints {"texts", "tokens", "seconds", "kernels"}; its "seconds" is used.
Token counts are after truncation at 256, [CLS] and [SEP] included. GFLOP/s counts the useful
work of the real (unpadded) tokens only, for both engines: per sequence of length L,
6 * (2*L*384*1152 + 2*L*384*384 + 2*2*L*384*1536 + 2*2*L*L*384) (QKV, attention output, FFN in
and out, scores and weighted sum); torch's padded batches do more (recorded as padded_flops).
The peak FP32 rate is `paperboy bench peak --threads T --json` ({"gflops": x}), when that exists.

Prints markdown tables; writes everything, per-run figures included, to --out (default
WORK/results.json).
"""
import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from embedding_reference import collapse, embedding_text, paper_pool  # noqa: E402
from search_common import ROOT, read_papers  # noqa: E402

HIDDEN, FFN, LAYERS, MAX_LENGTH = 384, 1536, 6, 256


def sequence_flops(length: int) -> int:
    """Multiply-adds times 2 of one BERT-MiniLM-L6 forward pass over `length` tokens (no embeddings, norms, softmax)."""
    L, h = length, HIDDEN
    return LAYERS * (2 * L * h * 3 * h + 2 * L * h * h + 2 * 2 * L * h * FFN + 2 * 2 * L * L * h)


def texts_for(source: str, count: int, seed: int, work: Path) -> list[str]:
    if source == "shared":
        pool = [embedding_text(t, a) for _, t, a in paper_pool()]
        pool.sort(key=lambda text: hashlib.sha1(text.encode("utf-8")).hexdigest())
        return [pool[i % len(pool)] for i in range(count)]
    corpus = work / f"corpus-{count}-s{seed}.jsonl"
    if not corpus.exists():
        partial = corpus.with_name(corpus.name + ".partial")
        subprocess.run([sys.executable, HERE / "search_corpus.py", str(count), partial, "--seed", str(seed)], check=True)
        partial.rename(corpus)
    return [embedding_text(collapse(title), collapse(abstract)) for _, title, abstract, _ in read_papers(corpus)]


def run_json(command: list) -> dict | None:
    """The last stdout line of command as JSON; None when it fails (for a command that may not exist yet)."""
    try:
        done = subprocess.run([str(c) for c in command], capture_output=True, text=True)
    except OSError:
        return None
    if done.returncode != 0 or not done.stdout.strip():
        return None
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except json.JSONDecodeError:
        return None


class Torch:
    def __init__(self, model_dir: Path, batch_size: int):
        import sentence_transformers
        import torch
        from sentence_transformers import SentenceTransformer

        self.torch, self.batch_size = torch, batch_size
        self.model = SentenceTransformer(str(model_dir), device="cpu")
        self.versions = {"torch": torch.__version__, "sentence_transformers": sentence_transformers.__version__}
        assert self.model.max_seq_length == MAX_LENGTH, self.model.max_seq_length

    def lengths(self, texts: list[str]) -> list[int]:
        tokenizer = self.model.tokenizer
        return [len(ids) for ids in tokenizer(texts, truncation=True, max_length=MAX_LENGTH)["input_ids"]]

    def padded_flops(self, texts: list[str], lengths: list[int]) -> int:
        """FLOPs of the padded batches: sentence-transformers sorts by text length (characters,
        longest first) and pads each batch to its longest sequence."""
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        batches = [order[i:i + self.batch_size] for i in range(0, len(order), self.batch_size)]
        return sum(len(b) * sequence_flops(max(lengths[i] for i in b)) for b in batches)

    def warm_up(self, texts: list[str], threads: int) -> None:
        self.torch.set_num_threads(threads)
        self.model.encode(texts[:self.batch_size], batch_size=self.batch_size, show_progress_bar=False)

    def run(self, texts: list[str], threads: int) -> float:
        self.torch.set_num_threads(threads)
        with self.torch.inference_mode():
            started = time.perf_counter()
            vectors = self.model.encode(texts, batch_size=self.batch_size, show_progress_bar=False,
                                        convert_to_numpy=True)
            seconds = time.perf_counter() - started
        assert vectors.shape == (len(texts), HIDDEN)
        return seconds


def summary(runs: list[dict], flops: int, peak: float | None) -> dict:
    seconds = statistics.median(r["seconds"] for r in runs)
    texts, tokens = runs[0]["texts"], runs[0]["tokens"]
    gflops = flops / seconds / 1e9
    return {"median_seconds": seconds, "texts_per_s": [r["texts"] / r["seconds"] for r in runs],
            "tokens_per_s": [r["tokens"] / r["seconds"] for r in runs],
            "median_texts_per_s": texts / seconds, "median_tokens_per_s": tokens / seconds,
            "gflops": gflops, "share_of_peak": gflops / peak if peak else None}


def table(threads: int, result: dict) -> str:
    peak = result["peak_gflops"]
    loads = ", ".join(f"{r['load_before']:.1f}" for rs in result["runs"].values() for r in rs)
    lines = [f"### {threads} thread{'s' if threads > 1 else ''}", "",
             f"peak FP32: {f'{peak:.1f} GFLOP/s' if peak else 'not measured'}; 1-minute load average before each "
             f"run: {loads} (on {os.cpu_count()} cores)", "",
             "| engine | texts/s per run | median texts/s | median tokens/s | GFLOP/s | % of peak |",
             "|---|---|---:|---:|---:|---:|"]
    for name, s in result["engines"].items():
        runs = ", ".join(f"{x:,.1f}" for x in s["texts_per_s"])
        share = f"{100 * s['share_of_peak']:.1f}" if s["share_of_peak"] else "—"
        label = name + (f" ({s['kernels']})" if s.get("kernels") else "")
        lines.append(f"| {label} | {runs} | {s['median_texts_per_s']:,.1f} | {s['median_tokens_per_s']:,.0f} | "
                     f"{s['gflops']:.1f} | {share} |")
    if "ratio_paperboy_torch" in result:
        lines += ["", f"paperboy / torch (median throughput): **{result['ratio_paperboy_torch']:.2f}**"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--source", choices=["shared", "generated"], default="shared")
    parser.add_argument("--seed", type=int, default=7, help="for --source generated")
    parser.add_argument("--threads", type=int, nargs="+", default=sorted({os.cpu_count(), 1}, reverse=True))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--paperboy", type=Path, default=ROOT / ".build/release/paperboy")
    parser.add_argument("--peers-only", action="store_true", help="torch alone (skip `paperboy bench embed`)")
    default_model = os.environ.get("PAPERBOY_MODEL") or os.path.expanduser("~/.cache/paperboy/models/all-MiniLM-L6-v2")
    parser.add_argument("--model", type=Path, default=Path(default_model))
    parser.add_argument("--work", type=Path, default=Path("/tmp/paperboy-embed-bench"))
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    args.work.mkdir(parents=True, exist_ok=True)
    output = args.out or args.work / "results.json"
    if not args.peers_only and not args.paperboy.exists():
        sys.exit(f"{args.paperboy} is missing: swift build -c release --product paperboy (or --peers-only)")

    texts = texts_for(args.source, args.count, args.seed, args.work)
    texts_file = args.work / f"texts-{args.source}-{args.count}.jsonl"
    texts_file.write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts), encoding="utf-8")
    torch_engine = Torch(args.model, args.batch_size)
    lengths = torch_engine.lengths(texts)
    tokens, flops = sum(lengths), sum(sequence_flops(n) for n in lengths)
    padded = torch_engine.padded_flops(texts, lengths)

    results = {"command": " ".join(sys.argv), "started": time.strftime("%Y-%m-%d %H:%M:%S"),
               "source": args.source, "texts_file": str(texts_file), "texts": len(texts), "tokens": tokens,
               "truncated": sum(n == MAX_LENGTH for n in lengths), "flops": flops, "torch_padded_flops": padded,
               "batch_size": args.batch_size, "repeat": args.repeat, "cpu_count": os.cpu_count(),
               "versions": torch_engine.versions, "model": str(args.model), "threads": {}}
    print(f"Embedding throughput, all-MiniLM-L6-v2: {len(texts):,} texts ({args.source}), {tokens:,} tokens after "
          f"truncation at {MAX_LENGTH} (mean {tokens / len(texts):.0f}, {results['truncated']:,} truncated); "
          f"{flops / 1e9:,.0f} GFLOP of useful work (torch's padded batches of {args.batch_size}: "
          f"{padded / 1e9:,.0f}); {args.repeat} runs per engine, alternating.\n", flush=True)

    for threads in args.threads:
        peak = run_json([args.paperboy, "bench", "peak", "--threads", threads, "--json"]) if args.paperboy.exists() else None
        peak_gflops = peak.get("gflops") if peak else None
        torch_engine.warm_up(texts, threads)
        runs = {"torch": []} if args.peers_only else {"torch": [], "paperboy": []}
        kernels = None
        for r in range(args.repeat):
            for name in (list(runs) if r % 2 == 0 else list(reversed(runs))):
                load = os.getloadavg()[0]
                if name == "torch":
                    seconds = torch_engine.run(texts, threads)
                    runs[name].append({"texts": len(texts), "tokens": tokens, "seconds": seconds, "load_before": load})
                else:
                    started = time.monotonic()
                    report = run_json([args.paperboy, "bench", "embed", "--texts", texts_file, "--threads", threads,
                                       "--model", args.model, "--json"])
                    if report is None:
                        sys.exit("`paperboy bench embed` failed (run it by hand to see why, or use --peers-only)")
                    report["process_seconds"], report["load_before"] = time.monotonic() - started, load
                    if report["texts"] != len(texts) or report["tokens"] != tokens:
                        print(f"warning: paperboy counted {report['texts']} texts, {report['tokens']} tokens; "
                              f"torch {len(texts)}, {tokens}", file=sys.stderr)
                    kernels = report.get("kernels")
                    runs[name].append(report)
        result = {"peak_gflops": peak_gflops, "runs": runs,
                  "engines": {name: summary(rs, flops, peak_gflops) for name, rs in runs.items()}}
        if "paperboy" in runs:
            result["engines"]["paperboy"]["kernels"] = kernels
            result["ratio_paperboy_torch"] = (result["engines"]["paperboy"]["median_texts_per_s"]
                                              / result["engines"]["torch"]["median_texts_per_s"])
        results["threads"][str(threads)] = result
        print(table(threads, result) + "\n", flush=True)
        output.write_text(json.dumps(results, indent=1))
    print(f"Results: {output}")


if __name__ == "__main__":
    main()
