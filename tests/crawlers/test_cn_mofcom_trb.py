"""MOFCOM Trade Remedy Bureau (Chinese) through the real Scrapy engine against fixture pages on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

from tests.crawlers.conftest import documents
from tests.crawlers.regions import crawl_with_boilerplate
from tests.support.http_server import FixtureServer, crawl

SLUG = "cn_mofcom_trb"
SITE = "https://trb.mofcom.gov.cn"
INITIATION = f"{SITE}/myjjdc/art/2024/art_9f8e7d6c5b4a43928170f6e5d4c3b2a1.html"
FINAL = f"{SITE}/myjjdc/art/2025/art_6e2d1c0b9a8f4e7d6c5b4a3f2e1d0c9b.html"


def test_pom_case_initiation_to_final_ruling(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["reason"], run["items"], run["new"], run["errors"]) == ("ok", None, 3, 3, 0)
    docs = documents(db_path, SLUG)
    start = docs[INITIATION]
    assert start["title"] == (
        "商务部公告2024年第19号 关于对原产于美国、欧盟、日本和台湾地区的进口共聚聚甲醛"
        "进行反倾销立案调查的公告"
    )
    assert start["published"] == "2024-05-19T09:00:00+08:00"
    assert start["language"] == "zh"
    assert start["notice_number"] == "商务部公告2024年第19号"
    assert start["text"].startswith(
        "根据《中华人民共和国反倾销条例》的规定，国内共聚聚甲醛产业于2024年4月22日"
    )
    assert json.loads(start["attachments"]) == [
        f"{SITE}/cms_files/myjjdc/2024/art_9f8e7d6c5b4a43928170f6e5d4c3b2a1_fj.pdf"
    ]
    final = docs[FINAL]
    # The final ruling cites the initiation notice in its body; its own number comes from its title.
    assert final["notice_number"] == "商务部公告2025年第21号"
    assert "美国公司74.9%" in final["text"]
    assert final["published"] == "2025-05-18T10:00:00+08:00"


def test_backfill_follows_the_layui_pager_to_index_n(db_path: Path, server: FixtureServer) -> None:
    """The pager's links are `javascript:;` with `data-page`; backfilling asks for the static `index_2.html`
    and stops where the pager offers no further page (its disabled "next" is not a page)."""
    run = crawl(db_path, server, [SLUG], since="2022-01-01")[SLUG]
    assert (run["status"], run["reason"], run["new"]) == ("ok", None, 4)
    listings = sorted(p for p in server.paths(f"/{SLUG}/") if "/index" in p)
    assert listings == [
        f"/{SLUG}/trb.mofcom.gov.cn/myjjdc/index.html",
        f"/{SLUG}/trb.mofcom.gov.cn/myjjdc/index_2.html",
    ]
    old = documents(db_path, SLUG)[f"{SITE}/myjjdc/art/2022/art_2b2552a348664bae9dc5c92554c9a8aa.html"]
    assert (old["notice_number"], old["published"]) == ("商务部公告2022年第10号", "2022-06-24T09:30:00+08:00")

    server.clear_log()
    recent = crawl(db_path, server, [SLUG], since="2024-06-01")[SLUG]  # page 1 already reaches back past it
    assert recent["status"] == "ok"
    assert not any("index_2" in p for p in server.paths())

    server.clear_log()
    crawl(db_path, server, [SLUG])  # a scheduled run reads page 1 only
    assert not any("index_2" in p for p in server.paths())


def test_blocked_listing_is_a_failed_run_not_an_empty_one(db_path: Path, server: FixtureServer) -> None:
    server.fault(f"/{SLUG}/trb.mofcom.gov.cn/myjjdc/index.html", status=403, body=b"<html>Forbidden</html>")
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert run["status"] == "failed"
    assert run["reason"] == f"listing HTTP 403 from {SITE}/myjjdc/index.html"


def test_body_read_only_inside_content_region(tmp_path: Path) -> None:
    """Text and attachments come from `.art-con`: menu/footer text and PDF links around it are left out."""
    url = INITIATION
    doc = crawl_with_boilerplate(tmp_path, SLUG, url.split("://", 1)[1], url)
    assert doc["text"].startswith("根据《中华人民共和国反倾销条例》的规定，国内共聚聚甲醛产业于2024年4月22日")
