"""MOF Japan news feed (RSS 2.0) and release pages through the real engine on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

from tests.crawlers.conftest import documents
from tests.crawlers.regions import crawl_with_boilerplate
from tests.support.http_server import FixtureServer, crawl

SLUG = "jp_mof"
SITE = "https://www.mof.go.jp/policy/customs_tariff"
INITIATION = f"{SITE}/trade/safeguard/2025/20250328.html"
LAW = f"{SITE}/news/20250331.html"
FEED = f"/{SLUG}/www.mof.go.jp/news.rss"


def test_rss_items_and_release_pages(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["reason"], run["items"], run["new"], run["errors"]) == ("ok", None, 2, 2, 0)
    docs = documents(db_path, SLUG)
    initiation = docs[INITIATION]
    assert (
        initiation["title"] == "中華人民共和国産黒鉛電極に対する不当廉売関税の課税に関する調査の開始について"
    )
    assert initiation["published"] == "2025-03-28T17:00:00+09:00"  # the feed's pubDate, +0900
    assert initiation["language"] == "ja"
    assert initiation["text"].startswith("財務省、経済産業省及び業所管省は、本日、中華人民共和国産黒鉛電極")
    assert "霞が関" not in initiation["text"]  # the footer is outside .unique-block
    assert "令和7年3月28日" not in initiation["text"]  # the dateline sits before the release text
    assert docs[LAW]["published"] == "2025-03-31T18:10:00+09:00"


def test_undated_item_takes_the_page_meta_date(db_path: Path, server: FixtureServer) -> None:
    feed = (server.root / FEED.lstrip("/")).read_text("utf-8")
    undated = feed.replace("<pubDate>Mon, 31 Mar 2025 18:10:00 +0900</pubDate>\n", "")
    server.fault(FEED, body=undated.encode())
    crawl(db_path, server, [SLUG])
    assert documents(db_path, SLUG)[LAW]["published"] == "2025-03-31T00:00:00+09:00"  # meta name=date


def test_page_without_meta_date_is_dated_by_its_era_dateline(db_path: Path, server: FixtureServer) -> None:
    feed = (server.root / FEED.lstrip("/")).read_text("utf-8")
    server.fault(FEED, body=feed.replace("<pubDate>Mon, 31 Mar 2025 18:10:00 +0900</pubDate>\n", "").encode())
    page = f"/{SLUG}/{LAW.removeprefix('https://')}"
    html = (server.root / page.lstrip("/")).read_text("utf-8")
    server.fault(page, body=html.replace('<meta name="date" content="2025-03-31">', "").encode())
    crawl(db_path, server, [SLUG])
    assert documents(db_path, SLUG)[LAW]["published"] == "2025-03-31T00:00:00+09:00"  # 令和7年3月31日


def test_body_read_only_inside_content_region(tmp_path: Path) -> None:
    """Text comes from `.unique-block`: menu/footer text around it is left out."""
    doc = crawl_with_boilerplate(
        tmp_path, SLUG, "www.mof.go.jp/policy/customs_tariff/news/20250331.html", LAW
    )
    assert doc["text"].startswith(
        "関税定率法等の一部を改正する法律が、本日、参議院本会議で可決・成立しました。"
    )
