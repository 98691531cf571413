"""GACC announcements (Chinese) through the real Scrapy engine and the browser path (headless chromium)
against fixture pages on 127.0.0.1. The column's fixture is a JavaScript shell: its links exist only after
the script ran, as on the real site behind its anti-bot challenge."""

from __future__ import annotations

from pathlib import Path

from tests.crawlers.conftest import documents
from tests.crawlers.regions import crawl_with_boilerplate
from tests.support.http_server import FixtureServer, crawl

SLUG = "cn_gacc"
COLUMN = "http://www.customs.gov.cn/customs/302249/302266/302267"


def test_announcements_with_exact_fields(db_path: Path, server: FixtureServer, chromium: None) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["reason"], run["items"], run["new"], run["errors"]) == ("ok", None, 3, 3, 0)
    docs = documents(db_path, SLUG)
    ban = docs[f"{COLUMN}/5302211/index.html"]
    assert ban["title"] == "海关总署公告2023年第103号（关于全面暂停进口日本水产品的公告）"
    assert ban["published"] == "2023-08-24T15:20:00+08:00"
    assert ban["language"] == "zh"
    assert ban["notice_number"] == "海关总署公告2023年第103号"
    assert ban["text"].startswith("鉴于日本政府不顾国际社会强烈质疑和反对")
    # Joint MOFCOM–GACC notices carry MOFCOM's number, the same id as on MOFCOM's own pages.
    assert docs[f"{COLUMN}/5123456/index.html"]["notice_number"] == "商务部公告2023年第23号"


def test_plain_http_sees_only_the_challenge_and_fails(db_path: Path, server: FixtureServer) -> None:
    settings = {"CWATCH_SOURCES": {SLUG: {"browser": False}}}
    run = crawl(db_path, server, [SLUG], settings=settings)[SLUG]
    assert run["status"] == "failed"
    assert run["reason"].startswith(f"zero items extracted from listing {COLUMN}/index.html")
    assert documents(db_path, SLUG) == {}


def test_body_read_only_inside_content_region(tmp_path: Path, chromium: None) -> None:
    """Text and attachments come from `#easysiteText`: menu/footer text and PDF links around it are left out."""
    url = f"{COLUMN}/5302211/index.html"
    doc = crawl_with_boilerplate(tmp_path, SLUG, url.split("://", 1)[1], url)
    assert doc["text"].startswith("鉴于日本政府不顾国际社会强烈质疑和反对")
