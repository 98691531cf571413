"""CAC 权威发布 (Chinese) through the real engine on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

from tests.crawlers.conftest import documents
from tests.crawlers.regions import crawl_with_boilerplate
from tests.support.http_server import FixtureServer, crawl

SLUG = "cn_cac"
MICRON = "https://www.cac.gov.cn/2023-05/21/c_1686348043518073.htm"


def test_review_decision_with_full_title_and_pubtime(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    # "更多" links the next column page, not an article: the URL pattern leaves it out.
    assert (run["status"], run["reason"], run["items"], run["new"], run["errors"]) == ("ok", None, 2, 2, 0)
    micron = documents(db_path, SLUG)[MICRON]
    assert micron["title"] == "美光公司在华销售的产品未通过网络安全审查"  # h1, not the cut link text
    assert micron["published"] == "2023-05-21T18:55:00+08:00"
    assert micron["notice_number"] == "网信办c_1686348043518073"
    assert "停止采购美光公司产品" in micron["text"]
    assert micron["language"] == "zh"


def test_body_read_only_inside_content_region(tmp_path: Path) -> None:
    """Text and attachments come from `#BodyLabel`: menu/footer text and PDF links around it are left out."""
    url = MICRON
    doc = crawl_with_boilerplate(tmp_path, SLUG, url.split("://", 1)[1], url)
    assert "停止采购美光公司产品" in doc["text"]
