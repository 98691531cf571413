"""UK ECJU notices to exporters (GOV.UK Atom) through the real engine on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

from tests.crawlers.conftest import documents
from tests.support.http_server import FixtureServer, crawl

SLUG = "uk_ecju"
NOTICE = (
    "https://www.gov.uk/government/publications/"
    "notice-to-exporters-202507-changes-to-the-uk-strategic-export-control-lists"
)


def test_notice_dated_by_first_publication_not_feed_update(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["reason"], run["items"], run["new"], run["errors"]) == ("ok", None, 2, 2, 0)
    notice = documents(db_path, SLUG)[NOTICE]
    # The feed says 2 October (its last edit); the page first appeared on 30 September.
    assert notice["published"] == "2025-09-30T10:00:00+01:00"
    assert notice["notice_number"] == "NTE 2025/07"
    assert notice["text"].startswith("The Export Control (Amendment) Order 2025 updates")
    assert "Open Government Licence" not in notice["text"]
    assert json.loads(notice["attachments"]) == [
        "https://assets.publishing.service.gov.uk/media/ecju-nte-2025-07.pdf"
    ]
