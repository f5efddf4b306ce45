#!/usr/bin/env python3
"""How fast the server draws the map for the web page: tiles and the paper under the pointer.

Starts `paperboy serve` on a data directory holding a map (`paperboy map`), waits until the
map is loaded (and reports how long loading took, from the server's log), then asks for
the tiles holding 40 papers (the nearest to random places) at every zoom from 0 to 10, each twice: the first is drawn, the
second comes from the tile cache. Also times `/api/v1/map/near` (the pointer's tooltip) at
random places with the radius the page uses (8 pixels at that zoom). One request at a time,
over one kept-alive connection; medians and 95th percentiles in milliseconds.

    python3 bench/map_tiles_benchmark.py --paperboy .build/release/paperboy --data /tmp/paperboy-load-1m \
        --out bench/results/map-tiles.md
"""

import argparse
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed_get(connection, path):
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    return response.status, body, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--paperboy", default=".build/release/paperboy")
    parser.add_argument("--data", required=True)
    parser.add_argument("--tiles", type=int, default=40, help="places per zoom level")
    parser.add_argument("--points", type=int, default=400, help="pointer places for /near")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out")
    args = parser.parse_args()

    server = subprocess.Popen([args.paperboy, "serve", "--data", args.data, "--port", "0", "--page-cache", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        match = re.search(r"http://([\d.]+):(\d+)", line)
        if not match:
            sys.exit(f"the server did not start: {line}{server.stderr.read()}")
        host, port = match.group(1), int(match.group(2))
        connection = http.client.HTTPConnection(host, port, timeout=120)
        deadline = time.time() + 300
        while True:
            status, body, _ = timed_get(connection, "/api/v1/map")
            if status == 200:
                info = json.loads(body)
                break
            if time.time() > deadline:
                sys.exit("the map did not load within 300 s")
            time.sleep(0.2)
        rss_mib = int(open(f"/proc/{server.pid}/status").read().split("VmRSS:")[1].split()[0]) / 1024

        rng = random.Random(args.seed)
        # Places where papers are (the paper nearest a random point), as a reader looks
        # where the map has something: most of a sparse map's deep tiles are empty.
        papers = []
        while len(papers) < args.tiles:
            _, body, _ = timed_get(connection, f"/api/v1/map/near?x={rng.random():.6f}&y={rng.random():.6f}&r=0.1")
            found = json.loads(body)["paper"]
            if found:
                papers.append((found["x"], found["y"]))
        rows = []
        for zoom in range(0, 11):
            count = 1 << zoom
            places = {(min(count - 1, int(x * count)), min(count - 1, int(y * count))) for x, y in papers}
            drawn, cached, sizes = [], [], []
            for x, y in sorted(places):
                path = f"/map/tiles/{info['version']}/{zoom}/{x}/{y}"
                status, body, first = timed_get(connection, path)
                assert status == 200, (path, status)
                status, _, second = timed_get(connection, path)
                drawn.append(first)
                cached.append(second)
                sizes.append(len(body))
            rows.append((zoom, len(places), statistics.median(drawn), percentile(drawn, 0.95),
                         statistics.median(cached), statistics.median(sizes) / 1024))
            print(f"zoom {zoom:2d}: {len(places):3d} tiles, drawn median {rows[-1][2]:.1f} ms, p95 {rows[-1][3]:.1f} ms, "
                  f"cached {rows[-1][4]:.2f} ms, {rows[-1][5]:.1f} KiB", flush=True)

        near = []
        for _ in range(args.points):
            zoom = 2 ** rng.uniform(0, 10)
            radius = min(0.1, 8 / (640 * zoom))
            status, _, elapsed = timed_get(connection, f"/api/v1/map/near?x={rng.random():.6f}&y={rng.random():.6f}&r={radius:.8f}")
            assert status == 200
            near.append(elapsed)
        print(f"near: median {statistics.median(near):.2f} ms, p95 {percentile(near, 0.95):.2f} ms", flush=True)
    finally:
        server.terminate()
        try:
            _, errors = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            _, errors = server.communicate()
    loaded = re.search(r"papers=(\d+) seconds=([\d.]+).*map loaded", errors or "")
    load_line = f"map of {int(loaded.group(1)):,} papers loaded in {loaded.group(2)} s" if loaded else "map load time not in the log"
    print(load_line)

    if args.out:
        lines = [
            "# Map tiles and pointer lookups",
            "",
            f"`python3 bench/map_tiles_benchmark.py --paperboy {args.paperboy} --data {args.data} --tiles {args.tiles} --points {args.points}`",
            "",
            f"{info['papers']:,} papers, {len(info['topics'])} topics; {load_line} (with its grid and id order); "
            f"server RSS {rss_mib:,.0f} MiB after loading. One request at a time over one connection.",
            "",
            "| zoom | tiles | drawn: median ms | drawn: p95 ms | from cache: median ms | median size KiB |",
            "|---|---|---|---|---|---|",
        ]
        lines += [f"| {z} | {n} | {m:.1f} | {p:.1f} | {c:.2f} | {s:.1f} |" for z, n, m, p, c, s in rows]
        lines += ["", f"`/api/v1/map/near` at {args.points} random places and zooms: median {statistics.median(near):.2f} ms, "
                      f"p95 {percentile(near, 0.95):.2f} ms.", ""]
        os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
        with open(args.out, "w") as out:
            out.write("\n".join(lines))


if __name__ == "__main__":
    main()
