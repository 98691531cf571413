"""UK OFSI notices (GOV.UK Atom) through the real engine on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

from tests.crawlers.conftest import documents
from tests.support.http_server import FixtureServer, crawl

SLUG = "uk_ofsi"
NOTICE = "https://www.gov.uk/government/publications/financial-sanctions-notice-russia-20-may-2025"


def test_sanctions_notice_from_feed_and_page(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["reason"], run["items"], run["new"], run["errors"]) == ("ok", None, 2, 2, 0)
    notice = documents(db_path, SLUG)[NOTICE]
    assert notice["title"] == "Financial sanctions notice: Russia (20 May 2025)"
    assert notice["published"] == "2025-05-20T16:45:00+01:00"  # first publication, not the feed's 21 May
    assert notice["notice_number"] is None
    assert "added 100 entries to the Consolidated List" in notice["text"]
