"""METI export-control amendment notices (Shift_JIS page, Japanese) through the real engine on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

from tests.crawlers.conftest import documents
from tests.support.http_server import FixtureServer, crawl

SLUG = "jp_meti_anpo"
PAGE = "/jp_meti_anpo/www.meti.go.jp/policy/anpo/law09-2.html"
ORDER = "https://www.meti.go.jp/policy/anpo/law_document/kaisei/20250528_seirei.pdf"


def test_amendment_rows_dated_by_promulgation(db_path: Path, server: FixtureServer) -> None:
    server.fault(PAGE, headers={"Content-Type": "text/html"})  # METI serves bare text/html, Shift_JIS body
    run = crawl(db_path, server, [SLUG])[SLUG]
    # The pointer row to law00.html has a link but no date: not an amendment.
    assert (run["status"], run["reason"], run["items"], run["new"]) == ("ok", None, 2, 2)
    order = documents(db_path, SLUG)[ORDER]
    assert order["title"] == "輸出貿易管理令の一部を改正する政令"
    assert order["published"] == "2025-05-28T00:00:00+09:00"  # the first era date: promulgation
    assert order["language"] == "ja"
    assert "令和7年10月9日施行" in order["text"]
    assert json.loads(order["attachments"]) == [ORDER]
    again = crawl(db_path, server, [SLUG])[SLUG]
    assert (again["status"], again["new"]) == ("ok", 0)
