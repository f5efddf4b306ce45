#!/usr/bin/env python3
"""Crash consistency: kills a real `paperboy` with SIGKILL at random moments, runs it again,
and checks that nothing was lost, doubled or left damaged; then fills the disk under it.

Operations, each killed `--kills` times (embedding `--embed-kills` times, it is slow):

- import: a generated arXiv snapshot (`--papers`, bench/generate_snapshot.py) followed by the
  real fixtures (OAI-PMH pages, HF daily, Kaggle lines, arXiv API answers, HF papers pages).
  After a kill: the store passes `PRAGMA integrity_check`, holds only whole batches of the
  snapshot and only papers of the input. After a rerun: every paper once, the same records
  as an import that was never killed, the deferred indexes back.
- harvest: `paperboy harvest` against the recorded three-page OAI-PMH harvest replayed from
  loopback, slowed down so kills land between and inside pages. After a kill: whole pages,
  each with the cursor to the next; a rerun asks for that page first. At the end: the 2,265
  papers once, the same records as a harvest never killed, the cursor finished.
- index: `paperboy index` over the imported store, starting with no keyword.index or an
  older one. After a kill: the file in place is absent (only if none was there) or complete
  (its checksum holds). After a rerun: `paperboy search` loads it (no rebuild) and finds a
  known title, and no killed save's temporary file is left beside it.
- embed: `paperboy embed` over the 335 papers of the HF papers pages. After a kill: whole
  pages of vectors, each for a stored paper; vector.index absent or complete. After a rerun:
  one vector per paper, the index agrees with the store (a second run embeds nothing and
  rebuilds nothing), search by meaning finds a paper by its title.
- outbox: `paperboy outbox send` of digests queued with `paperboy bench outbox --phase
  compose`, to an aiosmtpd sink that records each Message-ID. Killed again and again until
  the outbox is empty. After a kill: every message marked sent was received. At the end: all
  sent, every Message-ID received; duplicates are counted (OutboxSender documents them: a
  kill between the server's 250 and the local commit resends under the same Message-ID).
- disk full (needs root, to mount a tmpfs): an import bigger than the data directory's
  tmpfs fails with a sentence naming the problem and leaves whole batches and an intact
  store; after the tmpfs grows, the rerun completes. Then `paperboy index` on a full disk
  fails cleanly, the old keyword.index still loads, and succeeds once space is freed.

Kill moments are drawn from a seeded generator (`--seed`) uniformly over 1.1 times the
operation's duration, measured once first; a kill drawn after the process ended counts as
"after". A round kills a fresh data directory one to three times in a row (the rerun is
killed too) before running the operation to completion.

    python3 reliability/crash_consistency.py --paperboy .build/release/paperboy --kills 100

Prints progress on standard error and a summary (or `--json`); exits 1 if any check failed.
Needs Python 3.9+ and aiosmtpd (`pip install aiosmtpd`).
"""
import argparse
import contextlib
import hashlib
import http.server
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from harvest_benchmark import Replay  # noqa: E402  (the recorded OAI-PMH pages, from loopback)

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = SHARED / "fixtures"
HF_PAGES = SHARED / "corpus" / "hf-papers-pages"
# Papers stored after each page of the replayed harvest, and the token the cursor then holds.
HARVEST_STEPS = {0: None, 1000: "6511260|1001", 2000: "6511260|2001"}
HARVEST_PAPERS = 2265
DEFERRED_INDEXES = {"papers_on_doi", "papers_on_title_hash", "papers_on_published", "papers_on_revision",
                    "papers_on_primary_category"}
PAPER_COLUMNS = ("id, title, abstract, authors, categories, primary_category, published, updated, version, doi, "
                 "journal_ref, comments, abs_url, pdf_url, code_url, upvotes, sources, title_key")
VECTOR_PAGE = 256  # VectorBackfill.pageSize: vectors are committed a page at a time


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Bookkeeping


@dataclass
class Tally:
    """What happened to one operation: kills, where they landed, and every check's outcome."""
    name: str
    kills: int = 0
    mid: int = 0
    after: int = 0
    passed: int = 0
    failed: int = 0
    seconds: float = 0.0
    failures: list = field(default_factory=list)
    notes: dict = field(default_factory=dict)

    def check(self, ok: bool, what: str) -> bool:
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            self.failures.append(what)
            log(f"  FAILED [{self.name}] {what}")
        return ok

    def note(self, key: str, amount: int = 1) -> None:
        self.notes[key] = self.notes.get(key, 0) + amount


class Paperboy:
    """Runs the binary: to completion, or started in the background to be killed."""

    def __init__(self, binary: str, work: Path):
        self.binary = binary
        self.killed_log = work / "killed-run.stderr"

    def run(self, *args, timeout: float = 900) -> subprocess.CompletedProcess:
        return subprocess.run([self.binary, *map(str, args)], capture_output=True, text=True, timeout=timeout)

    def start(self, *args) -> subprocess.Popen:
        with open(self.killed_log, "wb") as stderr:
            return subprocess.Popen([self.binary, *map(str, args)], stdout=subprocess.DEVNULL, stderr=stderr)

    def timed(self, *args) -> float:
        began = time.monotonic()
        result = self.run(*args)
        if result.returncode != 0:
            sys.exit(f"{self.binary} {' '.join(map(str, args))} failed ({result.returncode}):\n{result.stderr[-3000:]}")
        return time.monotonic() - began


