#!/usr/bin/env python3
"""Writes the embedding parity fixture for the Swift embedder tests: 200 real texts and the
vectors sentence-transformers gives for them with all-MiniLM-L6-v2 (torch on CPU).

    HF_HUB_OFFLINE=1 python3 bench/embedding_reference.py Tests/Fixtures/minilm-embeddings.json [--model DIR]

DIR defaults to $PAPERBOY_MODEL, else ~/.cache/paperboy/models/all-MiniLM-L6-v2. The model's
pipeline (modules.json) is Transformer -> mean Pooling -> Normalize, so the vectors are unit
length as they come; the script checks that rather than normalizing again.

Texts: papers are embedded as Paperboy embeds them (`Paper.embeddingText`): title + "\\n\\n" +
abstract, or the title alone when there is no abstract; titles and abstracts are whitespace-
collapsed as Paperboy's importers store them. The pool is every distinct paper of
../shared: the five HF papers pages, the Kaggle snapshot lines, the three OAI-PMH ListRecords
pages, the arXiv Atom responses and the HF daily papers response. From it, deterministically
(candidates ordered by token count, then text; picks spread evenly over that order, and no
text twice):
  24 long papers (over 256 tokens, so truncation is exercised), 20 short papers (every other
  one of the 40 shortest: 24 to 73 tokens), 24 with TeX ($ or \\), 20 with accents (all 9
  with non-ASCII letters, 5 of them arXiv API mojibake, then TeX accent commands such as
  Schr{\\"o}dinger), 12 bare titles (no abstract), 12 hand-written short queries, and 88
  others spread over the token-count range and the five sources. About half of the 200
  reach the 256-token limit, as about half of the pool does.
Each item: text, source, kind, tokens (input ids after truncation at max_seq_length, [CLS]
and [SEP] included) and vector (384 floats, 7 significant digits). The header records the
versions, max_seq_length and the sha256 of model.safetensors.
"""
import argparse
import hashlib
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

QUERIES = [
    "making transformers cheaper at inference",
    "diffusion models for video generation",
    "retrieval augmented generation hallucination",
    "graph neural networks molecules",
    "quantum error correction surface code",
    "dark matter halo density profile",
    "reinforcement learning from human feedback",
    "low-rank adaptation LoRA fine-tuning",
    "speech recognition for low-resource languages",
    "Schrödinger equation numerical methods",
    "Fréchet distance for evaluating generative models",
    "LLM",
]
# Picks of each kind (the queries are QUERIES); the rest of the 200 are "other".
COUNTS = {"long": 24, "short": 20, "tex": 24, "accents": 20, "title": 12}
TOTAL = 200
SPACE = re.compile(r"[\s\x00-\x20]+")
TEX = re.compile(r"\$|\\[A-Za-z'\"`^~{]")
TEX_ACCENT = re.compile(r"\\[\"'`^~=.]\{?[A-Za-z]")


def collapse(text: str) -> str:
    """Every run of whitespace or ASCII control characters as one space, ends trimmed (as
    PaperboyCore's `collapsingWhitespace`)."""
    return SPACE.sub(" ", text or "").strip()


def embedding_text(title: str, abstract: str) -> str:
    """Paper.embeddingText."""
    return title + "\n\n" + abstract if abstract else title


def hf_pages() -> list[tuple[str, str]]:
    """(title, abstract) of the five pages: after the "Mon DD" line, title and abstract paragraphs alternate."""
    papers = []
    for page in sorted((SHARED / "corpus/hf-papers-pages").glob("*.txt")):
        paragraphs = [p.strip() for p in page.read_text(encoding="utf-8").split("\n\n")]
        paragraphs = [p for p in paragraphs if p]
        start = next(i for i, p in enumerate(paragraphs) if re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}", p))
        rest = paragraphs[start + 1:]
        papers += list(zip(rest[0::2], rest[1::2]))
    return papers


