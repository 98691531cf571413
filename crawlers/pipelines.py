"""Item pipelines, in order: normalise (main text, dates, language, caps) → validate → store."""

from __future__ import annotations

import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from sqlite_utils import Database

from crawlers.base import SourceSpider
from crawlers.dates import normalise_iso
from crawlers.extract import clean_text, html_date, main_text
from crawlers.items import DocItem
from crawlers.state import remember_page, store_at
from db.records import DocumentRecord
from db.store import store_document, utcnow
from db.textnorm import clean_title, strip_controls

EARLIEST = datetime(1945, 1, 1, tzinfo=UTC)  # no source we crawl publishes older documents
_UNDATED = "documents stored without a publication date"


class _Pipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        return cls(crawler)


class NormalisePipeline(_Pipeline):
    def process_item(self, item: DocItem) -> DocItem:
        spider = self.crawler.spider
        tz = getattr(spider, "timezone", "UTC")
        if not item.text and item.html:
            item.text = main_text(item.html, item.url)
        if not item.published and item.html:
            item.published = html_date(item.html, tz)
        raw = item.published
        item.published = normalise_iso(raw, tz)
        if raw and not item.published:  # the publisher gave a date we cannot read: never store it as None
            raise DropItem(f"unparseable date {raw[:60]!r}: {item.url}")
        if not raw:  # nothing on the listing or the page reads as a date: stored undated, reported on the run
            self._undated(item.url)
        if item.attachment_text:
            item.text = f"{item.text}\n\n{item.attachment_text}" if item.text else item.attachment_text
            item.attachment_text = ""
        item.html = None  # never stored: it was only there for extraction
        # Untrusted: no markup, invisible or control characters, compatibility look-alikes (db/textnorm.py)
        item.title = clean_title(item.title or "")
        text_max = self.crawler.settings.getint("CWATCH_TEXT_MAX")
        item.text = strip_controls(clean_text(item.text or ""))[:text_max]
        item.language = item.language or getattr(spider, "language", None) or "und"
        item.url = item.url.strip().split("#", 1)[0]
        item.attachments = list(dict.fromkeys(a.strip() for a in item.attachments if a.strip()))[:50]
        return item

    def _undated(self, url: str) -> None:
        spider = self.crawler.spider
        if isinstance(spider, SourceSpider):
            spider.logger.warning("no publication date found: %s", url)
            if not any(f.startswith(_UNDATED) for f in spider.drift):
                spider.site_changed(f"{_UNDATED} (first: {url})")


class ValidatePipeline(_Pipeline):
    """Strict: a document without a title, text or well-formed date is a site change, not a document."""

    def process_item(self, item: DocItem) -> DocItem:
        if not item.url.startswith(("http://", "https://")):
            raise DropItem(f"bad URL {item.url!r}")
        for name in ("title", "text"):
            if not getattr(item, name):
                raise DropItem(f"missing {name}: {item.url}")
        if item.published:
            try:
                aware = datetime.fromisoformat(item.published).tzinfo is not None
            except ValueError:
                aware = False
            if not aware:
                raise DropItem(f"date without time zone {item.published!r}: {item.url}")
            when = datetime.fromisoformat(item.published)
            # Official notices are dated on or before the day they appear (plus a day for time zones).
            if not EARLIEST <= when <= datetime.now(UTC) + timedelta(days=2):
                raise DropItem(f"date out of range {item.published!r}: {item.url}")
        return item


class StorePipeline(_Pipeline):
    """Documents and their page states, committed in batches.

    A commit per document cost ~1.5 ms, most of it FTS5 writing a new index segment for one document;
    a batch of BATCH_ITEMS shares one. Each document is a savepoint inside the batch, so a document that
    fails to store is undone alone and the others stay. A batch is committed when full, BATCH_SECONDS after
    its first document (a timer, so a crawl waiting on slow pages never holds the write lock longer), and
    when the spider closes. A crash loses at most the open batch: its page states are lost with it, so the
    next run fetches those pages again. Outcome counters move only once their batch is committed."""

    BATCH_ITEMS = 64
    BATCH_SECONDS = 1.0

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._db: Database | None = None
        self._outcomes: list[str] = []
        self._opened_at = 0.0
        self._timer: Any = None

    def process_item(self, item: DocItem) -> DocItem:
        db = self._batch()
        db.execute("SAVEPOINT cwatch_document")
        try:
            outcome = self._store(db, item)
        except BaseException:
            db.execute("ROLLBACK TO cwatch_document")
            db.execute("RELEASE cwatch_document")
            raise
        db.execute("RELEASE cwatch_document")
        self._outcomes.append(outcome)
        if (
            len(self._outcomes) >= self.BATCH_ITEMS
            or time.monotonic() - self._opened_at >= self.BATCH_SECONDS
        ):
            self.flush()
        return item

    def close_spider(self) -> None:
        self.flush()

    def _batch(self) -> Database:
        """The open batch's store, beginning a batch (BEGIN IMMEDIATE) when none is open."""
        if self._db is None:
            db = store_at(self.crawler.settings["CWATCH_DB"])
            db.conn.__enter__()  # AtomicConnection: other `with db.conn:` blocks of this process join it
            self._db, self._opened_at = db, time.monotonic()
            self._timer = _call_later(self.BATCH_SECONDS, self.flush)
        return self._db

    def flush(self) -> None:
        """Commit the open batch; on failure roll it back and fail the run (its pages are fetched again)."""
        db, outcomes = self._db, self._outcomes
        if db is None:
            return
        self._db, self._outcomes = None, []
        if self._timer is not None and self._timer.active():
            self._timer.cancel()
        self._timer = None
        try:
            db.conn.__exit__(None, None, None)
        except sqlite3.Error as exc:
            if db.conn.in_transaction:
                db.conn.rollback()
            reason = f"storing {len(outcomes)} documents failed at commit: {exc}"
            spider = self.crawler.spider
            if spider is not None and hasattr(spider, "fail"):
                spider.fail(reason)
            else:
                raise
            return
        for outcome in outcomes:
            self.crawler.stats.inc_value(f"cwatch/{outcome}")

    @staticmethod
    def _store(db: Database, item: DocItem) -> str:
        outcome = store_document(
            db,
            DocumentRecord(
                source=item.source,
                url=item.url,
                title=item.title,
                text=item.text,
                language=item.language or "und",
                published=item.published,
                fetched=utcnow(),
                notice_number=item.notice_number,
                attachments=item.attachments,
            ),
        )
        remember_page(
            db,
            item.url,
            item.source,
            listing_hash=item.listing_hash,
            etag=item.etag,
            last_modified=item.last_modified,
        )
        return outcome


def _call_later(seconds: float, call: Any) -> Any:
    """A reactor timer when a reactor runs (a crawl); None otherwise (pipelines driven directly). Importing
    twisted.internet.reactor would install the default reactor, so only an installed one is used."""
    reactor = sys.modules.get("twisted.internet.reactor")
    if reactor is None or not getattr(reactor, "running", False):
        return None
    return reactor.callLater(seconds, call)