def kill_after(process: subprocess.Popen, delay: float) -> bool:
    """SIGKILLs `process` `delay` seconds after it started; false if it had ended by then."""
    try:
        process.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        return True


def stored_copy(data: Path, scratch: Path) -> sqlite3.Connection | None:
    """Opens a copy of the store as a kill left it (the database and its WAL), so SQLite's
    recovery runs on the copy and the data directory stays exactly as the next run finds it."""
    if not (data / "paperboy.sqlite").exists():
        return None
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    for suffix in ("", "-wal"):
        source = data / f"paperboy.sqlite{suffix}"
        if source.exists():
            shutil.copyfile(source, scratch / source.name)
    return sqlite3.connect(scratch / "paperboy.sqlite")


def integrity_ok(db: sqlite3.Connection) -> bool:
    return db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def has_table(db: sqlite3.Connection, name: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def paper_records(db: sqlite3.Connection) -> dict:
    """Each stored paper's id and a digest of its record (every column but the revision)."""
    if not has_table(db, "papers"):
        return {}
    return {row[0]: hashlib.sha256(repr(row).encode()).hexdigest()
            for row in db.execute(f"SELECT {PAPER_COLUMNS} FROM papers ORDER BY id")}


def orphan_categories(db: sqlite3.Connection) -> int:
    if not has_table(db, "paper_categories"):
        return 0
    return db.execute("SELECT COUNT(*) FROM paper_categories WHERE paper_id NOT IN (SELECT id FROM papers)").fetchone()[0]


def compare_records(tally: Tally, got: dict, expected: dict, what: str) -> None:
    missing = len(expected.keys() - got.keys())
    extra = len(got.keys() - expected.keys())
    changed = sum(1 for key in expected.keys() & got.keys() if got[key] != expected[key])
    tally.check(missing == 0 and extra == 0 and changed == 0,
                f"{what}: {len(got)} papers stored, expected {len(expected)}: {missing} missing, "
                f"{extra} not in the input, {changed} differ from a run never killed")


def stats_papers(paperboy: Paperboy, data: Path) -> int | None:
    result = paperboy.run("stats", "--json", "--data", data)
    return json.loads(result.stdout)["papers"] if result.returncode == 0 else None


def rounds(tally: Tally, kills: int, rng: random.Random, longest: int = 3):
    """Yields each round's number of consecutive kills until `kills` have been made."""
    while tally.kills < kills:
        yield min(rng.randint(1, longest), kills - tally.kills)


def kill_once(tally: Tally, paperboy: Paperboy, args: list, delay: float) -> bool:
    """Starts `paperboy args`, kills it after `delay`; true if the kill landed mid-operation."""
    process = paperboy.start(*args)
    landed = kill_after(process, delay)
    tally.kills += 1
    if landed:
        tally.mid += 1
    else:
        tally.after += 1
        tally.check(process.returncode == 0, f"{args[0]} ended with {process.returncode} before its kill: "
                    f"{paperboy.killed_log.read_text()[-500:]}")
    return landed


def complete(tally: Tally, paperboy: Paperboy, args: list, what: str) -> subprocess.CompletedProcess:
    result = paperboy.run(*args)
    tally.check(result.returncode == 0, f"{what}: the rerun exited {result.returncode}: {result.stderr[-800:]}")
    return result


# ---------------------------------------------------------------------------------------------
# Import


class ImportScenario:
    """A generated snapshot, then the real fixtures, into an empty store."""

    def __init__(self, paperboy: Paperboy, work: Path, papers: int):
        self.paperboy = paperboy
        self.work = work
        snapshot = work / "snapshot.jsonl"
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate_snapshot.py"), str(papers), str(snapshot)], check=True)
        self.snapshot_ids = {json.loads(line)["id"] for line in snapshot.open()}
        self.files = [snapshot, *sorted((FIXTURES / "arxiv-oai-pmh").glob("oai_dc_ListRecords_data_*.xml")),
                      *sorted((FIXTURES / "hf-daily-papers").glob("*.json")),
                      *sorted((FIXTURES / "kaggle-arxiv-snapshot").glob("*.jsonl")),
                      *sorted((FIXTURES / "arxiv-api" / "xml").glob("*.xml")), *sorted(HF_PAGES.glob("*.txt"))]
        baseline = work / "import-baseline"
        self.seconds = paperboy.timed(*self.args(baseline, 10_000))
        db = stored_copy(baseline, work / "scratch")
        self.expected = paper_records(db)
        self.categories = db.execute("SELECT COUNT(*) FROM paper_categories").fetchone()[0]
        db.close()
        missing = len(self.snapshot_ids - self.expected.keys())
        if missing:
            sys.exit(f"the import baseline lacks {missing} of the generated snapshot's papers")
        self.baseline = baseline

    def args(self, data: Path, batch: int) -> list:
        return ["import", "--data", data, "--batch-size", batch, *self.files]

    def check_after_kill(self, tally: Tally, data: Path, batch: int) -> None:
        db = stored_copy(data, self.work / "scratch")
        if db is None:
            tally.note("killed before the store existed")
            return
        with contextlib.closing(db):
            tally.check(integrity_ok(db), "import killed: integrity_check is not ok")
            stored = paper_records(db)
            tally.check(stored.keys() <= self.expected.keys(), "import killed: the store holds papers not in the input")
            snapshot = len(stored.keys() & self.snapshot_ids)
            tally.check(snapshot % batch == 0 or snapshot == len(self.snapshot_ids),
                        f"import killed: {snapshot} snapshot papers stored, not whole batches of {batch}")
            tally.check(orphan_categories(db) == 0, "import killed: category rows of papers that are not stored")

    def check_complete(self, tally: Tally, data: Path, what: str) -> None:
        db = stored_copy(data, self.work / "scratch")
        with contextlib.closing(db):
            tally.check(integrity_ok(db), f"{what}: integrity_check is not ok")
            compare_records(tally, paper_records(db), self.expected, what)
            categories = db.execute("SELECT COUNT(*) FROM paper_categories").fetchone()[0]
            tally.check(categories == self.categories and orphan_categories(db) == 0,
                        f"{what}: {categories} category rows, expected {self.categories}")
            indexes = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
            tally.check(DEFERRED_INDEXES <= indexes, f"{what}: indexes missing: {sorted(DEFERRED_INDEXES - indexes)}")
        tally.check(stats_papers(self.paperboy, data) == len(self.expected), f"{what}: `paperboy stats` disagrees")


def crash_import(scenario: ImportScenario, paperboy: Paperboy, work: Path, kills: int, rng: random.Random) -> Tally:
    tally = Tally("import")
    log(f"import: {len(scenario.expected):,} papers from {len(scenario.files)} files, a clean run takes {scenario.seconds:.2f} s")
    for number, chain in enumerate(rounds(tally, kills, rng), 1):
        data = work / "import-data"
        shutil.rmtree(data, ignore_errors=True)
        batch = rng.choice([1_000, 2_500, 10_000])
        for _ in range(chain):
            landed = kill_once(tally, paperboy, scenario.args(data, batch), rng.uniform(0, 1.1 * scenario.seconds))
            scenario.check_after_kill(tally, data, batch)
            if not landed:
                break
        complete(tally, paperboy, scenario.args(data, batch), "import")
        scenario.check_complete(tally, data, f"import round {number}")
        progress(tally, number)
    return tally


def progress(tally: Tally, number: int) -> None:
    if number % 10 == 0 or tally.failed:
        log(f"{tally.name}: round {number}, {tally.kills} kills ({tally.mid} mid-operation), "
            f"{tally.passed} checks passed, {tally.failed} failed")


# ---------------------------------------------------------------------------------------------
# Harvest


class QuietServer(http.server.ThreadingHTTPServer):
    """Says nothing when a killed harvest leaves an answer with no one to read it."""

    def handle_error(self, request, client_address):
        pass


def harvest_cursor(db: sqlite3.Connection):
    if not has_table(db, "harvest_cursors"):
        return None
    return db.execute("SELECT resumption_token, list_from, datestamp FROM harvest_cursors "
                      "WHERE source = 'arxiv-oai' AND set_spec = ''").fetchone()


def crash_harvest(paperboy: Paperboy, work: Path, kills: int, rng: random.Random, delay: float) -> Tally:
    tally = Tally("harvest")
    server = QuietServer(("127.0.0.1", 0), Replay)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/oai2"
    Replay.delay = delay
    try:
        def args(data):
            return ["harvest", "--data", data, "--oai-url", url, "--metadata-prefix", "oai_dc", "--from", "2023-03-07",
                    "--attempts", "2", "--timeout", "10"]
        baseline = work / "harvest-baseline"
        seconds = paperboy.timed(*args(baseline))
        db = stored_copy(baseline, work / "scratch")
        expected = paper_records(db)
        db.close()
        if len(expected) != HARVEST_PAPERS:
            sys.exit(f"the clean harvest stored {len(expected)} papers, not {HARVEST_PAPERS}")
        log(f"harvest: {HARVEST_PAPERS:,} papers in 3 pages, {delay:.2f} s per answer, a clean run takes {seconds:.2f} s")
        for number, chain in enumerate(rounds(tally, kills, rng), 1):
            data = work / "harvest-data"
            shutil.rmtree(data, ignore_errors=True)
            resume_at, listed = ("from", "2023-03-07"), False
            for _ in range(chain):
                Replay.requests = []
                landed = kill_once(tally, paperboy, args(data), rng.uniform(0, 1.1 * seconds))
                if Replay.requests:
                    tally.check(Replay.requests[0] == resume_at,
                                f"harvest rerun asked first for {Replay.requests[0]}, the cursor stood at {resume_at}")
                resume_at, listed = check_harvest_after_kill(tally, data, work, expected, listed)
                if not landed:
                    break
            Replay.requests = []
            complete(tally, paperboy, args(data), "harvest")
            tally.check(Replay.requests[:1] == [resume_at],
                        f"harvest rerun asked first for {Replay.requests[:1]}, the cursor stood at {resume_at}")
            check_harvest_complete(tally, data, work, expected, f"harvest round {number}")
            progress(tally, number)
    finally:
        server.shutdown()
    return tally


def check_harvest_after_kill(tally: Tally, data: Path, work: Path, expected: dict, listed: bool):
    """Checks whole pages with their cursor; returns the page a rerun must ask for first, and
    whether the whole list has been stored. Once it has, a rerun (`--from` again) lists it anew,
    so every paper is stored while the cursor stands at any page."""
    db = stored_copy(data, work / "scratch")
    if db is None:
        return ("from", "2023-03-07"), False
    with contextlib.closing(db):
        tally.check(integrity_ok(db), "harvest killed: integrity_check is not ok")
        stored = paper_records(db)
        cursor = harvest_cursor(db)
        token = cursor[0] if cursor else None
        finished = len(stored) == HARVEST_PAPERS and cursor is not None and token is None and cursor[2] is not None
        whole_page = len(stored) in HARVEST_STEPS and token == HARVEST_STEPS[len(stored)]
        if listed:
            whole_page = len(stored) == HARVEST_PAPERS and token in HARVEST_STEPS.values()
        tally.check(finished or whole_page, f"harvest killed: {len(stored)} papers stored with the cursor at {cursor}")
        tally.check(stored.keys() <= expected.keys(), "harvest killed: papers that are not in the harvest")
        if len(stored) == HARVEST_PAPERS and not listed:
            tally.note("kills after the last page was stored")
        return (("resumptionToken", token) if token else ("from", "2023-03-07")), listed or finished


def check_harvest_complete(tally: Tally, data: Path, work: Path, expected: dict, what: str) -> None:
    db = stored_copy(data, work / "scratch")
    with contextlib.closing(db):
        tally.check(integrity_ok(db), f"{what}: integrity_check is not ok")
        compare_records(tally, paper_records(db), expected, what)
        cursor = harvest_cursor(db)
        tally.check(cursor is not None and cursor[0] is None and cursor[1] is None and cursor[2] is not None,
                    f"{what}: the cursor is not finished: {cursor}")


# ---------------------------------------------------------------------------------------------
# Keyword index


def keyword_index_valid(path: Path) -> bool:
    """The loader's own checks on a keyword.index: both magics and the checksum of every byte
    (a port of SearchIndex's `Checksum`)."""
    data = path.read_bytes()
    if len(data) < 32 or data[:8] != b"PBKWIDX1" or data[-8:] != b"PBKWEND1":
        return False
    end = len(data) - 16
    mask = (1 << 64) - 1
    state = 0x243F6A8885A308D3
    whole = end - end % 8
    for (word,) in struct.iter_unpack("<Q", data[:whole]):
        state = ((state ^ word) * 0x9E3779B97F4A7C15) & mask
        state ^= state >> 29
    tail = data[whole:end]
    carry = int.from_bytes(tail, "little") if tail else 0
    for word in (carry ^ (len(tail) << 56), end):
        state = ((state ^ word) * 0x9E3779B97F4A7C15) & mask
        state ^= state >> 29
    h = state ^ (state >> 33)
    h = (h * 0xFF51AFD7ED558CCD) & mask
    h ^= h >> 33
    return h == struct.unpack("<Q", data[end:end + 8])[0]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class IndexScenario:
    """The imported store, with an index saved when it held only the fixtures (the old one)."""

    def __init__(self, paperboy: Paperboy, work: Path, imports: ImportScenario):
        self.paperboy = paperboy
        self.work = work
        source = work / "index-source"
        paperboy.timed("import", "--data", source, *imports.files[1:])
        paperboy.timed("index", "--data", source)
        self.old = work / "old.index"
        shutil.copyfile(source / "keyword.index", self.old)
        paperboy.timed("import", "--data", source, imports.files[0])
        self.seconds = paperboy.timed("index", "--data", source)
        self.new = work / "new.index"
        shutil.copyfile(source / "keyword.index", self.new)
        (source / "keyword.index").unlink()
        self.source = source
        self.known = {sha256(self.old), sha256(self.new)}
        db = stored_copy(source, work / "scratch")
        self.probe = db.execute("SELECT id, title FROM papers WHERE sources LIKE '%hf-page%' ORDER BY id LIMIT 1").fetchone()
        db.close()

    def fresh(self, data: Path, with_old: bool) -> None:
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir()
        for name in ("paperboy.sqlite", "paperboy.sqlite-wal"):
            if (self.source / name).exists():
                shutil.copyfile(self.source / name, data / name)
        if with_old:
            shutil.copyfile(self.old, data / "keyword.index")

    def file_ok(self, path: Path) -> bool:
        return sha256(path) in self.known or keyword_index_valid(path)

    def search_finds_probe(self, tally: Tally, data: Path, what: str) -> None:
        result = self.paperboy.run("search", "--data", data, "--mode", "keyword", "--json", "--limit", "5", self.probe[1])
        ids = [paper["id"] for paper in json.loads(result.stdout)] if result.returncode == 0 else []
        tally.check(self.probe[0] in ids, f"{what}: a search for the title of {self.probe[0]} found {ids} "
                    f"(exit {result.returncode}) {result.stderr[-300:]}")
        tally.check("rebuilt" not in result.stderr, f"{what}: search rebuilt the index instead of loading it: "
                    f"{result.stderr[-300:]}")


def temporaries(data: Path) -> list:
    return sorted(data.glob(".keyword.index.*.tmp"))


def crash_index(scenario: IndexScenario, paperboy: Paperboy, work: Path, kills: int, rng: random.Random) -> Tally:
    tally = Tally("index")
    log(f"index: the imported store's keyword index, a clean `paperboy index` takes {scenario.seconds:.2f} s")
    data = work / "index-data"
    for number, chain in enumerate(rounds(tally, kills, rng), 1):
        with_old = rng.random() < 0.5
        scenario.fresh(data, with_old)
        for _ in range(chain):
            present = (data / "keyword.index").exists()
            strays = len(temporaries(data))
            landed = kill_once(tally, paperboy, ["index", "--data", data], rng.uniform(0, 1.1 * scenario.seconds))
            if len(temporaries(data)) > strays:
                tally.note("kills that left a temporary file (mid-save)")
            index = data / "keyword.index"
            if index.exists():
                tally.check(scenario.file_ok(index), "index killed: keyword.index in place is torn or corrupt")
            else:
                tally.check(not present, "index killed: keyword.index was there before and is gone")
            if not landed:
                break
        complete(tally, paperboy, ["index", "--data", data], "index")
        tally.check(scenario.file_ok(data / "keyword.index"), f"index round {number}: the saved file is not valid")
        tally.check(sha256(data / "keyword.index") == sha256(scenario.new),
                    f"index round {number}: the saved file differs from a clean run's")
        scenario.search_finds_probe(tally, data, f"index round {number}")
        tally.check(not temporaries(data), f"index round {number}: a completed save left the temporaries "
                    f"{[path.name for path in temporaries(data)]} of killed saves")
        progress(tally, number)
    return tally


# ---------------------------------------------------------------------------------------------
# Embedding


def vector_index_complete(path: Path) -> bool:
    """A vector.index is whole when its header's magic holds and its body is as long as the
    header says (the loader checks the body's checksum as well)."""
    data = path.read_bytes()
    if len(data) < 64 or data[:8] != b"PBVECIDX":
        return False
    return len(data) == 64 + struct.unpack_from("<Q", data, 48)[0]


class EmbedScenario:
    """The 335 papers of the HF papers pages in a store with the model installed."""

    def __init__(self, paperboy: Paperboy, work: Path):
        self.paperboy = paperboy
        self.work = work
        source = work / "embed-source"
        paperboy.timed("import", "--data", source, *sorted(HF_PAGES.glob("*.txt")))
        installed = paperboy.run("model", "install", "--data", source)
        self.error = None if installed.returncode == 0 else (installed.stderr or installed.stdout).strip()[-600:]
        self.source = source
        db = stored_copy(source, work / "scratch")
        self.papers = db.execute("SELECT COUNT(*) FROM papers").fetchone()[0]
        self.probe = db.execute("SELECT id, title FROM papers ORDER BY id LIMIT 1 OFFSET 42").fetchone()
        db.close()
        if self.error is None:
            self.fresh(work / "embed-measure")
            self.seconds = paperboy.timed("embed", "--data", work / "embed-measure")

    def fresh(self, data: Path) -> None:
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir()
        for name in ("paperboy.sqlite", "paperboy.sqlite-wal"):
            if (self.source / name).exists():
                shutil.copyfile(self.source / name, data / name)
        shutil.copytree(self.source / "models", data / "models", copy_function=os.link)

    def check_after_kill(self, tally: Tally, data: Path) -> None:
        db = stored_copy(data, self.work / "scratch")
        with contextlib.closing(db):
            tally.check(integrity_ok(db), "embed killed: integrity_check is not ok")
            vectors, distinct, orphans, malformed = db.execute(
                "SELECT COUNT(*), COUNT(DISTINCT paper_id), SUM(paper_id NOT IN (SELECT id FROM papers)), "
                "SUM(dimension != 384 OR length(vector) != 4 * dimension) FROM paper_vectors").fetchone()
            tally.check(vectors == distinct and not orphans and not malformed,
                        f"embed killed: {vectors} vectors for {distinct} papers, {orphans} orphans, {malformed} malformed")
            tally.check(vectors % VECTOR_PAGE == 0 or vectors == self.papers,
                        f"embed killed: {vectors} vectors stored, not whole pages of {VECTOR_PAGE}")
        index = data / "vector.index"
        if index.exists():
            tally.check(vector_index_complete(index), "embed killed: vector.index in place is torn")

    def check_complete(self, tally: Tally, data: Path, first: subprocess.CompletedProcess, what: str) -> None:
        tally.check("unreadable" not in first.stderr, f"{what}: the rerun found vector.index unreadable: {first.stderr[-300:]}")
        db = stored_copy(data, self.work / "scratch")
        with contextlib.closing(db):
            tally.check(integrity_ok(db), f"{what}: integrity_check is not ok")
            vectors, distinct = db.execute("SELECT COUNT(*), COUNT(DISTINCT paper_id) FROM paper_vectors").fetchone()
            tally.check(vectors == distinct == self.papers, f"{what}: {vectors} vectors for {distinct} of {self.papers} papers")
        again = self.paperboy.run("embed", "--json", "--data", data)
        report = json.loads(again.stdout) if again.returncode == 0 else {}
        tally.check(report.get("embedded") == 0 and report.get("vectors") == self.papers and "rebuild" not in again.stderr,
                    f"{what}: a second embed run said {again.stdout.strip()} {again.stderr[-300:]}")
        result = self.paperboy.run("search", "--data", data, "--mode", "semantic", "--json", "--limit", "5", self.probe[1])
        ids = [paper["id"] for paper in json.loads(result.stdout)] if result.returncode == 0 else []
        tally.check(self.probe[0] in ids, f"{what}: search by meaning for the title of {self.probe[0]} found {ids}")


def crash_embed(scenario: EmbedScenario, paperboy: Paperboy, work: Path, kills: int, rng: random.Random) -> Tally:
    tally = Tally("embed")
    if scenario.error:
        tally.notes["skipped"] = f"the model could not be installed: {scenario.error}"
        log(f"embed: skipped, {tally.notes['skipped']}")
        return tally
    log(f"embed: {scenario.papers} papers, a clean `paperboy embed` takes {scenario.seconds:.1f} s")
    data = work / "embed-data"
    for number, chain in enumerate(rounds(tally, kills, rng), 1):
        scenario.fresh(data)
        for _ in range(chain):
            landed = kill_once(tally, paperboy, ["embed", "--data", data], rng.uniform(0, 1.1 * scenario.seconds))
            scenario.check_after_kill(tally, data)
            if not landed:
                break
        first = complete(tally, paperboy, ["embed", "--data", data], "embed")
        scenario.check_complete(tally, data, first, f"embed round {number}")
        progress(tally, number)
    return tally


# ---------------------------------------------------------------------------------------------
# Outbox


class Sink:
    """An aiosmtpd server on loopback that records the Message-ID of every message it accepts."""

    def __init__(self):
        from aiosmtpd.controller import Controller
        self.received = []
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                sink.received.append(message_id(envelope.original_content or envelope.content))
                return "250 2.0.0 Ok: recorded"

        with socket.socket() as probe:  # a free port: the controller checks it by connecting to it
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, data_size_limit=64 << 20)
        self.controller.start()

    def stop(self):
        self.controller.stop()


