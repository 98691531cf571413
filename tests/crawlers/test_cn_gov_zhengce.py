"""State Council latest policies (www.gov.cn/zhengce/zuixin) through the real engine on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

from tests.crawlers.conftest import documents
from tests.crawlers.regions import crawl_with_boilerplate
from tests.support.http_server import FixtureServer, crawl

SLUG = "cn_gov_zhengce"
REGULATION = "https://www.gov.cn/zhengce/content/202410/content_6981681.htm"
TARIFF_PLAN = "https://www.gov.cn/zhengce/zhengceku/202412/content_6995316.htm"


def test_decree_and_circular_with_gov_cn_timestamps(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["reason"], run["items"], run["new"], run["errors"]) == ("ok", None, 2, 2, 0)
    docs = documents(db_path, SLUG)
    regulation = docs[REGULATION]
    assert regulation["title"] == "中华人民共和国两用物项出口管制条例"  # site suffix removed from <title>
    # firstpublishedtime is written 2024-10-19-18:00:00 (a dash before the time), Beijing time.
    assert regulation["published"] == "2024-10-19T18:00:00+08:00"
    assert regulation["notice_number"] == "国务院令第792号"
    assert "自2024年12月1日起施行" in regulation["text"]
    plan = docs[TARIFF_PLAN]
    assert plan["notice_number"] == "gov.cn/6995316"  # no decree number: the manuscript id
    assert plan["published"] == "2024-12-31T16:30:00+08:00"
    assert json.loads(plan["attachments"]) == [
        "https://www.gov.cn/zhengce/zhengceku/202412/P020241231512345678901.pdf"
    ]


def test_body_read_only_inside_content_region(tmp_path: Path) -> None:
    """Text and attachments come from `#UCAP-CONTENT, div.TRS_UEDITOR`: menu/footer text and PDF links around it are left out."""
    url = TARIFF_PLAN
    doc = crawl_with_boilerplate(tmp_path, SLUG, url.split("://", 1)[1], url)
    assert "《2025年关税调整方案》已经国务院批准" in doc["text"]
    assert doc["attachments"] == ["https://www.gov.cn/zhengce/zhengceku/202412/P020241231512345678901.pdf"]
