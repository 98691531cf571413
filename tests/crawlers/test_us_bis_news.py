"""BIS press releases through the real engine on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

from tests.crawlers.conftest import documents
from tests.crawlers.regions import crawl_with_boilerplate
from tests.support.http_server import FixtureServer, crawl

SLUG = "us_bis_news"
RELEASES = "https://www.bis.gov/press-release"
VEU = f"{RELEASES}/department-commerce-closes-export-controls-loophole-foreign-owned-semiconductor-fabs-china"
AI_RULE = f"{RELEASES}/department-commerce-announces-rescission-biden-era-artificial-intelligence-diffusion-rule-strengthens"


def test_releases_by_url_pattern_dated_from_list_or_page(db_path: Path, server: FixtureServer) -> None:
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
    # No date in its list row: the page's article:published_time is used.
    assert docs[AI_RULE]["published"] == "2025-05-13T18:30:00-04:00"


def test_body_read_only_inside_content_region(tmp_path: Path) -> None:
    """Text and attachments come from `main article`: menu/footer text and PDF links around it are left out."""
    doc = crawl_with_boilerplate(tmp_path, SLUG, VEU.removeprefix("https://"), VEU)
    assert "Validated End-User (VEU) authorizations" in doc["text"]