def message_id(message: bytes) -> str:
    head = message.split(b"\r\n\r\n", 1)[0].replace(b"\r\n ", b" ")
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"message-id":
            return value.strip().decode()
    return ""


def outbox_rows(data: Path, work: Path) -> tuple:
    """Whether the store passes integrity_check, and each message's key, state and Message-ID."""
    db = stored_copy(data, work / "scratch")
    with contextlib.closing(db):
        ok = integrity_ok(db)
        return ok, [(row[0], row[1], message_id(row[2])) for row in db.execute("SELECT key, state, message FROM outbox")]


def crash_outbox(paperboy: Paperboy, work: Path, kills: int, rng: random.Random, messages: int) -> Tally:
    tally = Tally("outbox")
    tally.notes["duplicates (same Message-ID received again)"] = 0
    sink = Sink()
    try:
        def fill(data: Path) -> None:
            shutil.rmtree(data, ignore_errors=True)
            data.mkdir()
            (data / "paperboy.toml").write_text(f'[mail]\nfrom = "Paperboy <digest@paperboy.example>"\n'
                                                f'smtp_host = "127.0.0.1"\nsmtp_port = {sink.port}\ntls = "none"\n')
            paperboy.timed("bench", "outbox", "--phase", "compose", "--count", messages, "--data", data, "--json")
            sink.received.clear()

        data = work / "outbox-data"
        fill(data)
        seconds = paperboy.timed("outbox", "send", "--data", data)
        log(f"outbox: {messages} digests, a clean `paperboy outbox send` takes {seconds:.2f} s")
        number = 0
        while tally.kills < kills:
            number += 1
            fill(data)
            while tally.kills < kills:
                landed = kill_once(tally, paperboy, ["outbox", "send", "--data", data], rng.uniform(0, 1.1 * seconds))
                ok, rows = outbox_rows(data, work)
                tally.check(ok, "outbox send killed: integrity_check is not ok")
                received = set(sink.received)
                lost = [key for key, state, mid in rows if state == "sent" and mid not in received]
                tally.check(not lost, f"outbox send killed: {len(lost)} messages marked sent were never received: {lost[:3]}")
                if not landed or all(state != "pending" for _, state, _ in rows):
                    break
            for _ in range(3):
                if all(state != "pending" for _, state, _ in outbox_rows(data, work)[1]):
                    break
                complete(tally, paperboy, ["outbox", "send", "--data", data], "outbox send")
            check_outbox_complete(tally, data, work, sink, f"outbox round {number}")
            progress(tally, number)
    finally:
        sink.stop()
    return tally


