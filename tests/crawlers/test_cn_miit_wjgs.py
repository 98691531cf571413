"""MIIT 文件公示 through the JPaaS shell page and its list unit, real engine on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

from tests.crawlers.conftest import documents
from tests.crawlers.regions import crawl_with_boilerplate
from tests.support.http_server import FixtureServer, crawl

SLUG = "cn_miit_wjgs"
SITE = "https://www.miit.gov.cn"
BATTERY = f"{SITE}/zwgk/wjgs/art/2025/art_4c1f0e2d3b5a49688f7e6d5c4b3a2910.html"
UNIT = "/cn_miit_wjgs/www.miit.gov.cn/api-gateway/jpaas-publish-server/front/page/build/unit"


def test_list_unit_ids_read_from_the_shell_page(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["reason"], run["items"], run["new"], run["errors"]) == ("ok", None, 2, 2, 0)
    unit = next(r for r in server.requests if r.path == UNIT)
    assert "webId=8d828e408d90447786ddbe128d495e9e" in unit.query and "pageType=column" in unit.query
    assert unit.headers.get("Referer") == f"{SITE}/zwgk/wjgs/index.html"
    battery = documents(db_path, SLUG)[BATTERY]
    assert battery["title"] == "关于《锂电池行业规范条件（2024年本）》的公示"
    assert battery["published"] == "2025-01-06T16:20:00+08:00"
    assert battery["text"].startswith("为加强锂电池行业管理")
    assert json.loads(battery["attachments"]) == [
        f"{SITE}/cms_files/filemanager/1226211233/attach/20251/c3b2a1.pdf"
    ]


def test_unit_without_html_fails_the_run(db_path: Path, server: FixtureServer) -> None:
    server.fault(UNIT, body=b'{"success": true, "data": {}}')
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert run["status"] == "failed" and "no data.html" in run["reason"]


def test_body_read_only_inside_content_region(tmp_path: Path) -> None:
    """Text and attachments come from `.ccontent, .fujian`: menu/footer text and PDF links around it are left out."""
    url = BATTERY
    doc = crawl_with_boilerplate(tmp_path, SLUG, url.split("://", 1)[1], url)
    assert doc["text"].startswith("为加强锂电池行业管理")
    assert doc["attachments"] == [f"{SITE}/cms_files/filemanager/1226211233/attach/20251/c3b2a1.pdf"]
