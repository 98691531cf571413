"""MOTIE English press releases (KTC decisions) through the real Scrapy engine on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

from tests.crawlers.conftest import documents
from tests.crawlers.regions import crawl_with_boilerplate
from tests.support.http_server import FixtureServer, crawl

SLUG = "kr_motie"
ARTICLE = "https://english.motir.go.kr/eng/article/EATCLdfa319ada/{}/view"
LIST = f"/{SLUG}/english.motir.go.kr/eng/article/EATCLdfa319ada"


def test_press_releases_with_exact_fields(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["reason"], run["items"], run["new"], run["errors"]) == ("ok", None, 3, 3, 0)
    doc = documents(db_path, SLUG)[ARTICLE.format(2331)]
    assert (
        doc["title"]
        == "Korea Trade Commission Decides Final Anti-dumping Duties on Hot-rolled Plate from China"
    )
    assert doc["published"] == "2025-09-01T00:00:00+09:00"
    assert doc["language"] == "en"
    assert doc["text"].startswith("The Korea Trade Commission (KTC) held its 463rd meeting on August 28")
    assert "27.91% to 34.10%" in doc["text"]
    assert json.loads(doc["attachments"]) == ["https://english.motir.go.kr/attach/down/2331a7f3c1e09b"]


def test_board_rows_are_script_links_read_as_article_urls(db_path: Path, server: FixtureServer) -> None:
    """Rows link by ``javascript:article.view('<n>', '2')``; the article requested is ``/<n>/view`` and the
    row's own ``span.date`` (after its ``<i>date</i>`` label) dates it."""
    crawl(db_path, server, [SLUG])
    fetched = sorted(r.path for r in server.requests if r.path.endswith("/view"))
    assert fetched == [f"{LIST}/{n}/view" for n in (2249, 2262, 2331)]
    docs = documents(db_path, SLUG)
    assert docs[ARTICLE.format(2262)]["published"] == "2025-06-27T00:00:00+09:00"
    assert docs[ARTICLE.format(2249)]["title"] == "Exports Rise for the Fourth Consecutive Month in May"


def test_renamed_ministry_board_is_the_one_requested(db_path: Path, server: FixtureServer) -> None:
    crawl(db_path, server, [SLUG])
    listing = [r for r in server.requests if r.path == LIST]
    assert [r.query for r in listing] == ["bbsCdN=2&pageIndex=1"]


def test_old_host_override_fails_loudly_with_the_404(db_path: Path, server: FixtureServer) -> None:
    settings = {"CWATCH_SOURCES": {SLUG: {"host": "english.motie.go.kr"}}}
    run = crawl(db_path, server, [SLUG], settings=settings)[SLUG]
    assert run["status"] == "failed"
    assert run["reason"].startswith("listing HTTP 404 from https://english.motie.go.kr/eng/article/")


def test_unknown_override_fails_the_run_naming_it(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG], settings={"CWATCH_SOURCES": {SLUG: {"hots": "x"}}})[SLUG]
    assert (run["status"], run["reason"]) == ("failed", "unknown override 'hots' for source kr_motie")


def test_board_markup_change_still_collects_by_url_pattern(db_path: Path, server: FixtureServer) -> None:
    page = (server.root / LIST.lstrip("/") / "index.html").read_text("utf-8")
    redesigned = page.replace('<div class="board-list">', '<div class="bbs-list">')
    server.fault(LIST, body=redesigned.encode())
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["new"]) == ("ok", 3)
    assert run["reason"] == (
        "site changed: listing selector '.board-list li' matched nothing on "
        "https://english.motir.go.kr/eng/article/EATCLdfa319ada?bbsCdN=2&pageIndex=1; 3 notices found by URL pattern"
    )
    # Without the listing's date cell the article's own date is used.
    assert documents(db_path, SLUG)[ARTICLE.format(2331)]["published"] == "2025-09-01T00:00:00+09:00"


def test_body_read_only_inside_content_region(tmp_path: Path) -> None:
    """Text and attachments come from `.board-detail`: menu/footer text and PDF links around it are left out."""
    doc = crawl_with_boilerplate(
        tmp_path,
        SLUG,
        "english.motir.go.kr/eng/article/EATCLdfa319ada/2331/view/index.html",
        ARTICLE.format(2331),
    )
    assert doc["text"].startswith("The Korea Trade Commission (KTC) held its 463rd meeting on August 28")
    assert doc["attachments"] == ["https://english.motir.go.kr/attach/down/2331a7f3c1e09b"]


def test_backfill_reads_the_next_board_page_by_page_index(db_path: Path, server: FixtureServer) -> None:
    """Page 1 reaches back only to 1 June 2025: a backfill from January reads page 2 (the pager names it),
    stores its older release, and stops there (page 2's pager names no page 3)."""
    run = crawl(db_path, server, [SLUG], since="2025-01-01")[SLUG]
    assert (run["status"], run["reason"], run["new"]) == ("ok", None, 4)
    listing = [r.query for r in server.requests if r.path == LIST]
    assert listing == ["bbsCdN=2&pageIndex=1", "bbsCdN=2&pageIndex=2"]
    older = documents(db_path, SLUG)[ARTICLE.format(2201)]
    assert older["published"] == "2025-04-24T00:00:00+09:00"
    assert older["text"].startswith("At its 458th meeting on April 24, the Korea Trade Commission decided")


def test_regular_run_reads_only_the_first_board_page(db_path: Path, server: FixtureServer) -> None:
    crawl(db_path, server, [SLUG])
    assert [r.query for r in server.requests if r.path == LIST] == ["bbsCdN=2&pageIndex=1"]