def check_outbox_complete(tally: Tally, data: Path, work: Path, sink: Sink, what: str) -> None:
    ok, rows = outbox_rows(data, work)
    tally.check(ok, f"{what}: integrity_check is not ok")
    states = {}
    for _, state, _ in rows:
        states[state] = states.get(state, 0) + 1
    tally.check(states == {"sent": len(rows)}, f"{what}: outbox states {states}, expected every message sent")
    counts = {}
    for mid in sink.received:
        counts[mid] = counts.get(mid, 0) + 1
    ids = {mid for _, _, mid in rows}
    tally.check(len(ids) == len(rows) and "" not in ids, f"{what}: the outbox's Message-IDs are not distinct")
    missing = ids - counts.keys()
    tally.check(not missing, f"{what}: {len(missing)} Message-IDs never received: {sorted(missing)[:3]}")
    tally.check(counts.keys() <= ids, f"{what}: the sink received messages the outbox never held")
    duplicates = sum(count - 1 for count in counts.values())
    tally.notes["duplicates (same Message-ID received again)"] += duplicates
    tally.note("messages sent", len(rows))


# ---------------------------------------------------------------------------------------------
# Disk full


@contextlib.contextmanager
def tmpfs(directory: Path, size: str):
    directory.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(directory)], check=True,
                   capture_output=True, text=True)
    try:
        yield directory
    finally:
        subprocess.run(["umount", "-l", str(directory)], capture_output=True)


