"""CBSA SIMA notices: the dateline ("Ottawa, August 10, 2018") first; notice number from the file name."""

from __future__ import annotations

import json
from pathlib import Path

from tests.crawlers.conftest import documents
from tests.support.http_server import FixtureServer, crawl

SLUG = "ca_cbsa_sima"
COR = "https://www.cbsa-asfc.gc.ca/sima-lmsi/i-e/cor2018/cor2018-in-eng.html"


def test_sima_notices_with_exact_fields(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["items"], run["new"]) == ("ok", 2, 2)
    docs = documents(db_path, SLUG)
    doc = docs[COR]
    assert doc["title"] == (
        "Statement of Reasons—Initiation of investigations into the alleged dumping and "
        "subsidizing of certain corrosion-resistant steel sheet"
    )
    assert doc["published"] == "2018-08-10T00:00:00-04:00"  # the dateline, not the listing's initiation date
    assert doc["notice_number"] == "COR 2018 IN"
    assert doc["language"] == "en"
    assert doc["text"].startswith(
        "Ottawa, August 10, 2018\n1. On July 26, 2018, pursuant to subsection 31(1)"
    )
    assert "Date modified" not in doc["text"]
    assert json.loads(doc["attachments"]) == [
        "https://www.cbsa-asfc.gc.ca/sima-lmsi/i-e/cor2018/cor2018-in-eng.pdf"
    ]
    assert doc["text"].endswith(
        "originating in or exported from China, Chinese Taipei, India and Korea.\nOttawa, August 10, 2018"
    )
    assert (
        docs["https://www.cbsa-asfc.gc.ca/sima-lmsi/er-rre/sm2024/sm2024-ni-eng.html"]["notice_number"]
        == "SM 2024 NI"
    )
