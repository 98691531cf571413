"""MOFA Japan press releases (Japanese) through the real engine on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

from tests.crawlers.conftest import documents
from tests.crawlers.regions import crawl_with_boilerplate
from tests.support.http_server import FixtureServer, crawl

SLUG = "jp_mofa_press"
SITE = "https://www.mofa.go.jp"
SANCTIONS = f"{SITE}/mofaj/press/release/pressit_000001_05312.html"
STATEMENT = f"{SITE}/mofaj/press/release/press4_010398.html"


def test_releases_dated_from_the_page_in_the_japanese_era(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    # The 記者会見一覧 link sits in the same list but is not a release: the URL pattern leaves it out.
    assert (run["status"], run["reason"], run["items"], run["new"], run["errors"]) == ("ok", None, 2, 2, 0)
    docs = documents(db_path, SLUG)
    sanctions = docs[SANCTIONS]
    assert sanctions["title"] == "ロシア連邦に関連する資産凍結等の措置及び輸出等に関する禁止措置について"
    # The list's day (1月10日) has no year; the page's 令和7年1月10日 is the date.
    assert sanctions["published"] == "2025-01-10T00:00:00+09:00"
    assert sanctions["language"] == "ja"
    assert "11団体、1個人を追加指定する。" in sanctions["text"]
    assert json.loads(sanctions["attachments"]) == [f"{SITE}/mofaj/files/100780123.pdf"]
    assert docs[STATEMENT]["published"] == "2024-12-27T00:00:00+09:00"


def test_body_read_only_inside_content_region(tmp_path: Path) -> None:
    """Text and attachments come from `#maincontents`: menu/footer text and PDF links around it are left out."""
    doc = crawl_with_boilerplate(
        tmp_path, SLUG, "www.mofa.go.jp/mofaj/press/release/pressit_000001_05312.html", SANCTIONS
    )
    assert "11団体、1個人を追加指定する。" in doc["text"]
    assert doc["attachments"] == [f"{SITE}/mofaj/files/100780123.pdf"]