def grow(directory: Path, size: str) -> None:
    subprocess.run(["mount", "-o", f"remount,size={size}", str(directory)], check=True, capture_output=True)


def names_full_disk(text: str) -> bool:
    lowered = text.lower()
    return any(words in lowered for words in ("no space left", "disk is full", "disk full", "database or disk is full"))


def first_error(text: str) -> str:
    """The first line of a run's standard error that reports an error (progress lines aside)."""
    return next((line for line in text.splitlines() if "rror" in line and "progress" not in line), "")[:300]


def disk_full(paperboy: Paperboy, work: Path, imports: ImportScenario, index: IndexScenario, size: str) -> Tally:
    tally = Tally("disk full")
    started = time.monotonic()
    mount = work / "tmpfs"
    try:
        with tmpfs(mount, size):
            disk_full_import(tally, paperboy, mount, work, imports)
        with tmpfs(mount, "256m"):
            disk_full_index(tally, paperboy, mount, index)
    except subprocess.CalledProcessError as error:
        tally.notes["skipped"] = f"cannot mount a tmpfs: {(error.stderr or '').strip()} (needs root)"
        log(f"disk full: skipped, {tally.notes['skipped']}")
    tally.seconds = time.monotonic() - started
    return tally


def disk_full_import(tally: Tally, paperboy: Paperboy, mount: Path, work: Path, imports: ImportScenario) -> None:
    data = mount / "data"
    batch = 500
    result = paperboy.run(*imports.args(data, batch))
    log(f"disk full: import into a full tmpfs exited {result.returncode}: {first_error(result.stderr)}")
    tally.notes["import on a full disk said"] = first_error(result.stderr)
    tally.check(result.returncode != 0, "disk full: the import did not fail")
    tally.check(names_full_disk(result.stderr), f"disk full: the import's message does not name a full disk: {result.stderr[-400:]}")
    tally.check("Fatal error" not in result.stderr and result.returncode in (1, 2, 3),
                f"disk full: the import crashed rather than failing ({result.returncode})")
    stats = paperboy.run("stats", "--json", "--data", data)
    tally.check(stats.returncode == 0, f"disk full: `paperboy stats` cannot read the store on the full disk: {stats.stderr[-400:]}")
    db = stored_copy(data, work / "scratch")
    with contextlib.closing(db):
        tally.check(integrity_ok(db), "disk full: integrity_check is not ok after the failed import")
        snapshot = len(paper_records(db).keys() & imports.snapshot_ids)
        tally.notes["snapshot papers stored before the disk filled"] = snapshot
        tally.check(snapshot % batch == 0, f"disk full: {snapshot} snapshot papers stored, not whole batches of {batch}")
    grow(mount, "512m")
    complete(tally, paperboy, imports.args(data, batch), "disk full: import after the tmpfs grew")
    imports.check_complete(tally, data, "disk full: import after the tmpfs grew")


