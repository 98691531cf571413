"""Generic feed spider driven by crawlers/feeds.yaml: one run, several publishers' sources; RSS 2.0, Atom and
RSS 1.0 (RDF) feeds in the shapes their publishers serve."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pydantic import ValidationError

from crawlers.feed_list import load_feeds
from tests.crawlers.conftest import documents
from tests.support.http_server import FIXTURES, FixtureServer, crawl

SLUG = "news_feeds"
GALLIUM = (
    "https://asia.nikkei.com/spotlight/supply-chain/china-bans-exports-of-gallium-germanium-antimony-to-us"
)
NIKKEI_FEED = f"/{SLUG}/asia.nikkei.com/rss/feed/nar"
TAIPEI_FEED = f"/{SLUG}/www.taipeitimes.com/xml/index.rss"
UEL_STORY = "https://www.taipeitimes.com/News/front/archives/2025/04/05/2003834650"
TUNGSTEN_STORY = "https://www.taipeitimes.com/News/biz/archives/2025/02/05/2003831547"


def test_feeds_yield_documents_of_each_publisher(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["reason"], run["items"], run["new"], run["errors"]) == ("ok", None, 7, 7, 0)
    docs = documents(db_path)
    doc = docs[GALLIUM]
    assert doc["source"] == "news_nikkei_asia"
    assert doc["title"] == "China bans exports of gallium, germanium and antimony to US"
    assert doc["published"] == "2024-12-03T11:20:00+09:00"
    assert doc["language"] == "en"
    assert "Beijing's commerce ministry said it would ban shipments of gallium" in doc["text"]
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
        "news_taipei_times",
    }


def test_rss1_feed_is_dated_by_dc_date(db_path: Path, server: FixtureServer) -> None:
    """Taipei Times serves RSS 1.0: rdf:RDF root, items beside channel in the RSS 1.0 namespace, CDATA titles,
    empty descriptions, dc:date with an offset. The date is the feed's; the empty description sends the
    spider to the page for the text."""
    crawl(db_path, server, [SLUG])
    docs = documents(db_path, "news_taipei_times")
    assert sorted(docs) == [TUNGSTEN_STORY, UEL_STORY]
    story = docs[UEL_STORY]
    assert story["title"] == "Beijing adds Taiwan-linked US firms to its unreliable entity list"
    assert story["published"] == "2025-04-05T08:00:00+08:00"
    assert "added 11 US companies to its unreliable entity list" in story["text"]
    assert docs[TUNGSTEN_STORY]["published"] == "2025-02-05T08:00:00+08:00"
    assert server.paths(f"/{SLUG}/www.taipeitimes.com/News/front/archives/2025/04/05/") != []


def test_rdf_feed_without_dates_is_dated_from_each_page(db_path: Path, server: FixtureServer) -> None:
    """Nikkei Asia's RDF items carry a title and a link only (no dc:date, no description): each page is
    fetched and dated by its <meta name="date">."""
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert run["status"] == "ok"
    docs = documents(db_path, "news_nikkei_asia")
    chips = docs[
        "https://asia.nikkei.com/business/tech/semiconductors/japan-adds-23-chipmaking-tools-to-export-control-list"
    ]
    assert chips["published"] == "2023-05-23T18:05:00+09:00"
    assert "export licences for 23 types of advanced semiconductor manufacturing equipment" in chips["text"]
    nikkei = [p for p in server.paths(f"/{SLUG}/asia.nikkei.com/") if not p.endswith("/robots.txt")]
    assert len(nikkei) == 3  # the feed and its two pages

    server.clear_log()
    again = crawl(db_path, server, [SLUG])[SLUG]  # unchanged items: only the feed is read again
    assert (again["status"], again["new"], again["changed"]) == ("ok", 0, 0)
    assert [p for p in server.paths(f"/{SLUG}/asia.nikkei.com/") if not p.endswith("/robots.txt")] == [
        NIKKEI_FEED
    ]


def test_cut_rdf_feed_fails_in_one_line_and_keeps_what_came_before(
    db_path: Path, server: FixtureServer
) -> None:
    body = (FIXTURES / SLUG / "www.taipeitimes.com/xml/index.rss").read_bytes()
    server.fault(TAIPEI_FEED, body=body[: body.index(b"China curbs") + 20])
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert run["status"] == "failed"
    reason = run["reason"]
    assert reason.startswith("malformed feed XML: ") and "\n" not in reason
    assert reason.endswith(
        "— feed news_taipei_times at https://www.taipeitimes.com/xml/index.rss; 1 entries before the fault kept"
    )
    assert sorted(documents(db_path, "news_taipei_times")) == [UEL_STORY]  # the complete item is stored
    assert len({d["source"] for d in documents(db_path).values()}) == 4  # the other feeds as usual

    server.faults.clear()
    fixed = crawl(db_path, server, [SLUG])[SLUG]  # the feed repaired: the item it lost arrives
    assert (fixed["status"], fixed["new"]) == ("ok", 1)
    assert TUNGSTEN_STORY in documents(db_path, "news_taipei_times")


def test_a_page_served_instead_of_the_feed_is_named(db_path: Path, server: FixtureServer) -> None:
    server.fault(NIKKEI_FEED, body=b"<!DOCTYPE html><html><body><p>Please enable cookies</p></body></html>")
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert run["status"] == "failed"
    assert run["reason"] == (
        "not an RSS, RDF or Atom feed (root element <html>) — feed news_nikkei_asia at "
        "https://asia.nikkei.com/rss/feed/nar"
    )


def test_one_broken_feed_fails_the_run_but_keeps_the_others(db_path: Path, server: FixtureServer) -> None:
    server.fault(f"/{SLUG}/www.globaltimes.cn/rss/outbrain.xml", body=b"<rss><channel><item><title>cut")
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert run["status"] == "failed"
    assert run["reason"].startswith("malformed feed XML: Premature end of data")
    assert run["reason"].endswith("— feed news_global_times at https://www.globaltimes.cn/rss/outbrain.xml")
    assert run["new"] == 5


def test_feed_file_is_validated(tmp_path: Path) -> None:
    bad = tmp_path / "feeds.yaml"
    bad.write_text(
        "feeds:\n  - id: x\n    publisher: P\n    url: ftp://nope\n    language: english\n    colour: red\n"
    )
    with pytest.raises(ValidationError) as info:
        load_feeds(bad)
    assert {e["loc"][0] for e in info.value.errors()} == {"id", "url", "language", "colour"}
