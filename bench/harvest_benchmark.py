#!/usr/bin/env python3
"""A full replayed harvest: `paperboy harvest` against the real recorded three-page arXiv
OAI-PMH harvest (2,265 records, `../shared/fixtures/arxiv-oai-pmh`) served from loopback,
then `paperboy index` (the keyword index), then, once, `paperboy embed` (the vectors).

    python3 bench/harvest_benchmark.py --paperboy .build/release/paperboy --repeat 3

Each repeat starts from an empty data directory. Reports the median seconds and papers/s
of the harvest alone, of harvest plus indexing, and of embedding separately (it needs the
model: `paperboy model install`).
"""
import argparse
import http.server
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent.parent / "shared" / "fixtures" / "arxiv-oai-pmh"
PAGES = {
    ("from", "2023-03-07"): "oai_dc_ListRecords_data_0.xml",
    ("resumptionToken", "6511260|1001"): "oai_dc_ListRecords_data_1.xml",
    ("resumptionToken", "6511260|2001"): "oai_dc_ListRecords_data_2.xml",
}


class Replay(http.server.BaseHTTPRequestHandler):
    """The recorded pages, each answered after `delay` seconds; `requests` records the page
    key of every request (None for one that names no page)."""
    delay = 0.0
    requests: list = []

    def do_GET(self):
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(self.path).query))
        key = next((key for key in PAGES if query.get(key[0]) == key[1]), None)
        Replay.requests.append(key)
        if key is None:
            self.send_error(404)
            return
        time.sleep(Replay.delay)
        body = (FIXTURES / PAGES[key]).read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/xml;charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def timed(cmd):
    began = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - began


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--paperboy", default=".build/release/paperboy")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--no-embed", action="store_true")
    a = p.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Replay)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/oai2"
    papers = 2265
    harvest, index, embed = [], [], None
    for run in range(a.repeat):
        with tempfile.TemporaryDirectory() as data:
            harvest.append(timed([a.paperboy, "harvest", "--data", data, "--oai-url", url,
                                  "--metadata-prefix", "oai_dc", "--from", "2023-03-07"]))
            index.append(timed([a.paperboy, "index", "--data", data]))
            if run == 0 and not a.no_embed:
                embed = timed([a.paperboy, "embed", "--data", data])
    server.shutdown()
    h, i = statistics.median(harvest), statistics.median(index)
    both = statistics.median(x + y for x, y in zip(harvest, index))
    print(f"harvest: median {h:.2f} s, {papers / h:,.0f} papers/s (runs: {', '.join(f'{x:.2f}' for x in harvest)})")
    print(f"index: median {i:.2f} s (runs: {', '.join(f'{x:.2f}' for x in index)})")
    print(f"harvest + index: median {both:.2f} s, {papers / both:,.0f} papers/s")
    if embed is not None:
        print(f"embed (once): {embed:.1f} s, {papers / embed:,.1f} papers/s")


if __name__ == "__main__":
    main()