def disk_full_index(tally: Tally, paperboy: Paperboy, mount: Path, index: IndexScenario) -> None:
    data = mount / "data"
    index.fresh(data, with_old=True)
    filler = mount / "filler"
    free = shutil.disk_usage(mount).free
    with open(filler, "wb") as f:
        f.truncate(0)
        f.write(b"\0" * max(0, free - (1 << 20)))  # leave 1 MiB, less than the index needs
    result = paperboy.run("index", "--data", data)
    log(f"disk full: `paperboy index` on a full disk exited {result.returncode}: {first_error(result.stderr)}")
    tally.notes["index on a full disk said"] = first_error(result.stderr)
    tally.check(result.returncode != 0, "disk full: `paperboy index` did not fail")
    tally.check(names_full_disk(result.stderr), f"disk full: the index's message does not name a full disk: {result.stderr[-400:]}")
    tally.check(sha256(data / "keyword.index") == sha256(index.old), "disk full: the old keyword.index changed")
    tally.check(not temporaries(data), f"disk full: temporary files left: {temporaries(data)}")
    filler.unlink()
    complete(tally, paperboy, ["index", "--data", data], "disk full: index after space was freed")
    tally.check(sha256(data / "keyword.index") == sha256(index.new), "disk full: the index saved after freeing space differs")
    index.search_finds_probe(tally, data, "disk full: search after the index was saved")


