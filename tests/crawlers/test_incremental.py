"""A second run over unchanged sources issues only listing requests and stores nothing (the recorded pages
the demo serves)."""

from __future__ import annotations

from pathlib import Path

from crawlers.localserver import FixtureServer
from crawlers.registry import SAMPLES
from tests.support.http_server import crawl

# Listing requests (API page, feeds, news lists) of the western samples; anything else is a detail page.
LISTINGS = {
    "/us_federal_register/www.federalregister.gov/api/v1/documents.json",
    "/uk_trade_remedies/www.gov.uk/government/organisations/trade-remedies-authority.atom",
    "/eu_dg_trade/policy.trade.ec.europa.eu/news_en",
    "/us_ustr_press/ustr.gov/about/policy-offices/press-office/press-releases",
    "/ca_cbsa_sima/www.cbsa-asfc.gc.ca/sima-lmsi/mif-mev/menu-eng.html",
    "/ca_cbsa_sima/www.cbsa-asfc.gc.ca/sima-lmsi/mif-mev/ad1379-eng.html",
    "/ca_cbsa_sima/www.cbsa-asfc.gc.ca/sima-lmsi/mif-mev/cor2-eng.html",
    "/ca_cbsa_sima/www.cbsa-asfc.gc.ca/sima-lmsi/mif-mev/sm-eng.html",
    "/news_feeds/asia.nikkei.com/rss/feed/nar",
    "/news_feeds/www.globaltimes.cn/rss/outbrain.xml",
    "/news_feeds/www.gov.uk/government/organisations/department-for-business-and-trade.atom",
    "/news_feeds/www.taipeitimes.com/xml/index.rss",
}
SLUGS = sorted({path.split("/")[1] for path in LISTINGS})


def test_second_run_requests_only_listings_and_stores_nothing(tmp_path: Path) -> None:
    db_path = tmp_path / "events.db"
    with FixtureServer(SAMPLES) as server:
        first = crawl(db_path, server, SLUGS)
        assert {s: (r["status"], r["new"] > 0) for s, r in first.items()} == {s: ("ok", True) for s in SLUGS}
        assert any(not p.endswith("robots.txt") and p not in LISTINGS for p in server.paths())
        server.clear_log()
        second = crawl(db_path, server, SLUGS)
    assert {s: (r["status"], r["new"], r["changed"]) for s, r in second.items()} == {
        s: ("ok", 0, 0) for s in SLUGS
    }
    assert {s: r["items"] for s, r in second.items()} == {s: r["items"] for s, r in first.items()}
    fetched = sorted(p for p in server.paths() if not p.endswith("/robots.txt"))
    assert fetched == sorted(LISTINGS)
