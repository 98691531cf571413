"""OFAC recent actions through the real engine on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

from tests.crawlers.conftest import documents
from tests.crawlers.regions import crawl_with_boilerplate
from tests.support.http_server import FixtureServer, crawl

SLUG = "us_ofac_recent"
RUSSIA = "https://ofac.treasury.gov/recent-actions/20250110"
CMIC = "https://ofac.treasury.gov/recent-actions/20241203_33"


def test_actions_dated_from_their_address(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    # The Sanctions List Service row is not an action: the URL pattern leaves it out.
    assert (run["status"], run["reason"], run["items"], run["new"], run["errors"]) == ("ok", None, 2, 2, 0)
    docs = documents(db_path, SLUG)
    russia = docs[RUSSIA]
    assert russia["title"].startswith("Issuance of Russia-related Directive 4 under Executive Order 14024")
    assert russia["published"] == "2025-01-10T00:00:00-05:00"
    assert russia["notice_number"] == "OFAC 20250110"
    assert "Gazprom Neft and Surgutneftegas" in russia["text"]
    assert docs[CMIC]["published"] == "2024-12-03T00:00:00-05:00"
    assert docs[CMIC]["notice_number"] == "OFAC 20241203_33"


def test_body_read_only_inside_content_region(tmp_path: Path) -> None:
    """Text and attachments come from `.field--name-body`: menu/footer text and PDF links around it are left out."""
    doc = crawl_with_boilerplate(tmp_path, SLUG, "ofac.treasury.gov/recent-actions/20250110", RUSSIA)
    assert "Gazprom Neft and Surgutneftegas" in doc["text"]
