"""MOFCOM Security and Control Bureau: the JPaaS list API and Chinese detail pages, on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qsl

from tests.crawlers.conftest import documents
from tests.crawlers.regions import crawl_with_boilerplate
from tests.support.http_server import FixtureServer, crawl

SLUG = "cn_mofcom_aqygzj"
SITE = "https://aqygzj.mofcom.gov.cn"
API_PATH = f"/{SLUG}/aqygzj.mofcom.gov.cn/api-gateway/jpaas-publish-server/front/page/build/unit"
UEL = f"{SITE}/flzc/gzjgfxwj/art/2025/art_3c6e1f2a9b0d4e7f8a5c2b1d0e9f8a7b.html"
ORDER = f"{SITE}/flzc/gzjgfxwj/art/2020/art_0f1e2d3c4b5a49687f6e5d4c3b2a1908.html"


def test_whole_list_in_one_api_call_with_exact_fields(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["reason"], run["items"], run["new"], run["errors"]) == ("ok", None, 3, 3, 0)
    api_calls = [r for r in server.requests if r.path == API_PATH]
    assert len(api_calls) == 1
    params = dict(parse_qsl(api_calls[0].query))
    assert (params["tagId"], params["pageType"], json.loads(params["paramJson"])) == (
        "信息列表",
        "column",
        {"pageNo": 1, "pageSize": 99999},
    )
    # The real JPaaS ids of the column's list unit, and the column page as Referer.
    assert (params["webId"], params["pageId"], params["tplSetId"], params["editType"]) == (
        "b28941ad4e064442856787562c9a4961",
        "79d6d2c4e44d458180d37dd4f0996645",
        "DDBav9QvwJVbs9iznQVmO",
        "null",
    )
    assert api_calls[0].headers["Referer"] == f"{SITE}/flzc/gzjgfxwj/index.html"

    docs = documents(db_path, SLUG)
    uel = docs[UEL]
    assert uel["title"] == "不可靠实体清单工作机制公告〔2025〕6号 关于将11家美国实体列入不可靠实体清单的公告"
    assert uel["published"] == "2025-04-04T18:30:00+08:00"
    assert uel["language"] == "zh"
    assert uel["notice_number"] == "不可靠实体清单工作机制公告〔2025〕6号"
    assert uel["text"].startswith("不可靠实体清单工作机制公告〔2025〕6号\n根据《中华人民共和国对外贸易法》")
    assert json.loads(uel["attachments"]) == [f"{SITE}/cms_files/filemanager/P020250404183011111.pdf"]
    assert docs[ORDER]["notice_number"] == "商务部令2020年第4号"
    assert docs[ORDER]["published"] == "2020-09-19T10:00:00+08:00"


def test_changed_api_shape_fails_loudly(db_path: Path, server: FixtureServer) -> None:
    server.fault(API_PATH, body=json.dumps({"success": True, "data": {"list": []}}).encode())
    shape = crawl(db_path, server, [SLUG])[SLUG]
    assert shape["status"] == "failed"
    assert shape["reason"].startswith(f"unexpected JPaaS response shape from {SITE}/api-gateway/")

    server.fault(
        API_PATH, body=json.dumps({"success": True, "data": {"html": "<div>暂无数据</div>"}}).encode()
    )
    empty = crawl(db_path, server, [SLUG])[SLUG]
    assert empty["status"] == "failed"
    assert (
        empty["reason"].startswith("zero items extracted from listing")
        and "links in data.html" in empty["reason"]
    )
    assert documents(db_path) == {}


def test_ids_overridden_from_configuration_reach_the_api(db_path: Path, server: FixtureServer) -> None:
    settings = {"CWATCH_SOURCES": {SLUG: {"unit": {"pageId": "0123456789abcdef0123456789abcdef"}}}}
    run = crawl(db_path, server, [SLUG], settings=settings)[SLUG]
    params = dict(parse_qsl([r for r in server.requests if r.path == API_PATH][0].query))
    assert (params["pageId"], params["webId"]) == (
        "0123456789abcdef0123456789abcdef",
        "b28941ad4e064442856787562c9a4961",
    )
    assert run["status"] == "failed"  # the recorded CMS knows no such unit


def test_body_read_only_inside_content_region(tmp_path: Path) -> None:
    """Text and attachments come from `.art-con`: menu/footer text and PDF links around it are left out."""
    url = UEL
    doc = crawl_with_boilerplate(tmp_path, SLUG, url.split("://", 1)[1], url)
    assert doc["text"].startswith("不可靠实体清单工作机制公告〔2025〕6号\n根据《中华人民共和国对外贸易法》")
    assert doc["attachments"] == [f"{SITE}/cms_files/filemanager/P020250404183011111.pdf"]
