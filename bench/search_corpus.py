#!/usr/bin/env python3
"""Writes N synthetic but realistic papers in the arXiv metadata snapshot format (JSON lines,
the fields of ../shared/fixtures/kaggle-arxiv-snapshot) for the keyword-search benchmark.

    python3 bench/search_corpus.py 1000000 /tmp/search-1m.jsonl [--seed 7]

The same N and seed always give the same bytes. What makes the text realistic for search:
- Words have Zipfian frequencies. The real vocabulary (~10k words, with their usual spelling:
  "LLM", "LoRA") is harvested from the real abstracts in ../shared (HF papers pages and the
  snapshot fixture) and ranked by its real counts; beyond it come pronounceable pseudo-words.
- The vocabulary keeps growing with the corpus (Heaps' law, exponent ~0.5): 3 % of words come
  from an unbounded Zipf-like tail of pseudo-words, P(k) ~ (1 + k/20000)^-2, so new rare words
  keep appearing: ~60k distinct words at 10k papers, ~200k at 100k, ~600k at 1M, half of
  them seen once.
- 200 topics, with Zipfian popularity, each a Zipfian distribution over its own 250 words
  (200 real mid-frequency words, 50 jargon pseudo-words never among its 20 commonest), mixed
  with a background distribution over the whole real vocabulary. Each paper draws 1-3 topics.
- Titles of 6-15 words (title case, sometimes "Name: ..."); abstracts of 120-300 words in
  sentences; 1-8 authors from a name pool of N/2 authors with Zipf-Mandelbrot productivity;
  1-3 real arXiv categories tied to the topics; unique new-style ids (YYMM.NNNNN) spread
  over 2015-2024 in id order.
"""
import argparse
import collections
import datetime
import json
import re
from pathlib import Path

import numpy as np

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
WORD = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
TOPICS, TOPIC_REAL, TOPIC_JARGON = 200, 200, 50
ABSTRACT_MIX = (0.56, 0.41)  # background, topic; the rest (3 %) is the rare-word tail
TITLE_MIX = (0.35, 0.62)
TAIL_EXPONENT, TAIL_SCALE = 2.0, 20000  # P(k) ~ (1 + k/scale)^-exponent: no tail word is common
SMALL = {"a", "an", "the", "of", "for", "and", "in", "on", "with", "to", "via", "by", "from", "at", "or", "as"}
CATEGORIES = ("cs.LG cs.CV cs.CL cs.AI stat.ML cs.IR cs.RO cs.CR cs.DC cs.SE cs.NE cs.DS cs.IT cs.HC cs.SD "
              "eess.IV eess.SP eess.SY quant-ph hep-ph hep-th hep-ex gr-qc astro-ph.CO astro-ph.GA astro-ph.SR "
              "astro-ph.HE cond-mat.mtrl-sci cond-mat.str-el cond-mat.mes-hall cond-mat.stat-mech cond-mat.soft "
              "math.CO math.PR math.OC math.AP math.NA math.AG math.NT math.ST physics.optics physics.comp-ph "
              "physics.flu-dyn q-bio.QM q-bio.NC econ.EM nucl-th").split()
FIRST_NAMES = ("Wei Li Jun Yan Hao Min Jie Xin Lei Yu Ahmed Fatima Omar Aisha Ali Maria Jose Juan Ana Carlos "
               "Luis Sofia Pablo Elena Marco Giulia Luca Anna Paolo Sara Hans Anke Jonas Lena Felix Pierre Marie "
               "Julien Camille Louis John Mary James Sarah David Emily Michael Laura Robert Emma Daniel Olivia "
               "Ivan Olga Dmitri Natalia Sergei Priya Rahul Anil Deepa Arjun Kenji Yuki Hiroshi Akiko Takeshi "
               "Minji Jihoon Seojin Hyun Nikos Eleni Mehmet Ayse Lars Ingrid Sven Astrid Kofi Amara Tunde "
               "Chioma Tomasz Katarzyna Piotr Noa Yosef Tamar Rafael Beatriz Joao Ines Andrei Ioana").split()
ONSETS = "b c d f g k l m n p r s t v z br cr dr fl gr pl pr st tr ch sh th".split()
VOWELS = "a e i o u ia io ou ea".split()
CODAS = ["", "n", "r", "s", "l", "x", "nd", "st", "th"]
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
DAYS = "Mon Tue Wed Thu Fri Sat Sun".split()
LICENSES = [None, "http://arxiv.org/licenses/nonexclusive-distrib/1.0/",
            "http://creativecommons.org/licenses/by/4.0/", "http://creativecommons.org/licenses/by-nc-sa/4.0/"]


