"""TRA gov.uk Atom feed → notice pages, through the real engine against fixtures on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

from tests.crawlers.conftest import documents
from tests.support.http_server import FixtureServer, crawl

SLUG = "uk_trade_remedies"
NOTICE = (
    "https://www.gov.uk/government/publications/trade-remedies-notice-2026-14-registration-of-imports-of-"
    "rutile-titanium-dioxide"
)
EXTRUSIONS = (
    "https://www.gov.uk/government/news/tra-recommends-extending-measures-on-chinese-aluminium-extrusions"
)


def test_feed_entries_become_documents_with_exact_fields(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["items"], run["new"], run["pages"]) == ("ok", 3, 3, 5)  # feed, 3 pages, 1 PDF
    docs = documents(db_path, SLUG)
    notice = docs[NOTICE]
    assert notice["title"] == (
        "Trade Remedies Notice 2026/14: registration of imports of rutile titanium dioxide "
        "originating from China"
    )
    assert notice["published"] == "2026-07-14T11:00:00+01:00"
    assert notice["language"] == "en"
    assert notice["text"].startswith(
        "This notice informs interested parties that imports of rutile titanium dioxide originating in the "
        "People's Republic of China will be registered"
    )
    assert json.loads(notice["attachments"]) == [
        "https://assets.publishing.service.gov.uk/media/tra-notice-2026-14.pdf"
    ]
    # The PDF's text (pypdf) follows the page text.
    assert notice["text"].endswith(
        "Commodity codes 3206 11 00 and 3206 19 00. Registration starts on 15 July 2026."
    )
    # First publication (page meta), not the feed's later <updated>.
    assert docs[EXTRUSIONS]["published"] == "2026-02-10T14:00:00+00:00"
    assert "GOV.UK" not in docs[EXTRUSIONS]["text"]  # header and footer are not main text


def test_second_run_fetches_only_the_feed(db_path: Path, server: FixtureServer) -> None:
    crawl(db_path, server, [SLUG])
    server.clear_log()
    again = crawl(db_path, server, [SLUG])[SLUG]
    assert (again["status"], again["items"], again["new"], again["changed"]) == ("ok", 3, 0, 0)
    assert [p for p in server.paths() if not p.endswith("robots.txt")] == [
        f"/{SLUG}/www.gov.uk/government/organisations/trade-remedies-authority.atom"
    ]
