#!/usr/bin/env python3
"""Writes N lines in the arXiv metadata snapshot format (Kaggle arxiv-metadata-oai-snapshot.json).

The 200 real lines in ../shared/fixtures/kaggle-arxiv-snapshot are the templates: every
generated line is a real record with a new unique new-style id, a varied title, abstract and DOI
(words reshuffled so titles are distinct), and versions dated by its id's month, so sizes
and field shapes match the real snapshot.

    python3 bench/generate_snapshot.py 1000000 /tmp/snapshot-1m.jsonl
"""
import json
import random
import sys
from pathlib import Path

def main() -> None:
    count, out = int(sys.argv[1]), Path(sys.argv[2])
    here = Path(__file__).resolve().parent
    fixture = here.parent.parent / "shared/fixtures/kaggle-arxiv-snapshot/arxiv-metadata-oai-snapshot.first200.jsonl"
    templates = [json.loads(line) for line in fixture.read_text().splitlines() if line.strip()]
    rng = random.Random(20261125)
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    with out.open("w") as f:
        for i in range(count):
            record = dict(templates[i % len(templates)])
            year = 15 + i // (12 * 99999)
            month = 1 + (i // 99999) % 12
            record["id"] = f"{year:02d}{month:02d}.{i % 99999 + 1:05d}"
            words = record["title"].split()
            rng.shuffle(words)
            record["title"] = " ".join(words) + f" {i}"
            sentences = record["abstract"].split(". ")
            rng.shuffle(sentences)
            record["abstract"] = ". ".join(sentences)
            if record.get("doi"):
                record["doi"] = f'{record["doi"]}.g{i}'  # a DOI names one paper
            day = 1 + i % 28
            created = f"{['Mon','Tue','Wed','Thu','Fri','Sat','Sun'][i % 7]}, {day} {months[month - 1]} 20{year:02d} 12:00:00 GMT"
            record["versions"] = [{"version": "v1", "created": created}]
            record["update_date"] = f"20{year:02d}-{month:02d}-{day:02d}"
            f.write(json.dumps(record, separators=(",", ":")) + "\n")

if __name__ == "__main__":
    main()
