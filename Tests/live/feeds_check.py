#!/usr/bin/env python3
"""Checks Paperboy's Atom feeds with feedparser against a live server.

Usage: feeds_check.py BASE_URL   (needs `pip install feedparser`)
Every feed must parse cleanly (bozo == 0) and every entry carry a title, a link, an id,
an updated date, authors and a summary.
"""
import sys
import urllib.request

try:
    import feedparser
except ImportError:
    sys.exit("feedparser is missing: pip install feedparser")


def check(url, minimum=1):
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200, f"{url}: HTTP {response.status}"
        assert response.headers["Content-Type"].startswith("application/atom+xml"), response.headers["Content-Type"]
        body = response.read()
    feed = feedparser.parse(body)
    assert feed.bozo == 0, f"{url}: not well-formed: {feed.get('bozo_exception')}"
    assert feed.version == "atom10", f"{url}: version {feed.version}"
    assert feed.feed.get("title"), f"{url}: feed has no title"
    assert len(feed.entries) >= minimum, f"{url}: {len(feed.entries)} entries"
    for entry in feed.entries:
        for key in ("title", "link", "id", "updated", "summary"):
            assert entry.get(key), f"{url}: entry {entry.get('id')} has no {key}"
        assert entry.get("updated_parsed"), f"{url}: entry {entry.id} has an unreadable date"
        assert entry.get("authors") and all(a.get("name") for a in entry.authors), f"{url}: {entry.id} has no authors"
    print(f"ok {url}: {len(feed.entries)} entries")
    return feed


def main():
    base = sys.argv[1].rstrip("/")
    daily = check(f"{base}/feeds/daily.atom")
    check(f"{base}/feeds/category/hep-ph.atom")
    search = check(f"{base}/feeds/search.atom?q=graph")
    dates = [entry.published_parsed for entry in search.entries if entry.get("published_parsed")]
    assert dates == sorted(dates, reverse=True), "search feed is not newest first"
    # A missing query is a 400 with a JSON reason, not a feed.
    try:
        urllib.request.urlopen(f"{base}/feeds/search.atom", timeout=30)
        raise AssertionError("search.atom without q answered 200")
    except urllib.error.HTTPError as error:
        assert error.code == 400, error.code
    print(f"feeds ok ({len(daily.entries)} papers on the latest day)")


if __name__ == "__main__":
    main()
