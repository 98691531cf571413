"""MOF Japan news feed (RDF) and pages through the real engine on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

from tests.crawlers.conftest import documents
from tests.support.http_server import FixtureServer, crawl

SLUG = "jp_mof"
SITE = "https://www.mof.go.jp/policy/customs_tariff"
INITIATION = f"{SITE}/trade/safeguard/2025/20250328.html"
LAW = f"{SITE}/news/20250331.html"


def test_rdf_feed_items_and_pages(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["reason"], run["items"], run["new"], run["errors"]) == ("ok", None, 2, 2, 0)
    docs = documents(db_path, SLUG)
    initiation = docs[INITIATION]
    assert (
        initiation["title"] == "中華人民共和国産黒鉛電極に対する不当廉売関税の課税に関する調査の開始について"
    )
    assert initiation["published"] == "2025-03-28T17:00:00+09:00"  # dc:date of the feed
    assert initiation["language"] == "ja"
    assert "不当廉売関税の課税に関する調査を開始することを決定しました" in initiation["text"]
    assert "霞が関" not in initiation["text"]  # page footer left out by the main-text extraction
    # No dc:date in the feed: the date is read from the page (令和7年3月31日).
    assert docs[LAW]["published"] == "2025-03-31T00:00:00+09:00"
