"""Federal Register API spider through the real Scrapy engine against fixture JSON on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

from tests.crawlers.conftest import documents
from tests.support.http_server import FixtureServer, crawl

SLUG = "us_federal_register"
API_PATH = f"/{SLUG}/www.federalregister.gov/api/v1/documents.json"
FDPR_URL = (
    "https://www.federalregister.gov/documents/2024/12/05/2024-28270/foreign-produced-direct-product-rule-"
    "additions-and-refinements-to-controls-for-advanced-computing-and"
)


def test_first_run_stores_newest_page_with_exact_fields(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["reason"], run["items"], run["new"], run["errors"]) == ("ok", None, 5, 5, 0)
    docs = documents(db_path, SLUG)
    assert len(docs) == 5
    doc = docs[FDPR_URL]
    assert doc["title"] == (
        "Foreign-Produced Direct Product Rule Additions, and Refinements to Controls for Advanced Computing "
        "and Semiconductor Manufacturing Items"
    )
    assert doc["published"] == "2024-12-05T00:00:00-05:00"
    assert doc["language"] == "en"
    assert doc["notice_number"] == "FR Doc 2024-28270"
    assert doc["text"].startswith(
        "In this interim final rule, the Bureau of Industry and Security (BIS) revises"
    )
    assert "high-bandwidth memory (HBM) commodities" in doc["text"]  # from the fetched full text
    assert json.loads(doc["attachments"]) == [
        "https://www.govinfo.gov/content/pkg/FR-2024-12-05/pdf/2024-28270.pdf"
    ]
    # The listing was queried with the agency filter, and every request stayed on the fixture server.
    listing = [r for r in server.requests if r.path == API_PATH][0]
    assert "conditions%5Bagencies%5D%5B%5D=industry-and-security-bureau" in listing.query
    assert "publication_date" not in listing.query.split("fields")[0]


def test_since_paginates_and_second_run_fetches_only_listings(db_path: Path, server: FixtureServer) -> None:
    first = crawl(db_path, server, [SLUG], since="2024-01-01")[SLUG]
    assert (first["status"], first["items"], first["new"]) == ("ok", 6, 6)
    query = [r.query for r in server.requests if r.path == API_PATH][0]
    assert "conditions%5Bpublication_date%5D%5Bgte%5D=2024-01-01" in query
    outbound = documents(db_path)[
        "https://www.federalregister.gov/documents/2024/11/15/2024-25422/provisions-pertaining-to-us-investments-"
        "in-certain-national-security-technologies-and-products-in"
    ]
    assert outbound["published"] == "2024-11-15T00:00:00-05:00"

    server.clear_log()
    second = crawl(db_path, server, [SLUG], since="2024-01-01")[SLUG]
    assert (second["status"], second["items"], second["new"], second["changed"]) == ("ok", 6, 0, 0)
    fetched = [r for r in server.requests if not r.path.endswith("/robots.txt")]
    # Page 1, then the API's own next_page_url (no .json suffix, its opaque cursor kept); no detail page.
    assert [r.path for r in fetched] == [API_PATH, API_PATH.removesuffix(".json")]
    assert "search_after_cursor=WzE3MzMzNzQ4MDAwMDAsIjIwMjQtMjgyNjciXQ%3D%3D" in fetched[1].query
    assert len(documents(db_path)) == 6


def test_changed_listing_entry_refetches_only_that_document(db_path: Path, server: FixtureServer) -> None:
    crawl(db_path, server, [SLUG])
    listing = json.loads((server.root / API_PATH.lstrip("/")).read_text("utf-8"))
    listing["results"][1]["abstract"] += " This rule was corrected on December 9, 2024."
    server.clear_log()
    server.fault(API_PATH, body=json.dumps(listing).encode())
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["new"], run["changed"]) == ("ok", 0, 1)
    details = [p for p in server.paths() if "/full_text/" in p]
    assert details == [f"/{SLUG}/www.federalregister.gov/documents/full_text/html/2025/01/17/2025-00812.html"]


def test_malformed_responses_fail_the_run_with_a_reason_and_keep_documents(
    db_path: Path, server: FixtureServer
) -> None:
    crawl(db_path, server, [SLUG])
    server.fault(API_PATH, body=b'{"count": 3, "results": [{"title": "Additions to')
    invalid = crawl(db_path, server, [SLUG])[SLUG]
    assert invalid["status"] == "failed"
    assert invalid["reason"].startswith(
        "invalid JSON from https://www.federalregister.gov/api/v1/documents.json"
    )

    server.fault(API_PATH, body=json.dumps({"count": 1, "results": [{"title": "No number"}]}).encode())
    missing = crawl(db_path, server, [SLUG])[SLUG]
    assert missing["status"] == "failed"
    assert missing["reason"].startswith(
        "missing field(s) document_number, html_url, publication_date in result"
    )

    server.fault(API_PATH, status=500, body=b"Internal Server Error")
    error = crawl(db_path, server, [SLUG])[SLUG]
    assert error["status"] == "failed"
    assert error["reason"].startswith(
        "listing HTTP 500 from https://www.federalregister.gov/api/v1/documents.json"
    )
    assert len(server.paths(API_PATH)) >= 2 + 1  # the 500 was retried before giving up
    assert len(documents(db_path)) == 5  # nothing stored was lost


def test_failed_full_text_keeps_the_abstract_and_is_fetched_again(
    db_path: Path, server: FixtureServer
) -> None:
    body = f"/{SLUG}/www.federalregister.gov/documents/full_text/html/2024/12/05/2024-28270.html"
    server.fault(body, status=404, body=b"Not Found")
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["new"], run["errors"]) == ("ok", 5, 1)
    assert run["reason"].startswith(
        "1 detail pages failed (first: HTTP 404 from https://www.federalregister.gov/"
    )
    kept = documents(db_path, SLUG)[FDPR_URL]
    assert kept["notice_number"] == "FR Doc 2024-28270"
    assert kept["published"] == "2024-12-05T00:00:00-05:00"
    assert kept["text"].startswith(
        "In this interim final rule, the Bureau of Industry and Security (BIS) revises"
    )
    assert "high-bandwidth memory (HBM) commodities" not in kept["text"]  # the abstract alone

    server.faults.clear()
    server.clear_log()
    again = crawl(db_path, server, [SLUG])[SLUG]
    assert (again["status"], again["new"], again["changed"], again["errors"]) == ("ok", 0, 1, 0)
    assert [p for p in server.paths() if "/full_text/" in p] == [body]  # only the one that failed
    assert "high-bandwidth memory (HBM) commodities" in documents(db_path, SLUG)[FDPR_URL]["text"]


def test_unparseable_date_is_refused_not_stored_undated(db_path: Path, server: FixtureServer) -> None:
    listing = json.loads((server.root / API_PATH.lstrip("/")).read_text("utf-8"))
    fdpr = next(r for r in listing["results"] if r["document_number"] == "2024-28270")
    fdpr["publication_date"] = "yesterday"
    server.fault(API_PATH, body=json.dumps(listing).encode())
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert run["status"] == "failed"
    assert run["reason"] == f"1 documents invalid (first: unparseable date 'yesterday': {FDPR_URL})"
    assert FDPR_URL not in documents(db_path, SLUG)
    assert len(documents(db_path, SLUG)) == 4  # the others are stored
