"""CBSA SIMA notices from the real layout: measures-in-force index → case pages whose plain tables carry the
notice links and text dates; the dateline first; case number and document code from the file name."""

from __future__ import annotations

import json
from pathlib import Path

from tests.crawlers.conftest import documents
from tests.support.http_server import FixtureServer, crawl

SLUG = "ca_cbsa_sima"
COR = "https://www.cbsa-asfc.gc.ca/sima-lmsi/i-e/cor2018/cor2018-in-eng.html"
AD1379 = "https://www.cbsa-asfc.gc.ca/sima-lmsi/i-e/ad1379/ad1379-i08-fd-eng.html"


def test_sima_notices_with_exact_fields(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["reason"], run["items"], run["new"]) == ("ok", None, 3, 3)
    docs = documents(db_path, SLUG)
    doc = docs[COR]
    assert doc["title"] == (
        "Statement of Reasons—Initiation of investigations into the alleged dumping and "
        "subsidizing of certain corrosion-resistant steel sheet"
    )
    assert doc["published"] == "2018-08-10T00:00:00-04:00"  # the dateline, not the listing's initiation date
    assert doc["notice_number"] == "COR2018 IN"
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
        == "SM2024 NI"
    )


def test_case_table_gives_dates_and_case_numbers(db_path: Path, server: FixtureServer) -> None:
    crawl(db_path, server, [SLUG])
    doc = documents(db_path, SLUG)[AD1379]
    assert doc["notice_number"] == "AD1379 I08 FD"
    assert doc["published"] == "2008-08-18T00:00:00-04:00"
    assert doc["title"] == "Statement of Reasons—Final determination of dumping—Certain fasteners"


def test_without_a_dateline_the_case_table_date_is_used_never_date_modified(
    db_path: Path, server: FixtureServer
) -> None:
    path = f"/{SLUG}/" + AD1379.removeprefix("https://")
    page = (server.root / path.lstrip("/")).read_text("utf-8")
    server.fault(path, body=page.replace("<p>Ottawa, August 18, 2008</p>", "").encode())
    crawl(db_path, server, [SLUG])
    assert documents(db_path, SLUG)[AD1379]["published"] == "2008-08-18T00:00:00-04:00"  # not 2012-03-28
