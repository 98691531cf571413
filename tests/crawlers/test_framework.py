"""Framework pieces without the engine: run verdicts, Retry-After, feed parsing, the fixture server."""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from crawlers.extensions import judge
from crawlers.feed_parsing import read_feed
from crawlers.localserver import FixtureServer
from crawlers.middlewares import retry_after_seconds
from crawlers.registry import all_sources

BASE = {
    "failures": [],
    "close_reason": "finished",
    "listed": 5,
    "min_items": 2,
    "invalid": [],
    "detail_failures": [],
    "stored": 5,
}


@pytest.mark.parametrize(
    ("changes", "ok", "reason"),
    [
        ({}, True, None),
        ({"failures": ["listing HTTP 500 from X", "other"]}, False, "listing HTTP 500 from X (+1 more)"),
        ({"close_reason": "closespider_timeout"}, False, "timeout: crawl stopped after 30s"),
        ({"listed": 0}, False, "zero items extracted from the listing"),
        ({"listed": 1}, False, "only 1 items listed, fewer than the minimum of 2"),
        ({"invalid": ["missing title: U"]}, False, "1 documents invalid (first: missing title: U)"),
        (
            {"detail_failures": ["HTTP 404 from D"], "stored": 0},
            False,
            "all 1 detail pages failed (first: HTTP 404 from D)",
        ),
        ({"detail_failures": ["HTTP 404 from D"]}, True, "1 detail pages failed (first: HTTP 404 from D)"),
    ],
)
def test_judge(changes: dict, ok: bool, reason: str | None) -> None:
    verdict = judge(**{**BASE, **changes}, timeout_s=30)
    assert (verdict.ok, verdict.reason) == (ok, reason)


def test_retry_after_seconds_and_http_date() -> None:
    assert retry_after_seconds(b"7") == 7.0
    soon = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True).encode()
    assert 80 <= (retry_after_seconds(soon) or 0) <= 90
    assert retry_after_seconds(b"tomorrow-ish") is None
    assert retry_after_seconds(None) is None


def test_parse_feed_reads_rss_and_atom_with_zones() -> None:
    rss = (
        b"<rss><channel><item><title>T</title><link>/a</link><guid>g1</guid>"
        b"<pubDate>Tue, 03 Dec 2024 11:20:00 +0900</pubDate></item></channel></rss>"
    )
    [entry], fault = read_feed(rss, "https://example.org/feed", "UTC")
    assert fault is None
    assert (entry.url, entry.title, entry.date, entry.key) == (
        "https://example.org/a",
        "T",
        "2024-12-03T11:20:00+09:00",
        "g1",
    )
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id><title>A</title>'
        b'<link rel="alternate" href="https://e.org/n"/><updated>2026-03-03T09:30:00Z</updated></entry></feed>'
    )
    [entry], fault = read_feed(atom, "https://e.org/", "Europe/London")
    assert fault is None
    assert (entry.url, entry.date) == ("https://e.org/n", "2026-03-03T09:30:00+00:00")


def test_fixture_server_routes_queries_and_refuses_escapes(tmp_path: Path) -> None:
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "list.json").write_text('{"page": 1}')
    (tmp_path / "api" / "list.2.json").write_text('{"page": 2}')
    (tmp_path / "api" / "_routes.json").write_text(
        '{"list.json": [{"query": {"page": "2"}, "file": "list.2.json"}]}'
    )
    (tmp_path.parent / "secret.txt").write_text("no")
    with FixtureServer(tmp_path) as server:
        assert urllib.request.urlopen(f"{server.url}/api/list.json?x=1").read() == b'{"page": 1}'
        assert urllib.request.urlopen(f"{server.url}/api/list.json?x=1&page=2").read() == b'{"page": 2}'
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(f"{server.url}/%2e%2e/secret.txt")
        assert info.value.code in (403, 404)
        assert server._httpd.request_queue_size >= 512


def test_all_sources_have_complete_metadata() -> None:
    sources = {s.slug: s for s in all_sources()}
    assert {
        "us_federal_register",
        "us_ustr_press",
        "uk_trade_remedies",
        "eu_dg_trade",
        "ca_cbsa_sima",
        "news_feeds",
    } <= set(sources)
    for meta in sources.values():
        assert (
            meta.publisher
            and meta.jurisdiction
            and meta.language
            and meta.kind in {"official", "news", "other"}
        )
        assert meta.timezone and meta.min_items >= 1 and meta.schedule
