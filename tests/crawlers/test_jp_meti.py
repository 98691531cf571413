"""METI press releases: the Shift_JIS Japanese page and the English page, on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

from tests.crawlers.conftest import documents
from tests.crawlers.regions import crawl_with_boilerplate
from tests.support.http_server import FixtureServer, crawl

SLUG = "jp_meti"
SITE = "https://www.meti.go.jp"
JA_ORDER = f"{SITE}/press/2025/11/20251111001/20251111001.html"
JA_FISCAL = f"{SITE}/press/2024/03/20250331003/20250331003.html"
EN_SME = f"{SITE}/english/press/2023/0523_001.html"


def shift_jis_served_without_charset(server: FixtureServer) -> None:
    """METI serves bare text/html; the page's <meta> declares Shift_JIS (our server defaults to UTF-8)."""
    root = server.root / SLUG / "www.meti.go.jp" / "press"
    for page in root.rglob("*.html"):
        server.fault(
            f"/{SLUG}/www.meti.go.jp/{page.relative_to(root.parent).as_posix()}",
            headers={"Content-Type": "text/html"},
        )


def test_japanese_and_english_releases_with_exact_fields(db_path: Path, server: FixtureServer) -> None:
    shift_jis_served_without_charset(server)
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["reason"], run["items"], run["new"], run["errors"]) == ("ok", None, 6, 6, 0)
    docs = documents(db_path, SLUG)

    order = docs[JA_ORDER]
    assert order["title"] == "「輸出貿易管理令の一部を改正する政令」が閣議決定されました"
    assert order["published"] == "2025-11-11T00:00:00+09:00"
    assert order["language"] == "ja"
    assert order["text"].startswith("本日、「輸出貿易管理令の一部を改正する政令」が閣議決定されました。")
    assert "令和7年11月14日に公布" in order["text"]
    # Fiscal-year folder (2024) but published 31 March 2025: the date comes from the list, not the path.
    assert docs[JA_FISCAL]["published"] == "2025-03-31T00:00:00+09:00"

    equipment = docs[EN_SME]
    assert equipment["title"] == (
        "Ministerial Ordinance Amending the Goods and Technologies Subject to Export Control Promulgated: "
        "23 Items of Semiconductor Manufacturing Equipment"
    )
    assert equipment["published"] == "2023-05-23T00:00:00+09:00"
    assert equipment["language"] == "en"
    assert equipment["text"].startswith("METI promulgated the Ministerial Ordinance partially amending")


def test_body_read_only_inside_content_region(tmp_path: Path) -> None:
    """Text and attachments come from `#__main_contents`: menu/footer text and PDF links around it are left out."""
    doc = crawl_with_boilerplate(
        tmp_path, SLUG, "www.meti.go.jp/press/2025/11/20251111001/20251111001.html", JA_ORDER
    )
    assert doc["text"].startswith("本日、「輸出貿易管理令の一部を改正する政令」が閣議決定されました。")
    assert doc["attachments"] == []


def test_list_markup_change_still_collects_by_release_address(db_path: Path, server: FixtureServer) -> None:
    shift_jis_served_without_charset(server)
    listing = f"/{SLUG}/www.meti.go.jp/press/index.html"
    html = (server.root / listing.lstrip("/")).read_bytes()
    server.fault(
        listing,
        body=html.replace(b'<dl id="release_menulist">', b'<dl class="news_list">'),
        headers={"Content-Type": "text/html"},
    )
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["new"]) == ("ok", 6)
    assert run["reason"] == (
        "site changed: listing selector 'dl#release_menulist, dl.date_sp' matched nothing on "
        "https://www.meti.go.jp/press/index.html; 3 notices found by URL pattern"
    )
    order = documents(db_path, SLUG)[JA_ORDER]
    assert order["title"] == "「輸出貿易管理令の一部を改正する政令」が閣議決定されました"
    assert order["published"] == "2025-11-11T00:00:00+09:00"  # the page's 令和7年11月11日
