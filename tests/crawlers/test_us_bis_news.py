"""BIS press releases through the real engine on 127.0.0.1."""

from __future__ import annotations

import re
from pathlib import Path

from tests.crawlers.conftest import documents
from tests.crawlers.regions import crawl_with_boilerplate
from tests.support.http_server import FixtureServer, crawl

SLUG = "us_bis_news"
RELEASES = "https://www.bis.gov/press-release"
VEU = f"{RELEASES}/department-commerce-closes-export-controls-loophole-foreign-owned-semiconductor-fabs-china"
AI_RULE = f"{RELEASES}/department-commerce-announces-rescission-biden-era-artificial-intelligence-diffusion-rule-strengthens"


def test_release_rows_dated_from_page_or_row(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["reason"], run["items"], run["new"], run["errors"]) == ("ok", None, 2, 2, 0)
    docs = documents(db_path, SLUG)
    veu = docs[VEU]
    assert (
        veu["title"]
        == "Department of Commerce Closes Export Controls Loophole for Foreign-Owned Semiconductor Fabs in China"
    )
    assert veu["published"] == "2025-08-29T12:00:00-04:00"
    assert "Validated End-User (VEU) authorizations" in veu["text"]
    # The page's article:published_time carries the time the row's "May 13, 2025" lacks.
    assert docs[AI_RULE]["published"] == "2025-05-13T18:30:00-04:00"
    assert docs[AI_RULE]["title"].startswith("Department of Commerce Announces Rescission of Biden-Era")


def test_page_without_a_stamp_takes_the_row_day(db_path: Path, server: FixtureServer) -> None:
    page = f"/{SLUG}/{AI_RULE.removeprefix('https://')}"
    html = (server.root / page.lstrip("/")).read_text("utf-8")
    server.fault(page, body=html.replace('property="article:published_time"', 'property="og:type"').encode())
    crawl(db_path, server, [SLUG])
    assert documents(db_path, SLUG)[AI_RULE]["published"] == "2025-05-13T00:00:00-04:00"  # span.date


def test_row_markup_change_still_collects_by_url_pattern(db_path: Path, server: FixtureServer) -> None:
    listing = f"/{SLUG}/www.bis.gov/news-updates"
    html = (server.root / listing.lstrip("/")).read_text("utf-8")
    server.fault(listing, body=html.replace("data-date=", "data-published=").encode())
    page = f"/{SLUG}/{VEU.removeprefix('https://')}"
    untitled = (
        (server.root / page.lstrip("/")).read_text("utf-8").replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    )
    server.fault(page, body=untitled.encode())
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["new"]) == ("ok", 2)
    assert run["reason"] == (
        "site changed: listing selector 'li[data-date]' matched nothing on https://www.bis.gov/news-updates; "
        "2 notices found by URL pattern"
    )
    # A page without its h1 is titled by the link's h3, not the link's whole text (which starts with the date).
    assert documents(db_path, SLUG)[VEU]["title"] == (
        "Department of Commerce Closes Export Controls Loophole for Foreign-Owned Semiconductor Fabs in China"
    )


def test_body_read_only_inside_content_region(tmp_path: Path) -> None:
    """Text and attachments come from `main article`: menu/footer text and PDF links around it are left out."""
    doc = crawl_with_boilerplate(tmp_path, SLUG, VEU.removeprefix("https://"), VEU)
    assert "Validated End-User (VEU) authorizations" in doc["text"]


def test_document_with_no_date_anywhere_is_stored_and_reported(db_path: Path, server: FixtureServer) -> None:
    """Neither the row nor the page gives a date: the release is kept (undated) and the run says so."""
    listing = f"/{SLUG}/www.bis.gov/news-updates"
    html = (server.root / listing.lstrip("/")).read_text("utf-8")
    server.fault(listing, body=html.replace("data-date=", "data-published=").encode())
    page = f"/{SLUG}/{AI_RULE.removeprefix('https://')}"
    undated = re.sub(
        r"<time[^>]*>.*?</time>|<meta[^>]*(?:published_time|name=\"date\")[^>]*>|"
        r"(?:January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}",
        "",
        (server.root / page.lstrip("/")).read_text("utf-8"),
        flags=re.S,
    )
    server.fault(page, body=undated.encode())
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["new"]) == ("ok", 2)
    assert documents(db_path, SLUG)[AI_RULE]["published"] is None
    assert f"documents stored without a publication date (first: {AI_RULE})" in run["reason"]
