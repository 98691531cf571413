"""US Treasury press releases through the real engine on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

from tests.crawlers.conftest import documents
from tests.crawlers.regions import crawl_with_boilerplate
from tests.support.http_server import FixtureServer, crawl

SLUG = "us_treasury_press"
OUTBOUND = "https://home.treasury.gov/news/press-releases/jy2687"


def test_releases_from_the_drupal_view_with_release_ids(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    # The "Featured Stories" row is not a release: the URL pattern leaves it out.
    assert (run["status"], run["reason"], run["items"], run["new"], run["errors"]) == ("ok", None, 2, 2, 0)
    outbound = documents(db_path, SLUG)[OUTBOUND]
    assert outbound["title"].startswith("Treasury Issues Regulations to Implement Executive Order Addressing")
    assert outbound["published"] == "2024-10-28T12:00:00+00:00"  # the page's time[datetime]
    assert outbound["notice_number"] == "Treasury press release jy2687"
    assert "implementing Executive Order 14105" in outbound["text"]
    again = crawl(db_path, server, [SLUG])[SLUG]
    assert (again["status"], again["items"], again["new"]) == ("ok", 2, 0)


def test_older_row_form_dates_from_the_list(db_path: Path, server: FixtureServer) -> None:
    """The view's earlier form (``div.mm-news-row``, ``.news-title a``, ``time[datetime]``) is read as well."""
    listing = f"/{SLUG}/home.treasury.gov/news/press-releases"
    rows = (
        '<div class="view-content"><div class="mm-news-row"><div class="date-format">'
        '<time datetime="2024-10-28T16:00:00Z">October 28, 2024</time></div>'
        '<div class="news-title"><a href="/news/press-releases/jy2687">Treasury Issues Regulations</a></div></div>'
        '<div class="mm-news-row"><div class="news-title"><a href="/news/press-releases/jy2790">Treasury Targets'
        "</a></div></div></div>"
    )
    server.fault(listing, body=f"<html><body><main>{rows}</main></body></html>".encode())
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["reason"], run["new"]) == ("ok", None, 2)
    assert documents(db_path, SLUG)[OUTBOUND]["published"] == "2024-10-28T16:00:00+00:00"  # the row's


def test_body_read_only_inside_content_region(tmp_path: Path) -> None:
    """Text and attachments come from `.field--name-field-news-body`: menu/footer text and PDF links around it are left out."""
    doc = crawl_with_boilerplate(tmp_path, SLUG, "home.treasury.gov/news/press-releases/jy2687", OUTBOUND)
    assert "implementing Executive Order 14105" in doc["text"]
