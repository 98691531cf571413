"""Generic RSS/Atom spider driven by crawlers/feeds.yaml: one run, several publishers' sources."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pydantic import ValidationError

from crawlers.spiders.news_feeds import load_feeds
from tests.crawlers.conftest import documents
from tests.support.http_server import FixtureServer, crawl

SLUG = "news_feeds"
GALLIUM = (
    "https://asia.nikkei.com/spotlight/supply-chain/china-bans-exports-of-gallium-germanium-antimony-to-us"
)


def test_feeds_yield_documents_of_each_publisher(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["items"], run["new"], run["pages"]) == ("ok", 5, 5, 3)
    docs = documents(db_path)
    doc = docs[GALLIUM]
    assert doc["source"] == "news_nikkei_asia"
    assert doc["title"] == "China bans exports of gallium, germanium and antimony to US"
    assert doc["published"] == "2024-12-03T11:20:00+09:00"
    assert doc["language"] == "en"
    assert doc["text"].startswith("Beijing's commerce ministry said it would ban shipments of gallium")
    assert "<p>" not in doc["text"]
    assert docs["https://www.gov.uk/government/news/new-export-controls-on-emerging-technologies"][
        "published"
    ] == ("2024-04-01T10:00:00+01:00")
    conn = sqlite3.connect(db_path)
    publishers = dict(conn.execute("SELECT slug, publisher FROM sources WHERE slug LIKE 'news_%'").fetchall())
    assert publishers["news_global_times"] == "Global Times"
    assert {r[0] for r in conn.execute("SELECT DISTINCT source FROM documents")} == {
        "news_nikkei_asia",
        "news_global_times",
        "news_govuk_trade",
    }


def test_one_broken_feed_fails_the_run_but_keeps_the_others(db_path: Path, server: FixtureServer) -> None:
    server.fault(f"/{SLUG}/www.globaltimes.cn/rss/outbrain.xml", body=b"<rss><channel><item><title>cut")
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert run["status"] == "failed"
    assert run["reason"].startswith("malformed feed XML from https://www.globaltimes.cn/rss/outbrain.xml")
    assert run["new"] == 3


def test_feed_file_is_validated(tmp_path: Path) -> None:
    bad = tmp_path / "feeds.yaml"
    bad.write_text(
        "feeds:\n  - id: x\n    publisher: P\n    url: ftp://nope\n    language: english\n    colour: red\n"
    )
    with pytest.raises(ValidationError) as info:
        load_feeds(bad)
    assert {e["loc"][0] for e in info.value.errors()} == {"id", "url", "language", "colour"}
