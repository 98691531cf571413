"""State Council Tariff Commission announcements (gss.mof.gov.cn) through the real engine on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

from tests.crawlers.conftest import documents
from tests.crawlers.regions import crawl_with_boilerplate
from tests.support.http_server import FixtureServer, crawl

SLUG = "cn_mof_gss"
SITE = "https://gss.mof.gov.cn/gzdt/zhengcefabu"
MARCH = f"{SITE}/202503/t20250304_3958941.htm"
FEBRUARY = f"{SITE}/202502/t20250204_3956935.htm"


def test_tariff_commission_announcements_keyed_by_their_series_number(
    db_path: Path, server: FixtureServer
) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    # The "更多解读" row links a column, not a document: the URL pattern leaves it out.
    assert (run["status"], run["reason"], run["items"], run["new"], run["errors"]) == ("ok", None, 2, 2, 0)
    docs = documents(db_path, SLUG)
    march = docs[MARCH]
    assert march["title"] == "国务院关税税则委员会关于对原产于美国的部分进口商品加征关税的公告"
    assert march["notice_number"] == "税委会公告2025年第2号"
    assert march["published"] == "2025-03-04T10:12:00+08:00"
    assert march["language"] == "zh"
    assert "对鸡肉、小麦、玉米、棉花加征15%关税。" in march["text"]
    assert json.loads(march["attachments"]) == [f"{SITE}/202503/P020250304353426447592.pdf"]
    # Same title, different announcement: the series number keeps them apart.
    assert docs[FEBRUARY]["notice_number"] == "税委会公告2025年第1号"
    assert docs[FEBRUARY]["published"] == "2025-02-04T09:05:00+08:00"


def test_second_run_stores_nothing_new(db_path: Path, server: FixtureServer) -> None:
    crawl(db_path, server, [SLUG])
    again = crawl(db_path, server, [SLUG])[SLUG]
    assert (again["status"], again["items"], again["new"]) == ("ok", 2, 0)


def test_body_read_only_inside_content_region(tmp_path: Path) -> None:
    """Text and attachments come from `div.my_doccontent`: menu/footer text and PDF links around it are left out."""
    url = MARCH
    doc = crawl_with_boilerplate(tmp_path, SLUG, url.split("://", 1)[1], url)
    assert "对鸡肉、小麦、玉米、棉花加征15%关税。" in doc["text"]
    assert doc["attachments"] == [f"{SITE}/202503/P020250304353426447592.pdf"]
