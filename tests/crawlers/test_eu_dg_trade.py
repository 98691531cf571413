"""DG TRADE news list (Europa Component Library markup) → articles."""

from __future__ import annotations

import json
from pathlib import Path

from tests.crawlers.conftest import documents
from tests.support.http_server import FixtureServer, crawl

SLUG = "eu_dg_trade"
KEGS = "https://policy.trade.ec.europa.eu/news/eu-acts-against-dumped-kegs-china-2024-10-04_en"


def test_listing_to_articles_with_exact_fields(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["items"], run["new"], run["errors"]) == ("ok", 4, 4, 0)
    doc = documents(db_path, SLUG)[KEGS]
    assert doc["title"] == "EU acts against dumped kegs from China"
    assert doc["published"] == "2024-10-04T12:00:00+00:00"
    assert doc["language"] == "en"
    assert doc["text"].startswith(
        "The European Commission has imposed definitive anti-dumping duties ranging from 62.6% to 69.6%"
    )
    assert "European Commission - Trade" not in doc["text"]
    assert json.loads(doc["attachments"]) == [
        "https://policy.trade.ec.europa.eu/document/download/notice-2024-10-04.pdf"
    ]
    # Without --since only the first listing page is read.
    assert not any("page=" in r.query for r in server.requests)


def test_too_few_items_fails_the_run(db_path: Path, server: FixtureServer) -> None:
    listing = server.root / SLUG / "policy.trade.ec.europa.eu/news_en/index.html"
    html = listing.read_text("utf-8")
    first_two = html.split("</article>")[:2]
    server.fault(
        f"/{SLUG}/policy.trade.ec.europa.eu/news_en",
        body=("</article>".join(first_two) + "</article></div></main></body></html>").encode(),
    )
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert run["status"] == "failed"
    assert run["reason"] == "only 2 items listed, fewer than the minimum of 3"
    assert run["new"] == 2  # what was found is still stored


def test_card_markup_change_still_collects_by_article_address(db_path: Path, server: FixtureServer) -> None:
    listing = f"/{SLUG}/policy.trade.ec.europa.eu/news_en"
    html = (server.root / listing.lstrip("/") / "index.html").read_text("utf-8")
    server.fault(listing, body=html.replace("ecl-content-item", "ecl-card").encode())
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert run["status"] == "ok"
    assert run["reason"].startswith(
        "site changed: listing selector 'article.ecl-content-item' matched nothing"
    )
    assert run["new"] >= 3