def harvest() -> tuple[list[str], list[str]]:
    """Real words ranked by count (each in its usual spelling) and real ASCII surnames."""
    texts = [p.read_text() for p in sorted((SHARED / "corpus/hf-papers-pages").glob("*.txt"))]
    surnames = set()
    for line in (SHARED / "fixtures/kaggle-arxiv-snapshot/arxiv-metadata-oai-snapshot.first200.jsonl").open():
        record = json.loads(line)
        texts += [record["title"], record["abstract"]]
        surnames.update(a[0] for a in record["authors_parsed"] if re.fullmatch(r"[A-Z][a-z]{2,}", a[0]))
    counts, forms = collections.Counter(), collections.defaultdict(collections.Counter)
    for text in texts:
        for word in WORD.findall(text):
            counts[word.lower()] += 1
            forms[word.lower()][word] += 1
    words = []
    for key in sorted(counts, key=lambda k: (-counts[k], k)):
        form = forms[key].most_common(1)[0][0]
        words.append(key if form.istitle() or form == form.capitalize() else form)
    return words, sorted(surnames)


SYLLABLES = [o + v for o in ONSETS for v in VOWELS]  # 243 = 3**5
SHORT = len(SYLLABLES) ** 2 * len(CODAS)  # 3**12 two-syllable words


def pseudo(k: int) -> str:
    """The k-th pseudo-word: onset+vowel syllables (at least two) and a coda. Distinct k give distinct
    words (a consonant run starts each syllable and ends the word, so the split is unique); below
    SHORT, k is scrambled (a bijection, 7919 being prime to 3) so that neighbours look unalike."""
    if k < SHORT:
        k = k * 7919 % SHORT
    rest, coda = divmod(k, len(CODAS))
    parts = []
    while rest or len(parts) < 2:
        rest, syllable = divmod(rest, len(SYLLABLES))
        parts.append(SYLLABLES[syllable])
    return "".join(reversed(parts)) + CODAS[coda]


def zipf_cdf(n: int, s: float = 1.0, q: float = 2.7) -> np.ndarray:
    weights = 1.0 / (np.arange(n) + q) ** s
    cdf = np.cumsum(weights)
    return cdf / cdf[-1]


