"""The store pipeline writes a document and its page state in one transaction."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from crawlers.items import DocItem
from crawlers.pipelines import StorePipeline
from crawlers.state import store_at
from db.records import SourceMeta
from db.store import upsert_source


def _pipeline(db_path: Path) -> StorePipeline:
    crawler = get_crawler(settings_dict={"CWATCH_DB": str(db_path)})
    crawler.stats.open_spider()
    return StorePipeline(crawler)


def _item(n: int) -> DocItem:
    return DocItem(
        source="cn_mofcom",
        url=f"https://www.mofcom.gov.cn/zwgk/zcfb/art/2024/art_{n}.html",
        title=f"商务部公告2024年第{n}号",
        text="关于对镓、锗相关物项实施出口管制的公告",
        language="zh",
        published="2024-07-03T09:00:00+08:00",
        listing_hash="h",
    )


def test_document_and_page_state_commit_together(tmp_path: Path) -> None:
    db_path = tmp_path / "store.db"
    db = store_at(db_path)
    upsert_source(db, SourceMeta("cn_mofcom", "MOFCOM", "CN", "zh", "official"))
    pipeline = _pipeline(db_path)
    pipeline.process_item(_item(1))
    # The page state cannot be written (as on a full disk): the document must not stay half-recorded.
    db.execute(
        "CREATE TRIGGER no_pages BEFORE INSERT ON crawl_pages BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    with pytest.raises(sqlite3.IntegrityError, match="disk full"):
        pipeline.process_item(_item(2))
    other = sqlite3.connect(db_path)  # what another process sees
    urls = [r[0] for r in other.execute("SELECT url FROM documents ORDER BY url")]
    pages = [r[0] for r in other.execute("SELECT url FROM crawl_pages ORDER BY url")]
    assert urls == pages == [_item(1).url]
