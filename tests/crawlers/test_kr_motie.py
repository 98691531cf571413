"""MOTIE English press releases (KTC decisions) through the real Scrapy engine on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

from tests.crawlers.conftest import documents
from tests.support.http_server import FixtureServer, crawl

SLUG = "kr_motie"
ARTICLE = "https://english.motie.go.kr/eng/article/EATCLdfa319ada/{}/view"


def test_press_releases_with_exact_fields(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["reason"], run["items"], run["new"], run["errors"]) == ("ok", None, 3, 3, 0)
    doc = documents(db_path, SLUG)[ARTICLE.format(2661)]
    assert (
        doc["title"]
        == "Korea Trade Commission Decides Final Anti-dumping Duties on Hot-rolled Plate from China"
    )
    assert doc["published"] == "2025-09-01T00:00:00+09:00"
    assert doc["language"] == "en"
    assert doc["text"].startswith("The Korea Trade Commission (KTC) held its 463rd meeting on August 28")
    assert "27.91% to 34.10%" in doc["text"]
    assert json.loads(doc["attachments"]) == ["https://english.motie.go.kr/attach/down/2661/press.pdf"]


def test_list_gone_after_a_rename_fails_loudly(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG], settings={"CWATCH_KR_MOTIE_HOST": "english.motir.go.kr"})[SLUG]
    assert run["status"] == "failed"
    assert run["reason"].startswith("listing HTTP 404 from https://english.motir.go.kr/en/pc/pressreleases/")