def snapshot() -> list[tuple[str, str]]:
    path = SHARED / "fixtures/kaggle-arxiv-snapshot/arxiv-metadata-oai-snapshot.first200.jsonl"
    return [(r["title"], r["abstract"]) for r in map(json.loads, path.open(encoding="utf-8"))]


def oai_pmh() -> list[tuple[str, str]]:
    """The first dc:description of each record is the abstract (one starting "Comment:" is not)."""
    dc = "{http://purl.org/dc/elements/1.1/}"
    papers = []
    for page in sorted((SHARED / "fixtures/arxiv-oai-pmh").glob("oai_dc_ListRecords_data_*.xml")):
        for meta in ET.parse(page).getroot().iter("{http://www.openarchives.org/OAI/2.0/oai_dc/}dc"):
            descriptions = [d.text or "" for d in meta.findall(dc + "description")]
            abstract = next((d for d in descriptions if not d.lstrip().startswith("Comment:")), "")
            papers.append((meta.findtext(dc + "title") or "", abstract))
    return papers


def atom() -> list[tuple[str, str]]:
    ns = "{http://www.w3.org/2005/Atom}"
    papers = []
    for feed in sorted((SHARED / "fixtures/arxiv-api/xml").glob("*.xml")):
        for entry in ET.parse(feed).getroot().iter(ns + "entry"):
            if "api/errors" in (entry.findtext(ns + "id") or ""):
                continue
            papers.append((entry.findtext(ns + "title") or "", entry.findtext(ns + "summary") or ""))
    return papers


def hf_daily() -> list[tuple[str, str]]:
    path = SHARED / "fixtures/hf-daily-papers/daily_papers_2026-06-12.json"
    return [(p["title"], p.get("summary") or p["paper"].get("summary", "")) for p in json.loads(path.read_text())]


SOURCES = {"hf-pages": hf_pages, "snapshot": snapshot, "oai-pmh": oai_pmh, "atom": atom, "hf-daily": hf_daily}


def paper_pool() -> list[tuple[str, str, str]]:
    """(source, title, abstract) of every distinct paper of ../shared (first occurrence wins), whitespace collapsed."""
    pool, seen = [], set()
    for source, load in SOURCES.items():
        for title, abstract in load():
            title, abstract = collapse(title), collapse(abstract)
            if title and embedding_text(title, abstract) not in seen:
                seen.add(embedding_text(title, abstract))
                pool.append((source, title, abstract))
    return pool


