"""Taiwan MOEA announcements RSS (Traditional Chinese) through the real engine on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

from tests.crawlers.conftest import documents
from tests.support.http_server import FixtureServer, crawl

SLUG = "tw_moea"
ENTITY_LIST = "https://www.moea.gov.tw/Mns/populace/news/News.aspx?kind=2&menu_id=41&news_id=119412"


def test_announcements_from_the_feed_with_news_id(db_path: Path, server: FixtureServer) -> None:
    run = crawl(db_path, server, [SLUG])[SLUG]
    assert (run["status"], run["reason"], run["items"], run["new"]) == ("ok", None, 2, 2)
    doc = documents(db_path, SLUG)[ENTITY_LIST]
    assert doc["title"] == "公告修正「出口管制實體名單」，增列華為及中芯國際等601個實體"
    assert doc["published"] == "2025-06-14T16:00:00+00:00"
    assert doc["notice_number"] == "經濟部訊息公告 119412"
    assert doc["language"] == "zh"
    assert doc["text"].startswith("經濟部國際貿易署公告修正")
    assert "<p>" not in doc["text"] and "&lt;" not in doc["text"]