class Lexicon:
    """Word ranks to strings: real words first, then topic jargon, then the unbounded tail."""

    def __init__(self, real: list[str]):
        self.real = real
        self.lower = {w.lower() for w in real}
        self.tail_base = len(real) + TOPICS * TOPIC_JARGON
        self.cache: dict[int, str] = {}

    def word(self, rank: int) -> str:
        if rank < len(self.real):
            return self.real[rank]
        text = self.cache.get(rank)
        if text is None:
            text = pseudo(rank - len(self.real))
            if text in self.lower:
                text += "q"  # no onset, vowel or coda contains q: still unique
            self.cache[rank] = text
        return text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    n = args.count
    real, surnames = harvest()
    lex = Lexicon(real)
    rng = np.random.Generator(np.random.PCG64(args.seed))

    # Topics: 200 real mid-frequency words (not among the 100 commonest) + 50 jargon words each.
    topic_words = np.empty((TOPICS, TOPIC_REAL + TOPIC_JARGON), dtype=np.int64)
    for t in range(TOPICS):
        own = np.concatenate([rng.choice(np.arange(100, len(real)), TOPIC_REAL, replace=False),
                              len(real) + t * TOPIC_JARGON + np.arange(TOPIC_JARGON)])
        order = rng.permutation(own)
        head = order[np.isin(order, own[:TOPIC_REAL])][:20]
        topic_words[t] = np.concatenate([head, order[~np.isin(order, head)]])
    topic_cdf = zipf_cdf(topic_words.shape[1], 1.0, 1.5)
    topic_popularity = zipf_cdf(TOPICS, 0.8, 5.0)
    topic_categories = np.searchsorted(zipf_cdf(len(CATEGORIES), 1.0, 3.0), rng.random(TOPICS))
    background_cdf = zipf_cdf(len(real), 1.0, 2.7)
    pool = max(2000, n // 2)
    author_cdf = zipf_cdf(pool, 1.0, 100.0)
    author_order = rng.permutation(pool)  # so the prolific authors are not all named alike
    months = 120
    per_month = -(-n // months)
    assert per_month <= 99999, "at most 11,999,880 papers"

    def author(i: int) -> tuple[str, str]:
        first, j = FIRST_NAMES[i % len(FIRST_NAMES)], i // len(FIRST_NAMES)
        last = surnames[j] if j < len(surnames) else pseudo(3_000_000 + j).capitalize()
        return first + (f" {chr(65 + j % 26)}." if i % 5 == 0 else ""), last

    def sample(mix, lengths, topics, weights):
        """Word ranks for papers with these lengths, topic ids (B×3) and topic weights (B×3)."""
        paper = np.repeat(np.arange(len(lengths)), lengths)
        u = rng.random(len(paper))
        ranks = np.searchsorted(background_cdf, rng.random(len(paper)))
        is_topic = (u >= mix[0]) & (u < mix[0] + mix[1])
        slot = (rng.random(len(paper))[:, None] > np.cumsum(weights, axis=1)[paper]).sum(axis=1)
        chosen = topics[paper, np.minimum(slot, 2)]
        ranks[is_topic] = topic_words[chosen, np.searchsorted(topic_cdf, rng.random(len(paper)))][is_topic]
        is_tail = u >= mix[0] + mix[1]
        lomax = TAIL_SCALE * (rng.random(int(is_tail.sum())) ** (-1 / (TAIL_EXPONENT - 1)) - 1)
        ranks[is_tail] = lex.tail_base + np.minimum(lomax, 1e9).astype(np.int64)
        uniq, inverse = np.unique(ranks, return_inverse=True)
        words = np.array([lex.word(int(r)) for r in uniq], dtype=object)[inverse]
        bounds = np.concatenate([[0], np.cumsum(lengths)])
        return [words[bounds[i]:bounds[i + 1]].tolist() for i in range(len(lengths))]

    with args.out.open("w") as out:
        for start in range(0, n, 5000):
            b = min(5000, n - start)
            k = rng.choice(3, b, p=[0.5, 0.35, 0.15]) + 1
            topics = np.searchsorted(topic_popularity, rng.random((b, 3)))
            weights = rng.dirichlet([3.0, 1.5, 1.0], b) * (np.arange(3)[None, :] < k[:, None])
            weights /= weights.sum(axis=1, keepdims=True)
            title_len = rng.integers(6, 16, b)
            abstract_len = np.clip(rng.normal(190, 45, b), 120, 300).astype(np.int64)
            titles = sample(TITLE_MIX, title_len, topics, weights)
            abstracts = sample(ABSTRACT_MIX, abstract_len, topics, weights)
            sentence_len = rng.integers(10, 29, (b, 30))
            comma = rng.random((b, 30)) < 0.4
            n_authors = np.minimum(rng.geometric(0.3, b), 8)
            author_ids = author_order[np.searchsorted(author_cdf, rng.random((b, 8)))]
            extra = rng.random((b, 8))
            # Python lists: indexing numpy arrays one element at a time is slow.
            extra, sentence_len, comma = extra.tolist(), sentence_len.tolist(), comma.tolist()
            topics, k, n_authors, author_ids = topics.tolist(), k.tolist(), n_authors.tolist(), author_ids.tolist()
            topic_categories_list = topic_categories.tolist()
            for i in range(b):
                index = start + i
                title = [w if w.lower() in SMALL and j else (w[0].upper() + w[1:]) for j, w in enumerate(titles[i])]
                if extra[i][0] < 0.25:  # "Name: ...", the name a jargon word of the main topic
                    name = lex.word(len(real) + topics[i][0] * TOPIC_JARGON + int(extra[i][1] * 20))
                    title[0] = (name.upper() if len(name) <= 6 else name.capitalize()) + ":"
                words, pos, s = abstracts[i], 0, 0
                while pos < len(words):
                    words[pos] = words[pos][0].upper() + words[pos][1:]
                    end = min(pos + sentence_len[i][s % 30], len(words))
                    if comma[i][s % 30] and end - pos > 8:
                        words[pos + (end - pos) // 2] += ","
                    words[end - 1] += "."
                    pos, s = end, s + 1
                names = []
                for a in author_ids[i][:n_authors[i]]:
                    if (name := author(a)) not in names:
                        names.append(name)
                cats = [CATEGORIES[topic_categories_list[t]] for t in topics[i][:k[i]]]
                if extra[i][2] < 0.2:
                    cats.append(CATEGORIES[int(extra[i][3] * len(CATEGORIES))])
                year, month = divmod(index // per_month, 12)
                day = 1 + index % 28
                created = []
                for v in range(1 + (extra[i][4] < 0.3) + (extra[i][4] < 0.08)):  # v2, v3 come later
                    date = datetime.date(2015 + year, month + 1, day) + datetime.timedelta(days=40 * v)
                    created.append(f"{DAYS[date.weekday()]}, {date.day} {MONTHS[date.month - 1]} {date.year} "
                                   f"{(index * 7 + v) % 24:02d}:{index % 60:02d}:{(index // 60) % 60:02d} GMT")
                record = {
                    "id": f"{15 + year:02d}{month + 1:02d}.{index % per_month + 1:05d}",
                    "submitter": " ".join(names[0]),
                    "authors": ", ".join(" ".join(x) for x in names),
                    "title": " ".join(title),
                    "comments": f"{5 + int(extra[i][5] * 30)} pages, {int(extra[i][6] * 12)} figures" if extra[i][5] < 0.6 else None,
                    "journal-ref": None,
                    "doi": f"10.{1000 + index % 9000}/synthetic.{index}" if extra[i][7] < 0.15 else None,
                    "report-no": None,
                    "categories": " ".join(dict.fromkeys(cats)),
                    "license": LICENSES[int(extra[i][6] * len(LICENSES))],
                    "abstract": "  " + " ".join(words) + "\n",
                    "versions": [{"version": f"v{v + 1}", "created": c} for v, c in enumerate(created)],
                    "update_date": date.isoformat(),
                    "authors_parsed": [[last, first, ""] for first, last in names],
                }
                out.write(json.dumps(record, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
