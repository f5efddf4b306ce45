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
  to 16 KB;
- FuzzTokenizer: the WordPiece tokenizer, on text (with the real model's tokenizer.json) and
  on tokenizer.json files (the real one with its vocabulary cut short);
- FuzzSafetensors: the safetensors reader, seeded with small files of every dtype and the
  start of the real model file;
- FuzzIndexFile: the keyword index file loader, seeded with index files the release
  `paperboy` writes for one and two HF pages (the harness supplies the checksum);
- FuzzSMTPReplies: the SMTP reply parser, seeded with conversations as real servers answer;
- FuzzQueryString: the query string as the server reads it (URI, form decoding, every
  checked parameter, the search request) and multipart form bodies.

The build goes to `.build-fuzz/`, findings to `.build-fuzz/artifacts/`. Exits non-zero when
libFuzzer found a crash, a leak or a timeout; prints libFuzzer's final statistics.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BUILD = ROOT / ".build-fuzz"
SEED_BYTES = 16_384


def seeds(target):
    """(name, bytes) pairs for the target's corpus."""
    return SEEDS[target]()


def hf_lines():
    """Every tenth long line of the recorded Hugging Face pages."""
    pages = sorted((SHARED / "corpus" / "hf-papers-pages").glob("*.txt"))
    return [line for page in pages for line in page.read_text().splitlines() if len(line) > 20][::10]


def judged_queries(limit=200):
    return [json.loads(line)["text"] for collection in ("cranfield", "cacm")
            for line in (SHARED / "eval" / collection / "queries.jsonl").read_text().splitlines()[:limit]]


QUERY_FORMS = ['"diffusion model" -video', "title:transformer* AND cat:cs.CL", "author:\"Yann LeCun\" since:2020",
               "(a OR b) NOT c", "gpt-4 vs llama-2", "ti:\"attention is all\" abs:BERT~2"]


def query_parser_seeds():
    return [(f"query-{number}", text.encode()) for number, text in enumerate(judged_queries() + QUERY_FORMS)]


def text_analyzer_seeds():
    return [(f"line-{number}", line.encode()) for number, line in enumerate(hf_lines()[:500])]


def importer_seeds():
    pages = sorted((SHARED / "corpus" / "hf-papers-pages").glob("*.txt"))
    fixtures = SHARED / "fixtures"
    inputs = [(0, page) for page in pages[:2]]
    inputs += [(1, path) for path in sorted((fixtures / "arxiv-api" / "xml").glob("*.xml"))[:6]]
    inputs += [(2, path) for path in sorted((fixtures / "arxiv-oai-pmh").glob("*.xml"))]
    inputs += [(3, path) for path in sorted((fixtures / "kaggle-arxiv-snapshot").glob("*.jsonl"))]
    inputs += [(4, path) for path in sorted((fixtures / "hf-daily-papers").glob("*.json"))[:2]]
    return [(f"{selector}-{path.name}", bytes([selector]) + path.read_bytes()[:SEED_BYTES]) for selector, path in inputs]


def tokenizer_seeds():
    """Texts for the real tokenizer (first byte even), and the real tokenizer.json with its
    vocabulary cut to a few hundred pieces (odd: the file itself is fuzzed)."""
    found = [(f"text-{number}", b"\0" + line.encode()) for number, line in enumerate(hf_lines()[:150] + judged_queries(50))]
    found.append(("text-unicode", b"\0" + "Ünïcödé – 日本語の論文 ﬁ ﬀ café\u0301 \u200b [CLS] ##ing 𝔼[x]".encode()))
    found.append(("file-empty", b"\1"))  # Foundation leaked reading it, as for an empty model file
    tokenizer = json.loads((model_directory() / "tokenizer.json").read_text())
    vocabulary = tokenizer["model"]["vocab"]
    for number, keep in enumerate((120, 400)):
        cut = dict(tokenizer)
        pieces = sorted(vocabulary.items(), key=lambda item: item[1])[:keep] + [("##s", keep), ("attention", keep + 1)]
        cut["model"] = dict(tokenizer["model"], vocab=dict(pieces))
        found.append((f"file-{number}", b"\1" + json.dumps(cut).encode()))
    return found


def safetensors_seeds():
    """Small well-formed files of every dtype the reader takes, and the real model's header."""
    import struct

    def file(tensors, metadata=True):
        header, body = ({"__metadata__": {"format": "pt"}} if metadata else {}), b""
        for name, (dtype, shape, data) in tensors.items():
            header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(body), len(body) + len(data)]}
            body += data
        text = json.dumps(header).encode()
        return struct.pack("<Q", len(text)) + text + body

    floats = struct.pack("<6f", 0.5, -1.0, 3.25, 0.0, 1e-3, 7.0)
    found = [
        ("f32", file({"embeddings.word_embeddings.weight": ("F32", [2, 3], floats)})),
        ("mixed", file({"a": ("F16", [4], struct.pack("<4e", 1.0, -2.0, 0.5, 65504.0)),
                        "b": ("BF16", [2, 1], b"\x80\x3f\x00\xc0"),
                        "position_ids": ("I64", [1, 3], struct.pack("<3q", 0, 1, 2)),
                        "empty": ("F32", [0, 384], b"")}, metadata=False)),
    ]
    # An empty file: Foundation leaked the buffer it read one into (fixed by Data(readingFile:)).
    found.append(("empty", b""))
    real = (model_directory() / "model.safetensors").read_bytes()[:SEED_BYTES]
    found.append(("real-model-start", real))
    return found


