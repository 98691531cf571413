"""MOFCOM announcements (Chinese) through the real Scrapy engine against fixture pages on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

from tests.crawlers.conftest import documents
from tests.crawlers.regions import crawl_with_boilerplate
from tests.support.http_server import FixtureServer, crawl

SLUG = "cn_mofcom"
SITE = "https://www.mofcom.gov.cn"
GALLIUM = f"{SITE}/zcfb/blgg/gg/2023nswbgg/art/2023/art_ca2e9d349361441f847bdabac5d8331b.html"
ANTIMONY_ALIAS = f"{SITE}/zcfb/zc/art/2024/art_8d1d0c07124e4c01b69339c275c69cbe.html"
UEL = f"{SITE}/zwgk/zcfb/art/2025/art_e4f474d3aeba4672913db1042d845d78.html"
# Listed in the 2025 index; the page is the CMS's link-out template (`var _cofing1={href:…}`) to the TRB copy.
LINK_OUT = f"{SITE}/zcfb/blgg/gg/2025/art/2025/art_b6d3e1f07a2c4c59a8e4d2f1c0b9a873.html"
TRB_TARGET = "https://trb.mofcom.gov.cn/myjjdc/art/2025/art_9fa4ea413043469c8794445b2a5ac31f.html"
YEARS = {"CWATCH_CN_MOFCOM_YEARS": "2023,2024,2025"}


def test_announcements_with_exact_fields_and_aliases_merged(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG], settings=YEARS)[SLUG]
    # 2 policy-column entries + 3 (2023) + 1 (2024: its antimony entry is an alias already listed) + 2 (2025)
    assert (run["status"], run["reason"], run["items"], run["new"], run["errors"]) == ("ok", None, 8, 8, 0)
    docs = documents(db_path, SLUG)
    assert len(docs) == 8

    gallium = docs[GALLIUM]
    assert gallium["title"] == "商务部 海关总署公告2023年第23号 关于对镓、锗相关物项实施出口管制的公告"
    assert gallium["published"] == "2023-07-03T15:30:00+08:00"
    assert gallium["language"] == "zh"
    assert gallium["notice_number"] == "商务部公告2023年第23号"
    assert gallium["text"].startswith("根据《中华人民共和国出口管制法》《中华人民共和国对外贸易法》")
    assert "本公告自2023年8月1日起正式实施" in gallium["text"]
    assert json.loads(gallium["attachments"]) == [f"{SITE}/cms_files/filemanager/P020230703153012345.pdf"]

    # Antimony is listed under two official URLs: one document, stored under the first URL seen.
    antimony = [d for d in docs.values() if d["notice_number"] == "商务部公告2024年第33号"]
    assert [d["url"] for d in antimony] == [ANTIMONY_ALIAS]
    assert antimony[0]["published"] == "2024-08-15T16:00:00+08:00"
    fetched = server.paths(f"/{SLUG}/")
    assert not any("2024nswbgg/art/2024/art_8d1d0c07" in p for p in fetched)

    # The UEL notice's number is only in its body.
    assert docs[UEL]["notice_number"] == "不可靠实体清单工作机制公告〔2025〕6号"
    assert docs[UEL]["title"] == "不可靠实体清单工作机制关于将11家美国实体列入不可靠实体清单的公告"
    numbers = sorted(d["notice_number"] for d in docs.values())
    assert numbers == [
        "不可靠实体清单工作机制公告〔2025〕6号",
        "商务部公告2023年第23号",
        "商务部公告2023年第39号",
        "商务部公告2023年第50号",
        "商务部公告2024年第33号",
        "商务部公告2024年第46号",
        "商务部公告2025年第1号",
        "商务部公告2025年第77号",
    ]


def test_link_out_page_is_followed_to_its_target(db_path: Path, server: FixtureServer) -> None:
    """A listed page holding `var _cofing1={href:"…"}` is fetched, then its target, as a browser would: with
    the listed page as Referer. The document is the target's, kept under the URL the index listed."""
    run = crawl(db_path, server, [SLUG], settings={"CWATCH_CN_MOFCOM_YEARS": "2025"})[SLUG]
    assert (run["status"], run["reason"], run["errors"]) == ("ok", None, 0)
    doc = documents(db_path, SLUG)[LINK_OUT]
    assert doc["title"] == (
        "商务部公告2025年第77号 关于对原产于日本、美国、韩国和马来西亚的进口聚苯硫醚所适用反倾销措施"
        "进行期终复审调查的公告"
    )
    assert doc["notice_number"] == "商务部公告2025年第77号"
    assert doc["published"] == "2025-11-28T17:00:00+08:00"
    assert doc["text"].startswith("应国内聚苯硫醚产业申请，商务部决定自2025年12月1日起")
    assert "福创工业及其他美国公司220.9%" in doc["text"]
    target = [r for r in server.requests if r.path.endswith("/art_9fa4ea413043469c8794445b2a5ac31f.html")]
    assert len(target) == 1
    assert (
        target[0].path
        == f"/{SLUG}/trb.mofcom.gov.cn/myjjdc/art/2025/art_9fa4ea413043469c8794445b2a5ac31f.html"
    )
    assert target[0].headers["Referer"] == LINK_OUT
    assert TRB_TARGET not in documents(db_path, SLUG)  # one document, under the listed URL

    # Second run: the index entry is unchanged, so neither the listed page nor its target is fetched again.
    server.clear_log()
    again = crawl(db_path, server, [SLUG], settings={"CWATCH_CN_MOFCOM_YEARS": "2025"})[SLUG]
    assert (again["status"], again["new"], again["changed"]) == ("ok", 0, 0)
    assert not any("art_9fa4ea41" in p or "art_b6d3e1f0" in p for p in server.paths())


