"""India DGTR anti-dumping case pages through the real engine on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

from tests.crawlers.conftest import documents
from tests.crawlers.regions import crawl_with_boilerplate
from tests.support.http_server import FixtureServer, crawl

SLUG = "in_dgtr"
CASES = "https://www.dgtr.gov.in/en/anti-dumping-cases"
TIO2 = f"{CASES}/anti-dumping-investigation-concerning-imports-titanium-dioxide-originating-or"


def test_case_pages_dated_by_initiation_day_first(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["reason"], run["items"], run["new"], run["errors"]) == ("ok", None, 2, 2, 0)
    tio2 = documents(db_path, SLUG)[TIO2]
    assert tio2["title"] == (
        'Anti-dumping investigation concerning imports of "Titanium Dioxide" originating in or exported from China PR'
    )
    # 28/03/2024 is day first; the initiation (earliest event) dates the case.
    assert tio2["published"] == "2024-03-28T00:00:00+05:30"
    assert (
        tio2["notice_number"]
        == "DGTR anti-dumping-investigation-concerning-imports-titanium-dioxide-originating-or"
    )
    assert "Final Findings 26/03/2025" in tio2["text"]
    assert (
        json.loads(tio2["attachments"])[-1]
        == "https://www.dgtr.gov.in/sites/default/files/2025-03/FF_TiO2.pdf"
    )


def test_body_read_only_inside_content_region(tmp_path: Path) -> None:
    """Text and attachments come from `main`: menu/footer text and PDF links around it are left out."""
    doc = crawl_with_boilerplate(
        tmp_path,
        SLUG,
        "www.dgtr.gov.in/en/anti-dumping-cases/anti-dumping-investigation-concerning-imports-titanium-dioxide-originating-or",
        TIO2,
    )
    assert "Final Findings 26/03/2025" in doc["text"]
    assert doc["attachments"][-1] == "https://www.dgtr.gov.in/sites/default/files/2025-03/FF_TiO2.pdf"
