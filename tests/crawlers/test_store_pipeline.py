"""The store pipeline writes a document and its page state together, in batches of documents."""

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
    db.execute("DROP TRIGGER no_pages")
    pipeline.process_item(_item(3))  # the batch goes on after the failed document
    pipeline.close_spider()
    assert _committed(db_path) == ([_item(1).url, _item(3).url], [_item(1).url, _item(3).url])
    assert pipeline.crawler.stats.get_value("cwatch/new") == 2


def _committed(db_path: Path) -> tuple[list[str], list[str]]:
    """Document and page-state URLs another process sees."""
    other = sqlite3.connect(db_path)
    try:
        urls = [r[0] for r in other.execute("SELECT url FROM documents ORDER BY url")]
        pages = [r[0] for r in other.execute("SELECT url FROM crawl_pages ORDER BY url")]
    finally:
        other.close()
    return urls, pages


def test_a_batch_is_committed_when_full_and_at_close(tmp_path: Path) -> None:
    db_path = tmp_path / "store.db"
    upsert_source(store_at(db_path), SourceMeta("cn_mofcom", "MOFCOM", "CN", "zh", "official"))
    pipeline = _pipeline(db_path)
    pipeline.BATCH_SECONDS = 3600.0  # only the size and the close commit in this test
    for n in range(StorePipeline.BATCH_ITEMS + 3):
        pipeline.process_item(_item(n))
    urls, pages = _committed(db_path)
    assert len(urls) == len(pages) == StorePipeline.BATCH_ITEMS  # the first batch; three still open
    assert pipeline.crawler.stats.get_value("cwatch/new") == StorePipeline.BATCH_ITEMS
    pipeline.close_spider()
    assert len(_committed(db_path)[0]) == StorePipeline.BATCH_ITEMS + 3


def test_a_batch_older_than_its_time_is_committed_with_the_next_document(tmp_path: Path) -> None:
    db_path = tmp_path / "store.db"
    upsert_source(store_at(db_path), SourceMeta("cn_mofcom", "MOFCOM", "CN", "zh", "official"))
    pipeline = _pipeline(db_path)
    pipeline.BATCH_SECONDS = 0.0
    pipeline.process_item(_item(1))
    assert _committed(db_path)[0] == [_item(1).url]


class _Spider:
    def __init__(self) -> None:
        self.failures: list[str] = []

    def fail(self, reason: str) -> None:
        self.failures.append(reason)


def test_a_failed_commit_fails_the_run_and_counts_nothing(tmp_path: Path) -> None:
    db_path = tmp_path / "store.db"
    db = store_at(db_path)
    upsert_source(db, SourceMeta("cn_mofcom", "MOFCOM", "CN", "zh", "official"))
    pipeline = _pipeline(db_path)
    spider = _Spider()
    pipeline.crawler.spider = spider  # type: ignore[assignment]
    pipeline.process_item(_item(1))
    # A deferred foreign key fails only at COMMIT, as a full disk would.
    db.execute("PRAGMA defer_foreign_keys = ON")
    db.execute(
        "INSERT INTO documents (id, source, url, title, text, language, fetched, content_hash)"
        " VALUES ('x', 'no-such-source', 'https://x.test/', 't', 't', 'en', '2024-01-01', 'h')"
    )
    pipeline.close_spider()
    assert spider.failures and "storing 1 documents failed at commit" in spider.failures[0]
    assert _committed(db_path) == ([], [])
    assert not pipeline.crawler.stats.get_value("cwatch/new")