def spread(candidates: list, k: int) -> list:
    """k items evenly spaced over candidates (all when there are no more than k)."""
    if len(candidates) <= k:
        return list(candidates)
    return [candidates[(2 * i + 1) * len(candidates) // (2 * k)] for i in range(k)]


def select(pool: list[tuple[str, str, str]], count_tokens) -> list[dict]:
    """The 200 items: (text, source, kind), deterministic for a given pool and tokenizer."""
    papers = []
    for source, title, abstract in pool:
        text = embedding_text(title, abstract)
        papers.append({"text": text, "source": source, "title": title, "raw": count_tokens(text, False)})
    papers.sort(key=lambda p: (p["raw"], p["text"]))
    chosen, taken = [], set()

    def take(kind: str, candidates: list, k: int, text=lambda p: p["text"]):
        fresh = [p for p in candidates if text(p) not in taken]
        for p in spread(fresh, k):
            taken.add(text(p))
            chosen.append({"text": text(p), "source": p["source"], "kind": kind})

    take("long", [p for p in papers if p["raw"] > 256], COUNTS["long"])
    take("short", papers[:COUNTS["short"] * 2], COUNTS["short"])
    take("tex", [p for p in papers if TEX.search(p["text"])], COUNTS["tex"])
    # Real non-ASCII letters are rare here (arXiv writes accents in TeX): take them all, then
    # fill with TeX accent commands (Schr{\"o}dinger, Fr\'echet).
    take("accents", [p for p in papers if any(c.isalpha() and not c.isascii() for c in p["text"])], COUNTS["accents"])
    have = sum(c["kind"] == "accents" for c in chosen)
    take("accents", [p for p in papers if TEX_ACCENT.search(p["text"])], COUNTS["accents"] - have)
    titles = sorted(papers, key=lambda p: (len(p["title"]), p["title"]))
    take("title", titles, COUNTS["title"], text=lambda p: p["title"])
    for q in QUERIES:
        taken.add(q)
        chosen.append({"text": q, "source": "query", "kind": "query"})
    rest = TOTAL - len(chosen)
    by_source = {s: [p for p in papers if p["source"] == s] for s in SOURCES}
    quota = {s: rest // len(SOURCES) for s in SOURCES}
    for s in list(SOURCES)[: rest % len(SOURCES)]:
        quota[s] += 1
    for s in SOURCES:
        take("other", by_source[s], quota[s])
    return chosen


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("output", type=Path)
    default_model = os.environ.get("PAPERBOY_MODEL") or os.path.expanduser("~/.cache/paperboy/models/all-MiniLM-L6-v2")
    parser.add_argument("--model", type=Path, default=Path(default_model))
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    import numpy as np
    import sentence_transformers
    import torch
    import transformers
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(args.threads)
    modules = [m["type"].rsplit(".", 1)[-1] for m in json.loads((args.model / "modules.json").read_text())]
    model = SentenceTransformer(str(args.model), device="cpu")
    tokenizer, max_length = model.tokenizer, model.max_seq_length

    def count_tokens(text: str, truncate: bool = True) -> int:
        if truncate:
            return len(tokenizer(text, truncation=True, max_length=max_length)["input_ids"])
        return len(tokenizer(text, truncation=False, verbose=False)["input_ids"])

    items = select(paper_pool(), count_tokens)
    assert len(items) == TOTAL and len({i["text"] for i in items}) == TOTAL
    vectors = model.encode([i["text"] for i in items], batch_size=32, convert_to_numpy=True)
    norms = np.linalg.norm(vectors, axis=1)
    if "Normalize" not in modules:
        vectors = vectors / norms[:, None]
    assert np.all(np.abs(np.linalg.norm(vectors, axis=1) - 1) < 1e-5), "vectors are not unit length"
    for item, vector in zip(items, vectors):
        item["tokens"] = count_tokens(item["text"])
        item["vector"] = [float(f"{x:.7g}") for x in vector.tolist()]

    kinds = {}
    for item in items:
        kinds[item["kind"]] = kinds.get(item["kind"], 0) + 1
    fixture = {
        "generator": "python3 bench/embedding_reference.py " + " ".join(sys.argv[1:]),
        "model": args.model.name,
        "model_safetensors_sha256": sha256(args.model / "model.safetensors"),
        "modules": modules,
        "normalized_by": "model (Normalize module)" if "Normalize" in modules else "this script",
        "torch_version": torch.__version__,
        "sentence_transformers_version": sentence_transformers.__version__,
        "transformers_version": transformers.__version__,
        "max_seq_length": max_length,
        "dimension": int(vectors.shape[1]),
        "tokens_note": "input ids after truncation at max_seq_length, [CLS] and [SEP] included",
        "kinds": kinds,
        "items": [{k: item[k] for k in ("kind", "source", "tokens", "text", "vector")} for item in items],
    }
    lines = ["{"] + [f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in fixture.items() if k != "items"]
    lines += ['"items": ['] + [json.dumps(item, ensure_ascii=False) + "," for item in fixture["items"]]
    lines[-1] = lines[-1].rstrip(",")
    lines += ["]", "}"]
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    long = sum(i["tokens"] == max_length for i in items)
    print(f"wrote {len(items)} items ({kinds}; {long} truncated at {max_length}) to {args.output}, "
          f"{args.output.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