# ---------------------------------------------------------------------------------------------


OPERATIONS = ("import", "harvest", "index", "embed", "outbox", "disk-full")


def summary_table(tallies: list) -> str:
    lines = ["| operation | kills | mid-operation | after it finished | checks passed | checks failed | seconds |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for t in tallies:
        lines.append(f"| {t.name} | {t.kills} | {t.mid} | {t.after} | {t.passed} | {t.failed} | {t.seconds:.0f} |")
    total = Tally("total", kills=sum(t.kills for t in tallies), mid=sum(t.mid for t in tallies),
                  after=sum(t.after for t in tallies), passed=sum(t.passed for t in tallies),
                  failed=sum(t.failed for t in tallies), seconds=sum(t.seconds for t in tallies))
    lines.append(f"| **total** | {total.kills} | {total.mid} | {total.after} | {total.passed} | {total.failed} | {total.seconds:.0f} |")
    for t in tallies:
        for key, value in t.notes.items():
            lines.append(f"- {t.name}: {key}: {value}")
        for failure in t.failures[:10]:
            lines.append(f"- {t.name} FAILED: {failure}")
        if len(t.failures) > 10:
            lines.append(f"- {t.name}: … and {len(t.failures) - 10} more failures")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--paperboy", default=str(ROOT / ".build/release/paperboy"))
    parser.add_argument("--kills", type=int, default=100, help="kills per operation (default 100)")
    parser.add_argument("--embed-kills", type=int, default=40, help="kills of `paperboy embed` (default 40)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--papers", type=int, default=30_000, help="papers in the generated snapshot")
    parser.add_argument("--messages", type=int, default=300, help="digests queued per outbox round")
    parser.add_argument("--harvest-delay", type=float, default=0.15, help="seconds the replay waits before each page")
    parser.add_argument("--tmpfs-size", default="3m", help="size of the full disk for the import")
    parser.add_argument("--only", default=",".join(OPERATIONS), help=f"comma-separated: {', '.join(OPERATIONS)}")
    parser.add_argument("--work", type=Path, help="work directory (default: a new temporary one, removed at the end)")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args()
    chosen = set(args.only.split(","))
    if chosen - set(OPERATIONS):
        parser.error(f"unknown operations: {sorted(chosen - set(OPERATIONS))}")
    binary = str(Path(args.paperboy).resolve())
    rng = random.Random(args.seed)

    work = Path(tempfile.mkdtemp(prefix="paperboy-crash-", dir=args.work))
    paperboy = Paperboy(binary, work)
    tallies = []
    began = time.monotonic()
    try:
        imports = ImportScenario(paperboy, work, args.papers) if chosen & {"import", "index", "disk-full"} else None
        index = IndexScenario(paperboy, work, imports) if chosen & {"index", "disk-full"} else None

        def timed(operation, run):
            if operation in chosen:
                started = time.monotonic()
                tally = run()
                tally.seconds = tally.seconds or time.monotonic() - started
                tallies.append(tally)
                log(f"{tally.name}: done, {tally.kills} kills ({tally.mid} mid-operation), "
                    f"{tally.passed} checks passed, {tally.failed} failed, {tally.seconds:.0f} s")

        timed("import", lambda: crash_import(imports, paperboy, work, args.kills, rng))
        timed("harvest", lambda: crash_harvest(paperboy, work, args.kills, rng, args.harvest_delay))
        timed("index", lambda: crash_index(index, paperboy, work, args.kills, rng))
        timed("embed", lambda: crash_embed(EmbedScenario(paperboy, work), paperboy, work, args.embed_kills, rng))
        timed("outbox", lambda: crash_outbox(paperboy, work, args.kills, rng, args.messages))
        timed("disk-full", lambda: disk_full(paperboy, work, imports, index, args.tmpfs_size))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    failed = sum(t.failed for t in tallies)
    if args.json:
        print(json.dumps({"seed": args.seed, "seconds": round(time.monotonic() - began, 1), "failed": failed,
                          "operations": [{"name": t.name, "kills": t.kills, "mid_operation": t.mid, "after_finish": t.after,
                                          "checks_passed": t.passed, "checks_failed": t.failed,
                                          "seconds": round(t.seconds, 1), "notes": t.notes, "failures": t.failures}
                                         for t in tallies]}, indent=2))
    else:
        print(summary_table(tallies))
        print(f"\nseed {args.seed}, {time.monotonic() - began:.0f} s in all: "
              + ("every check passed." if failed == 0 else f"{failed} checks FAILED."))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
