"""USTR press releases: HTML listing → article, "Month D, YYYY" dates read in Washington time."""

from __future__ import annotations

from pathlib import Path

from tests.crawlers.conftest import documents
from tests.support.http_server import FixtureServer, crawl

SLUG = "us_ustr_press"
S301 = (
    "https://ustr.gov/about-us/policy-offices/press-office/press-releases/2024/december/ustr-initiates-section-"
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
