#!/usr/bin/env python3
"""Drives Paperboy's arXiv-compatible /api/query with the PyPI `arxiv` client.

Usage: arxiv_client_check.py BASE_URL   (needs `pip install arxiv`)
Searches with more results than one page and pages through them (no duplicates, the
same set as one big page), looks papers up by id, and expects an error for a bad id.
"""
import sys

try:
    import arxiv
except ImportError:
    sys.exit("arxiv is missing: pip install arxiv")


def client(base, page_size):
    result = arxiv.Client(page_size=page_size, delay_seconds=0, num_retries=0)
    # The client formats every request from this template.
    result.query_url_format = base + "/api/query?{}"
    return result


def main():
    base = sys.argv[1].rstrip("/")
    search = arxiv.Search(query="cat:hep-ph", max_results=None)
    paged = list(client(base, 5).results(search))
    whole = list(client(base, 1000).results(search))
    ids = [r.get_short_id() for r in paged]
    assert len(ids) > 10, f"only {len(ids)} results"
    assert len(set(ids)) == len(ids), "a paper appeared on two pages"
    assert ids == [r.get_short_id() for r in whole], "paging changed the results"
    for result in paged:
        assert result.title and result.entry_id.startswith("https://arxiv.org/abs/"), result.entry_id
        assert result.primary_category and "hep-ph" in " ".join(result.categories), result.categories
        assert result.authors and result.published and result.pdf_url, result.entry_id

    by_date = list(client(base, 4).results(arxiv.Search(
        query="cat:hep-ph", max_results=12, sort_by=arxiv.SortCriterion.SubmittedDate)))
    dates = [r.published for r in by_date]
    assert dates == sorted(dates, reverse=True), "not newest first"

    words = list(client(base, 10).results(arxiv.Search(query='ti:"graph decompositions" AND au:Streinu')))
    assert words and words[0].get_short_id().startswith("0704.0002"), [r.get_short_id() for r in words]

    looked_up = list(client(base, 10).results(arxiv.Search(id_list=["0704.0001", "0704.0002"])))
    assert [r.get_short_id().split("v")[0] for r in looked_up] == ["0704.0001", "0704.0002"], looked_up
    assert looked_up[0].doi.lower() == "10.1103/physrevd.76.013009" and looked_up[0].journal_ref, looked_up[0]

    try:
        list(client(base, 10).results(arxiv.Search(id_list=["abc"])))
        raise AssertionError("a malformed id gave results")
    except arxiv.HTTPError as error:
        assert error.status == 400, error.status
    print(f"arxiv client ok: {len(ids)} results paged by 5")


if __name__ == "__main__":
    main()