def test_table_shown_in_an_iframe_is_read(db_path: Path, server: FixtureServer) -> None:
    """`.art-con` showing its list in an iframe (RSSHub gov/mofcom reads the frame's tbody): the frame's table
    rows join the page's own paragraphs."""
    crawl(db_path, server, [SLUG], settings={"CWATCH_CN_MOFCOM_YEARS": "2025"})
    doc = documents(db_path, SLUG)[
        f"{SITE}/zcfb/blgg/gg/2025nswbgg/art/2025/art_d2c4e6f8a0b14c3e9d7f5b3a1c2e4f60.html"
    ]
    assert doc["notice_number"] == "商务部公告2025年第1号"
    assert doc["text"].startswith("根据《中华人民共和国出口管制法》")
    assert "1 通用动力陆地系统公司 General Dynamics Land Systems" in doc["text"]
    assert "序号" not in doc["text"]  # the table body, not its header
    assert server.paths(f"/{SLUG}/www.mofcom.gov.cn/cms_files/filemanager/P020250102190033333.html")


def test_years_follow_the_policy_column_and_second_run_fetches_only_listings(
    db_path: Path, server: FixtureServer
) -> None:
    first = crawl(db_path, server, [SLUG], since="2024-01-01")[SLUG]
    # Newest policy entry is from 2025 and --since is 2024: the 2024 and 2025 indexes, not 2023.
    listings = [p for p in server.paths(f"/{SLUG}/") if p.endswith("index.html")]
    assert sorted(listings) == [
        f"/{SLUG}/www.mofcom.gov.cn/zcfb/blgg/gg/2024/index.html",
        f"/{SLUG}/www.mofcom.gov.cn/zcfb/blgg/gg/2025/index.html",
        f"/{SLUG}/www.mofcom.gov.cn/zwgk/zcfb/index.html",
    ]
    assert (first["status"], first["new"]) == ("ok", 5)

    server.clear_log()
    second = crawl(db_path, server, [SLUG], since="2024-01-01")[SLUG]
    assert (second["status"], second["new"], second["changed"]) == ("ok", 0, 0)
    assert all(p.endswith(("index.html", "robots.txt")) for p in server.paths())


def test_zero_links_on_a_200_listing_fails_the_run(db_path: Path, server: FixtureServer) -> None:
    server.fault(
        f"/{SLUG}/www.mofcom.gov.cn/zwgk/zcfb/index.html",
        body="<html><body><ul><li>网站改版中</li></ul></body></html>".encode(),
    )
    run = crawl(db_path, server, [SLUG], settings=YEARS)[SLUG]
    assert run["status"] == "failed"
    assert run["reason"].startswith(f"zero items extracted from listing {SITE}/zwgk/zcfb/index.html")


def test_body_read_only_inside_content_region(tmp_path: Path) -> None:
    """Text and attachments come from `.art-con`: menu/footer text and PDF links around it are left out."""
    url = GALLIUM
    doc = crawl_with_boilerplate(tmp_path, SLUG, url.split("://", 1)[1], url, settings=YEARS)
    assert doc["text"].startswith("根据《中华人民共和国出口管制法》《中华人民共和国对外贸易法》")
    assert doc["attachments"] == [f"{SITE}/cms_files/filemanager/P020230703153012345.pdf"]
