"""Faults on the local server: each run completes, the failure is recorded with its reason, and a healthy
source crawled in the same process is unaffected. Bounded: 1-3 s timeouts, one retry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.crawlers.conftest import documents
from tests.support.http_server import Fault, FixtureServer, crawl

HEALTHY = "ca_cbsa_sima"
FR = "us_federal_register"
FR_API = f"/{FR}/www.federalregister.gov/api/v1/documents.json"
UK_FEED = "/uk_trade_remedies/www.gov.uk/government/organisations/trade-remedies-authority.atom"
EU_LIST = "/eu_dg_trade/policy.trade.ec.europa.eu/news_en"
ZH = "zh_fault_listing"
ZH_LIST = f"/{ZH}/www.example.gov.cn/gg/index.html"


def crawl_with_healthy(db_path: Path, server: FixtureServer, slug: str, **kwargs: Any) -> dict[str, Any]:
    runs = crawl(db_path, server, [slug, HEALTHY], spider_modules=["tests.crawlers.spiders"], **kwargs)
    assert (runs[HEALTHY]["status"], runs[HEALTHY]["new"]) == ("ok", 3), "a failing source disturbed another"
    return runs[slug]


@pytest.mark.parametrize(
    ("slug", "path", "fault", "settings", "reason"),
    [
        (
            FR,
            FR_API,
            Fault(status=500, body=b"oops"),
            {},
            "listing HTTP 500 from https://www.federalregister.gov/",
        ),
        (
            FR,
            FR_API,
            Fault(status=429, headers={"Retry-After": "3600"}),
            {},
            "listing HTTP 429 from https://www.federalregister.gov/",
        ),
        (
            FR,
            FR_API,
            Fault(delay_s=2.5),
            {"DOWNLOAD_TIMEOUT": 1},
            "listing timeout after 1.0s: https://www.federalregister.gov/",
        ),
        (
            "uk_trade_remedies",
            UK_FEED,
            Fault(drip_s=0.3, drip_chunk=64),
            {"DOWNLOAD_TIMEOUT": 1},
            "listing timeout after 1.0s: https://www.gov.uk/",
        ),
        (
            "uk_trade_remedies",
            UK_FEED,
            Fault(truncate_to=300),
            {},
            "listing truncated response (connection closed early): https://www.gov.uk/",
        ),
        (
            FR,
            FR_API,
            Fault(body=b"<html>Service unavailable</html>"),
            {},
            "invalid JSON from https://www.federalregister",
        ),
        (
            "eu_dg_trade",
            EU_LIST,
            Fault(body=b"<html><body><main><p>We are redesigning</p></main></body></html>"),
            {},
            "zero items extracted from listing https://policy.trade.ec.europa.eu/news_en",
        ),
        (
            "eu_dg_trade",
            EU_LIST,
            Fault(status=302, headers={"Location": EU_LIST}),
            {},
            "listing redirect loop (too many redirects): https://policy.trade.ec.europa.eu/news_en",
        ),
        (
            "eu_dg_trade",
            EU_LIST,
            Fault(body=b"<html>" + b"<p>padding</p>" * 20_000),
            {"DOWNLOAD_MAXSIZE": 100_000},
            "listing response larger than the download size cap: https://policy.trade.ec.europa.eu/news_en",
        ),
        (
            "eu_dg_trade",
            "/eu_dg_trade/policy.trade.ec.europa.eu/robots.txt",
            Fault(body=b"User-agent: *\nDisallow: /\n", headers={"Content-Type": "text/plain"}),
            {},
            "listing forbidden by robots.txt: https://policy.trade.ec.europa.eu/news_en",
        ),
    ],
    ids=[
        "http-500",
        "429-retry-after-too-long",
        "timeout",
        "slow-drip",
        "truncated",
        "malformed-json",
        "zero-links",
        "redirect-loop",
        "oversized",
        "robots-disallow",
    ],
)
def test_fault_fails_run_with_reason(
    db_path: Path,
    server: FixtureServer,
    slug: str,
    path: str,
    fault: Fault,
    settings: dict[str, Any],
    reason: str,
) -> None:
    server.fault(path, fault)
    run = crawl_with_healthy(db_path, server, slug, settings=settings)
    assert run["status"] == "failed"
    assert run["reason"].startswith(reason), run["reason"]
    assert run["new"] == 0


def test_429_with_short_retry_after_is_retried_and_succeeds(db_path: Path, server: FixtureServer) -> None:
    server.fault(FR_API, Fault(status=429, headers={"Retry-After": "1"}, body=b"slow down", times=1))
    run = crawl_with_healthy(db_path, server, FR)
    assert (run["status"], run["new"]) == ("ok", 5)
    assert len(server.paths(FR_API)) == 2


def test_5xx_is_retried_with_backoff_then_succeeds(db_path: Path, server: FixtureServer) -> None:
    server.fault(FR_API, Fault(status=503, body=b"busy", times=1))
    run = crawl_with_healthy(db_path, server, FR)
    assert (run["status"], run["new"]) == ("ok", 5)


def test_malformed_but_recoverable_html_is_still_parsed(db_path: Path, server: FixtureServer) -> None:
    html = (server.root / EU_LIST.lstrip("/") / "index.html").read_text("utf-8")
    broken = html.replace("</article>", "").replace("</div>\n</main>", "<div><span>").replace("</li>", "")
    server.fault(EU_LIST, body=broken.encode())
    run = crawl_with_healthy(db_path, server, "eu_dg_trade")
    assert (run["status"], run["items"], run["new"]) == ("ok", 4, 4)


def test_gb18030_page_without_charset_header(db_path: Path, server: FixtureServer) -> None:
    bare = Fault(headers={"Content-Type": "text/html"})
    server.fault(ZH_LIST, bare)
    server.fault(f"/{ZH}/www.example.gov.cn/gg/202412/t20241203_001.html", bare)
    run = crawl_with_healthy(db_path, server, ZH)
    assert (run["status"], run["new"]) == ("ok", 1)
    doc = documents(db_path, ZH)["https://www.example.gov.cn/gg/202412/t20241203_001.html"]
    assert doc["title"] == "商务部公告2024年第46号 关于加强相关两用物项对美国出口管制的公告"
    assert doc["published"] == "2024-12-03T00:00:00+08:00"
    assert doc["language"] == "zh"
    assert doc["text"].startswith("根据《中华人民共和国出口管制法》等法律法规有关规定")


def test_failed_detail_page_is_counted_and_retried_next_run(db_path: Path, server: FixtureServer) -> None:
    detail = "/ca_cbsa_sima/www.cbsa-asfc.gc.ca/sima-lmsi/er-rre/sm2024/sm2024-ni-eng.html"
    server.fault(detail, Fault(status=404, body=b"gone"))
    first = crawl(db_path, server, [HEALTHY])[HEALTHY]
    assert (first["status"], first["new"], first["errors"]) == ("ok", 2, 1)
    assert first["reason"].startswith(
        "1 detail pages failed (first: HTTP 404 from https://www.cbsa-asfc.gc.ca/"
    )
    server.faults.clear()
    second = crawl(db_path, server, [HEALTHY])[HEALTHY]
    assert (second["status"], second["new"], second["errors"]) == ("ok", 1, 0)