def index_file_seeds():
    """Keyword index files of one and of two recorded Hugging Face pages, made by the release
    `paperboy`, without the checksum and end marker the harness appends."""
    import tempfile

    paperboy = ROOT / ".build" / "release" / "paperboy"
    if not paperboy.exists():
        sys.exit(f"{paperboy} is missing: the index file seeds are made with it (swift build -c release)")
    pages = sorted((SHARED / "corpus" / "hf-papers-pages").glob("*.txt"))
    found = []
    for count in (1, 2):
        with tempfile.TemporaryDirectory() as data:
            subprocess.run([paperboy, "import", "--data", data, *map(str, pages[:count])], check=True, capture_output=True)
            subprocess.run([paperboy, "index", "--data", data], check=True, capture_output=True)
            found.append((f"pages-{count}", (Path(data) / "keyword.index").read_bytes()[:-16]))
    return found


def smtp_reply_seeds():
    """Replies as real servers send them (Postfix, aiosmtpd, Exchange, Gmail), one conversation each."""
    conversations = [
        "220 mail.example.org ESMTP Postfix (Debian/GNU)\r\n250-mail.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n"
        "250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n"
        "354 End data with <CR><LF>.<CR><LF>\r\n250 2.0.0 Ok: queued as 4F1C2A1\r\n221 2.0.0 Bye\r\n",
        "220 host Python SMTP 1.4.6\r\n250-host\r\n250-SIZE 33554432\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 HELP\r\n"
        "250 OK\r\n250 OK\r\n354 End data with <CR><LF>.<CR><LF>\r\n250 OK\r\n",
        "220 smtp.gmail.com ESMTP\r\n250-smtp.gmail.com at your service\r\n250-AUTH LOGIN PLAIN XOAUTH2\r\n250 CHUNKING\r\n"
        "334 VXNlcm5hbWU6\r\n334 UGFzc3dvcmQ6\r\n235 2.7.0 Accepted\r\n",
        "421 4.7.0 Try again later, closing connection.\r\n",
        "550-5.1.1 The email account that you tried to reach does not exist.\r\n550 5.1.1 https://support.example/?p=NoSuchUser\r\n",
        "452 4.3.1 Insufficient system storage\n503 5.5.1 Error: need MAIL command\n",
    ]
    found = [(f"conversation-{number}", bytes([number * 3 + 1]) + text.encode()) for number, text in enumerate(conversations)]
    # The longest line allowed (2,048 bytes), read 3 bytes at a time, so its CR and LF come in
    # different reads: the parser once refused it read so and took it read whole.
    found.append(("longest-line", b"\2" + ("250 " + "a" * 2044 + "\r\n250 OK\r\n").encode()))
    return found


def query_string_seeds():
    """Request targets the pages take (first byte even), and multipart form bodies (odd)."""
    from urllib.parse import quote_plus

    targets = ["/search?q=" + quote_plus(query) for query in judged_queries(60) + QUERY_FORMS]
    targets += ["/search?q=diffusion&mode=semantic&since=2024-01-01&until=2024-12-31&cat=cs.LG&author=Hinton&sort=newest&page=2&size=50",
                "/api/v1/search?q=attention+is+all&mode=hybrid&size=100", "/daily?day=2025-03-14&cat=cs.CL",
                "/api/query?search_query=ti:%22attention%22+AND+cat:cs.CL&start=0&max_results=10",
                "/search?q=%E6%97%A5%E6%9C%AC&page=&size=0&cat=&since=20240101", "/unsubscribe?token=abc.def&email=a%40b.org"]
    found = [(f"target-{number}", b"\0" + target.encode()) for number, target in enumerate(targets)]
    body = ("--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntoken\r\n"
            "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"papers.jsonl\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n{\"id\": \"2401.00001\"}\n\r\n--b--\r\n")
    found.append(("multipart", b"\1" + body.encode()))
    return found


def model_directory():
    """The installed all-MiniLM-L6-v2 (PAPERBOY_MODEL, else where `paperboy` and CI install it)."""
    directory = Path(os.environ.get("PAPERBOY_MODEL") or Path.home() / ".cache/paperboy/models/all-MiniLM-L6-v2")
    if not (directory / "tokenizer.json").exists():
        sys.exit(f"no model at {directory}: python3 .ci/install_model.py {directory}")
    return directory


SEEDS = {
    "FuzzQueryParser": query_parser_seeds,
    "FuzzTextAnalyzer": text_analyzer_seeds,
    "FuzzImporters": importer_seeds,
    "FuzzTokenizer": tokenizer_seeds,
    "FuzzSafetensors": safetensors_seeds,
    "FuzzIndexFile": index_file_seeds,
    "FuzzSMTPReplies": smtp_reply_seeds,
    "FuzzQueryString": query_string_seeds,
}
# Inputs longer than this are not tried; index files are larger than other inputs.
MAX_LENGTH = {"FuzzIndexFile": 400_000}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", choices=sorted(SEEDS))
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
    run = subprocess.run(["nice", "-n", "19", str(BUILD / "debug" / args.target), str(corpus), f"-max_total_time={args.seconds}",
                          "-timeout=10", "-rss_limit_mb=2048", f"-max_len={MAX_LENGTH.get(args.target, 65_536)}", "-print_final_stats=1",
                          f"-artifact_prefix={artifacts}/{args.target}-"],
                         cwd=ROOT, capture_output=True, text=True,
                         # Targets that read files write each input to the temporary directory: keep it in memory.
                         env=dict(os.environ, TMPDIR="/dev/shm" if Path("/dev/shm").is_dir() else tempfile.gettempdir(),
                                  # libFuzzer reports a trap itself; Swift's backtracer, attached
                                  # beside AddressSanitizer, hangs and keeps the pipes open.
                                  SWIFT_BACKTRACE="enable=no"))
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
