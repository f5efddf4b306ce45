#!/usr/bin/env python3
"""Sending 10,000 digests: compose them into the outbox, then deliver them to a local SMTP sink.

Starts an aiosmtpd sink (its own process: counts each message's bytes and discards them),
then per run, in a fresh data directory: `paperboy bench outbox --phase compose` (render
~20 KB multipart digests with Mailer's MailMessage, record them in the outbox in batches) and
`paperboy bench outbox --phase deliver` (OutboxSender over one SMTP connection per batch of
100, a commit per message). Then the peer on a copy of the same outbox: Python's smtplib
sending the same recorded bytes to the same sink with the same bookkeeping (one connection
per 100, an UPDATE and commit per message). Each phase is its own process, so its peak RSS
(`/usr/bin/time`) is its own. Prints the medians of RUNS runs as a Markdown table.

    python3 bench/digest_benchmark.py --count 10000 --runs 3
"""
import argparse
import asyncio
import json
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PEER = r'''
import smtplib, sqlite3, sys, time
store, port = sys.argv[1], int(sys.argv[2])
db = sqlite3.connect(store, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=NORMAL")
started = time.monotonic(); sent = 0; size = 0
while True:
    rows = db.execute("SELECT id, sender, recipient, message FROM outbox WHERE state = 'pending' "
                      "ORDER BY next_attempt, id LIMIT 100").fetchall()
    if not rows:
        break
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for id, sender, recipient, message in rows:
            smtp.sendmail(sender, [recipient], message)
            db.execute("UPDATE outbox SET state = 'sent', attempts = attempts + 1, last_result = '250', "
                       "finished_at = ? WHERE id = ? AND state = 'pending'", (time.time(), id))
            sent += 1; size += len(message)
seconds = time.monotonic() - started
print(f'{{"messages": {sent}, "bytes": {size}, "seconds": {seconds}}}')
'''


def sink_main(port_file: str) -> None:
    """The SMTP sink: accepts every message, counts it, keeps nothing."""
    from aiosmtpd.smtp import SMTP

    class Sink:
        count = 0
        size = 0

        async def handle_DATA(self, server, session, envelope):
            Sink.count += 1
            Sink.size += len(envelope.original_content or envelope.content)
            return "250 2.0.0 Ok: discarded"

    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    handler = Sink()
    # 64 MiB data limit so nothing a digest holds is refused; the sink never stores a message.
    server = loop.run_until_complete(loop.create_server(
        lambda: SMTP(handler, hostname="sink.paperboy.test", data_size_limit=64 << 20, loop=loop), host="127.0.0.1", port=0))
    Path(port_file).write_text(str(server.sockets[0].getsockname()[1]))
    loop.add_signal_handler(signal.SIGUSR1, lambda: print(json.dumps({"count": Sink.count, "bytes": Sink.size}), flush=True))
    loop.run_forever()


def timed(command: list[str]) -> tuple[dict, int]:
    """Runs `command` under /usr/bin/time; its last stdout line as JSON, and its peak RSS in bytes."""
    result = subprocess.run(["/usr/bin/time", "-f", "%M"] + command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{command} failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1]), int(result.stderr.strip().splitlines()[-1]) * 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/paperboy-digest-bench"))
    parser.add_argument("--binary", type=Path, help="a paperboy binary to use instead of building the release one")
    parser.add_argument("--sink", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sink:
        sink_main(args.sink)
        return

    if args.binary is None:
        subprocess.run(["swift", "build", "-c", "release", "--product", "paperboy"], cwd=ROOT, check=True)
    binary = str(args.binary or ROOT / ".build/release/paperboy")
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    port_file = args.work / "sink.port"
    sink = subprocess.Popen([sys.executable, __file__, "--sink", str(port_file)], stdout=subprocess.PIPE, text=True)
    try:
        while not port_file.exists() or not port_file.read_text():
            time.sleep(0.05)
        port = port_file.read_text()
        rows = {"compose": [], "deliver": [], "peer": []}
        for run in range(args.runs):
            data = args.work / f"data-{run}"
            compose, compose_rss = timed([binary, "bench", "outbox", "--phase", "compose", "--count", str(args.count),
                                          "--data", str(data), "--json"])
            assert compose["messages"] == args.count, compose
            peer_data = args.work / f"peer-{run}"
            shutil.copytree(data, peer_data)
            deliver, deliver_rss = timed([binary, "bench", "outbox", "--phase", "deliver", "--count", str(args.count),
                                          "--smtp-port", port, "--data", str(data), "--json"])
            assert deliver["messages"] == args.count, deliver
            peer, peer_rss = timed([sys.executable, "-c", PEER, str(peer_data / "paperboy.sqlite"), port])
            assert peer["messages"] == args.count, peer
            for name, report, rss in (("compose", compose, compose_rss), ("deliver", deliver, deliver_rss), ("peer", peer, peer_rss)):
                rows[name].append((report["seconds"], report["bytes"], rss))
                print(f"run {run + 1} {name}: {report['seconds']:.2f} s, {args.count / report['seconds']:,.0f} msg/s, "
                      f"{report['bytes'] / 1e6 / report['seconds']:.1f} MB/s, peak {rss / 2**20:.0f} MiB", file=sys.stderr, flush=True)
            shutil.rmtree(data)
            shutil.rmtree(peer_data)
        sink.send_signal(signal.SIGUSR1)
        received = json.loads(sink.stdout.readline())
        assert received["count"] == 2 * args.count * args.runs, received
    finally:
        sink.kill()

    print(f"| phase | runs | median seconds | messages/s | MB/s | peak RSS (MiB) |")
    print("|---|---:|---:|---:|---:|---:|")
    labels = {"compose": "compose + record (Paperboy)", "deliver": "deliver (Paperboy `OutboxSender`)",
              "peer": "deliver (Python smtplib, same bookkeeping)"}
    medians = {}
    for name, samples in rows.items():
        seconds = statistics.median(s for s, _, _ in samples)
        size = statistics.median(b for _, b, _ in samples)
        rss = statistics.median(r for _, _, r in samples)
        medians[name] = seconds
        print(f"| {labels[name]} | {len(samples)} | {seconds:.2f} | {args.count / seconds:,.0f} | {size / 1e6 / seconds:.1f} | {rss / 2**20:.0f} |")
    print(f"\nPaperboy delivers {medians['peer'] / medians['deliver']:.2f}x as fast as smtplib "
          f"(message size {rows['compose'][0][1] / args.count / 1024:.1f} KiB, sink received {received['count']:,}).")


if __name__ == "__main__":
    main()
