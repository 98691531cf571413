"""USTR press releases: HTML listing → article, "Month D, YYYY" dates read in Washington time."""

from __future__ import annotations

from pathlib import Path

from tests.crawlers.conftest import documents
from tests.support.http_server import FixtureServer, crawl

SLUG = "us_ustr_press"
S301 = (
    "https://ustr.gov/about/policy-offices/press-office/press-releases/2024/december/ustr-initiates-section-"
    "301-investigation-chinas-acts-policies-and-practices-related-targeting"
)


def test_press_releases_with_exact_fields(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["items"], run["new"]) == ("ok", 3, 3)
    doc = documents(db_path, SLUG)[S301]
    assert doc["title"] == (
        "USTR Initiates Section 301 Investigation on China's Acts, Policies, and Practices "
        "Related to Targeting of the Semiconductor Industry for Dominance"
    )
    assert doc["published"] == "2024-12-23T00:00:00-05:00"
    assert doc["language"] == "en"
    assert doc["text"].startswith(
        "WASHINGTON – The Office of the United States Trade Representative (USTR) today"
    )
    assert "600 17th Street" not in doc["text"]
    mexico = [d for d in documents(db_path, SLUG).values() if "Mexico" in d["title"]][0]
    assert mexico["published"] == "2024-09-12T00:00:00-04:00"  # daylight saving time in September


def test_current_drupal_pager_is_followed_when_backfilling(db_path: Path, server: FixtureServer) -> None:
    crawl(db_path, server, [SLUG], since="2024-01-01")
    listing = f"/{SLUG}/ustr.gov/about/policy-offices/press-office/press-releases"
    assert [(r.path, r.query) for r in server.requests if r.path == listing] == [
        (listing, ""),
        (listing, "page=1"),
    ]


def test_body_selector_gone_falls_back_to_the_page_and_says_so(db_path: Path, server: FixtureServer) -> None:
    path = f"/{SLUG}/" + S301.removeprefix("https://")
    page = (server.root / path.lstrip("/") / "index.html").read_text("utf-8")
    server.fault(path, body=page.replace("field--name-body", "field--name-content").encode())
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["new"]) == ("ok", 3)
    assert run["reason"] == f"site changed: content selector '.field--name-body' matched nothing on {S301}"
    doc = documents(db_path, SLUG)[S301]
    assert "today initiated an investigation under Section 301" in doc["text"]  # trafilatura on the page
    assert "600 17th Street" not in doc["text"]
