#!/usr/bin/env python3
"""Writes the WordPiece parity fixture for the Swift tokenizer tests: the ids that the PyPI
`tokenizers` package gives for all-MiniLM-L6-v2's tokenizer.json, with truncation at 256
(max_seq_length of sentence_bert_config.json) and no padding.

    pip install tokenizers
    python3 bench/tokenizer_reference.py Tests/Fixtures/minilm-token-ids.json [--model DIR]

DIR defaults to $PAPERBOY_MODEL, else ~/.cache/paperboy/models/all-MiniLM-L6-v2.
Items: every title and every abstract of the five pages in ../shared/corpus/hf-papers-pages
(after the "Mon DD" date line, each non-empty paragraph is a title or an abstract), then a
hand-written list of edge cases (accents, CJK, emoji, TeX, control characters, long input).
"""
import argparse
import json
import os
import re
import sys
from pathlib import Path

import tokenizers
from tokenizers import Tokenizer

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT.parent / "shared" / "corpus" / "hf-papers-pages"

EDGE_CASES = [
    "",
    "Schrödinger equation, naïve Bayes and the Ångström unit",
    "Crème brûlée à la façon de Zürich; São Paulo; Łódź; Dvořák",
    "中文分词 and 日本語の形態素解析 with 한국어 텍스트",
    "Emoji: 😀 🚀🔥 👩‍💻 🇺🇸 ❤️ ✨ 🥲 🫠",
    r"Complexity $\mathcal{O}(n^2)$ and $\sum_{i=1}^{N} x_i^2 \leq \epsilon$",
    r"Sch{\"o}dinger and Fr\'echet and G{\"o}del",
    "nul\u0000byte bell\u0007char zero\u200bwidth tab\there crlf\r\nnext \ufffd replacement",
    "soft\u00adhyphen bom\ufeffmark nbsp\u00a0space ideographic\u3000space line\u2028sep",
    "combining: e\u0301 a\u0308 n\u0303 o\u0302\u0323 \u0301leading mark",
    "Ｆｕｌｌ－ｗｉｄｔｈ ＬＥＴＴＥＲＳ ａｎｄ １２３",
    "x" * 10000,
    " ".join(["token"] * 400),
    "!!! ??? ... --- ((( ))) [[[ ]]] {} <> @#$%^&*_+=|\\/~`'\"",
    "«quotes» „German“ ‘single’ “double” — en–dash … ¿¡ 。、「」",
    "a" * 101 + " " + "b" * 100 + " supercalifragilisticexpialidocious" * 3,
    "التعلم العميق للغة العربية",
    "למידה עמוקה בעברית",
    "การเรียนรู้เชิงลึกภาษาไทย",
    "गहन अध्ययन हिन्दी भाषा",
    "İstanbul ΣΊΣΥΦΟΣ Straße ǅemal ﬁnance Ⅻ",
    "GPT-4o, LLaMA-2-70B, Qwen2.5-VL; F1=0.93±0.02 (p<0.05) ×10³ µs ≈ 5°C",
    "[CLS] literal special tokens [SEP] in text",
    "   leading and trailing whitespace   \n\n",
]


def page_items():
    """Titles and abstracts of the five pages, in file order."""
    items = []
    for page in sorted(PAGES.glob("*.txt")):
        paragraphs = [p.strip() for p in page.read_text(encoding="utf-8").split("\n\n")]
        paragraphs = [p for p in paragraphs if p]
        start = next(i for i, p in enumerate(paragraphs) if re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}", p))
        items.extend(paragraphs[start + 1:])
    return items


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("output")
    default_model = os.environ.get("PAPERBOY_MODEL") or os.path.expanduser(
        "~/.cache/paperboy/models/all-MiniLM-L6-v2")
    parser.add_argument("--model", default=default_model)
    args = parser.parse_args()

    model = Path(args.model)
    max_length = json.loads((model / "sentence_bert_config.json").read_text())["max_seq_length"]
    tokenizer = Tokenizer.from_file(str(model / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_length)

    texts = page_items() + EDGE_CASES
    items = [{"text": t, "ids": tokenizer.encode(t).ids} for t in texts]
    fixture = {
        "generator": "python3 bench/tokenizer_reference.py " + " ".join(sys.argv[1:]),
        "tokenizers_version": tokenizers.__version__,
        "max_length": max_length,
        "items": items,
    }
    Path(args.output).write_text(json.dumps(fixture, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {len(items)} items to {args.output}")


if __name__ == "__main__":
    main()
