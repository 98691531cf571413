"""SourceSpider: the base of every spider. Source metadata as class attributes, strict failure recording,
and the incremental rules (listing pages always fetched, detail pages only when new or changed)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from sqlite_utils import Database
from twisted.python.failure import Failure

from crawlers.extract import decode, pdf_text
from crawlers.items import DocItem
from crawlers.state import page_state, remember_page, store_at
from db.records import SourceMeta

RETRY_PREFIX = "retry:"  # listing hash of a document stored from its listing alone (page fetch failed)


def short_url(url: str, limit: int = 120) -> str:
    return url if len(url) <= limit else url[: limit - 1] + "…"


def describe_failure(failure: Failure, timeout_s: float | None = None) -> str:
    """A short reason an operator understands: 'HTTP 500 from URL', 'timeout after 30s: URL' …"""
    exc = failure.value
    request = getattr(failure, "request", None)
    url = short_url(request.url) if request is not None else ""
    if isinstance(exc, HttpError):
        return f"HTTP {exc.response.status} from {short_url(exc.response.url)}"
    name = type(exc).__name__
    text = str(exc) or name
    if "robots.txt" in text:
        return f"forbidden by robots.txt: {url}"
    if "max redirections" in text.lower() or "redirect" in name.lower():
        return f"redirect loop (too many redirects): {url}"
    if "Timeout" in name or "timed out" in text.lower():
        return f"timeout after {timeout_s or '?'}s: {url}"
    if "DataLoss" in name or "ResponseFailed" in name or "PotentialDataLoss" in text:
        return f"truncated response (connection closed early): {url}"
    if "maxsize" in text.lower() or "max size" in text.lower() or "Cancelled" in name:
        return f"response larger than the download size cap: {url}"
    return f"{name}: {text[:200]} ({url})"


class SourceSpider(scrapy.Spider):
    # --- source metadata (DESIGN.md §1); every concrete spider sets these ---------------------
    name: str = ""
    publisher: str = ""
    jurisdiction: str = ""  # ISO alpha-2, "EU", or "XX" for multi-jurisdiction feeds
    language: str = "en"
    kind: str = "official"  # official | news | other
    schedule: str | None = None  # "30m", "2h" or a crontab
    min_items: int = 1  # fewer listing entries than this on a run = the site changed
    timezone: str = "UTC"  # publisher's zone: dates without one are read as local time there
    entry_url: str | None = None  # the listing/API/feed an operator would open
    fallback_encodings: tuple[str, ...] = ()  # tried when a page declares no charset and is not UTF-8
    pdf_attachments = False  # fetch a new document's first PDF attachment and add its text
    browser = False  # fetch listing and detail pages through headless chromium (crawlers/browser.py)
    browser_wait: str | None = None  # CSS the rendered page must show before it is read

    def __init__(self, since: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.since = date.fromisoformat(since).isoformat() if since else None
        self.failures: list[str] = []
        self.detail_failures: list[str] = []
        self.drift: list[str] = []  # "site changed" findings of a run that still collected

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Any:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.apply_overrides(crawler.settings.getdict("CWATCH_SOURCES").get(cls.name) or {})
        return spider

    def apply_overrides(self, overrides: dict[str, Any]) -> None:
        """Operators fix drift without code (config `crawl.settings.CWATCH_SOURCES.<slug>.<attribute>`):
        entry and listing URLs, hosts, paths, ids and URL patterns — any plain attribute the spider declares.
        An unknown name or a wrong type fails the run, naming it."""
        for key, value in overrides.items():
            current = getattr(type(self), key, None)
            if (
                key.startswith("_")
                or not hasattr(type(self), key)
                or not isinstance(current, bool | str | tuple | dict | re.Pattern | type(None))
            ):
                self.fail(f"unknown override {key!r} for source {self.name}")
                continue
            if isinstance(current, bool):
                value = value if isinstance(value, bool) else None
            elif isinstance(current, re.Pattern):
                value = re.compile(str(value))
            elif isinstance(current, tuple):
                value = tuple(value) if isinstance(value, list | tuple) else (value,)
            elif isinstance(current, dict):
                value = {**current, **dict(value)} if isinstance(value, dict) else None
            elif not isinstance(value, str):
                value = None
            if value is None:
                self.fail(f"override {key!r} for source {self.name} has the wrong type")
                continue
            setattr(self, key, value)

    @classmethod
    def source_meta(cls) -> SourceMeta:
        return SourceMeta(
            slug=cls.name,
            publisher=cls.publisher,
            jurisdiction=cls.jurisdiction,
            language=cls.language,
            kind=cls.kind,
            url=cls.entry_url,
            schedule=cls.schedule,
            min_items=cls.min_items,
            timezone=cls.timezone,
        )

    def extra_sources(self) -> list[SourceMeta]:
        """Other sources this spider stores documents for (a feed spider's publishers)."""
        return []

    # --- plumbing -------------------------------------------------------------------------------

    @property
    def db(self) -> Database:
        return store_at(self.settings["CWATCH_DB"])

    @property
    def page_cap(self) -> int:
        return self.settings.getint("CWATCH_PAGE_CAP")

    def page(self, response: Response) -> Response:
        """The response re-decoded when it declares no charset (GB18030/Shift_JIS served as bare
        text/html), so selectors see the right characters. See extract.decode."""
        if not isinstance(response, TextResponse):
            return response
        text = decode(response, self.fallback_encodings)
        if text is response.text:  # the charset was declared: nothing to re-decode (saves a re-parse)
            return response
        return response.replace(body=text.encode("utf-8"), encoding="utf-8")

    def count(self, key: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(f"cwatch/{key}", n)

    def site_changed(self, finding: str) -> None:
        """Record that the page no longer looks as the spider expects though the run still collects
        (selectors missed, URL patterns found the notices): reported on the run, the run stays ok."""
        if finding not in self.drift:
            self.logger.warning("site changed: %s", finding)
            self.drift.append(finding[:300])
        self.count("drift")

    def fail(self, reason: str) -> None:
        """Record why this run failed (the first reason is reported); crawling of other pages goes on."""
        self.logger.error("source failure: %s", reason)
        self.failures.append(reason[:500])

    # --- incremental rules -----------------------------------------------------------------------

    def should_fetch(self, url: str, listing_hash: str) -> bool:
        """Count a listing entry; False when the entry is unchanged since the document was stored."""
        self.count("listed")
        limit = self.settings.getint("CWATCH_DETAIL_LIMIT")  # `sources check`: one detail page is enough
        if limit and self.crawler.stats.get_value("cwatch/fetch_decisions", 0) >= limit:
            return False
        self.count("fetch_decisions")
        known = page_state(self.db, url)
        if known is not None and known.listing_hash == listing_hash:
            self.count("skipped")
            return False
        return True

    def _browser_meta(self) -> dict[str, Any]:
        return {"cwatch_browser": True, "cwatch_browser_wait": self.browser_wait} if self.browser else {}

    def listing_request(self, url: str, callback: Callable[..., Any], **kwargs: Any) -> scrapy.Request:
        """Listing pages: fetched every run, never cached, never deduplicated away; failure fails the run."""
        meta = {"cwatch_role": "listing", **self._browser_meta(), **kwargs.pop("meta", {})}
        headers = {"Cache-Control": "no-cache", **kwargs.pop("headers", {})}
        return scrapy.Request(
            url, callback, errback=self._listing_error, meta=meta, headers=headers, dont_filter=True, **kwargs
        )

    def detail_request(
        self,
        url: str,
        callback: Callable[..., Any],
        *,
        key: str | None = None,
        listing_hash: str | None = None,
        cb_kwargs: dict[str, Any] | None = None,
        conditional: bool = True,
        partial: DocItem | None = None,
        **kwargs: Any,
    ) -> scrapy.Request:
        """A detail page, conditional when validators are known. `key` is the document's canonical URL
        when the fetched URL differs (an API's full-text link). A 304 is recorded as unchanged.
        Pass conditional=False when the document also takes text from the listing entry.
        `partial`: what the listing already says (an API abstract); stored when the page cannot be fetched,
        under a listing hash that never matches, so the next run fetches the page again."""
        key = key or url
        headers: dict[str, str] = {}
        known = page_state(self.db, key) if conditional else None
        if known is not None:
            if known.etag:
                headers["If-None-Match"] = known.etag
            if known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
        meta = {
            "cwatch_role": "detail",
            "cwatch_key": key,
            "cwatch_listing_hash": listing_hash,
            "handle_httpstatus_list": [304],
            "cwatch_partial": partial,
            **self._browser_meta(),
            **kwargs.pop("meta", {}),
        }
        return scrapy.Request(
            url,
            self._detail,
            errback=self._detail_error,
            headers=headers,
            meta=meta,
            cb_kwargs={"cwatch_callback": callback, **(cb_kwargs or {})},
            **kwargs,
        )

    def _detail(
        self, response: Response, cwatch_callback: Callable[..., Any], **kwargs: Any
    ) -> Iterator[Any]:
        key, listing_hash = response.meta["cwatch_key"], response.meta["cwatch_listing_hash"]
        if response.status == 304:
            self.count("unchanged")
            remember_page(self.db, key, self.name, listing_hash=listing_hash, etag=None, last_modified=None)
            return
        etag = response.headers.get(b"ETag")
        modified = response.headers.get(b"Last-Modified")
        for result in cwatch_callback(response, **kwargs) or ():
            if isinstance(result, DocItem):
                result.listing_hash = result.listing_hash or listing_hash
                result.etag = result.etag or (etag.decode("latin-1") if etag else None)
                result.last_modified = result.last_modified or (
                    modified.decode("latin-1") if modified else None
                )
                if result.url != key:  # state is kept under the canonical URL the listing gave
                    result.url = key
                result = self._with_pdf(result)
            yield result

    def _with_pdf(self, item: DocItem) -> DocItem | scrapy.Request:
        pdf = next((a for a in item.attachments if a.lower().split("?")[0].endswith(".pdf")), None)
        if not (self.pdf_attachments and pdf):
            return item
        return scrapy.Request(
            pdf,
            self._pdf_done,
            errback=self._pdf_failed,
            cb_kwargs={"item": item},
            meta={"cwatch_role": "attachment", "cwatch_item": item},
            dont_filter=True,
        )

    def _pdf_done(self, response: Response, item: DocItem) -> Iterator[DocItem]:
        item.attachment_text = pdf_text(response.body)
        yield item

    def _pdf_failed(self, failure: Failure) -> Iterator[DocItem]:
        # The notice page is the document; a missing PDF is logged, not fatal.
        self.logger.warning("attachment failed: %s", describe_failure(failure))
        yield failure.request.meta["cwatch_item"]  # type: ignore[attr-defined]  # set by Scrapy

    def _listing_error(self, failure: Failure) -> None:
        self.fail("listing " + describe_failure(failure, self.settings.getfloat("DOWNLOAD_TIMEOUT")))

    def _detail_error(self, failure: Failure) -> Iterator[DocItem]:
        reason = describe_failure(failure, self.settings.getfloat("DOWNLOAD_TIMEOUT"))
        self.logger.warning("detail page failed: %s", reason)
        self.count("errors")
        self.detail_failures.append(reason)
        meta = failure.request.meta  # type: ignore[attr-defined]  # set by Scrapy
        partial: DocItem | None = meta.get("cwatch_partial")
        if partial is not None:
            self.count("partial")
            partial.listing_hash = RETRY_PREFIX + (meta.get("cwatch_listing_hash") or "")
            partial.url = meta["cwatch_key"]
            yield partial

    def entries_or_fail(self, entries: Iterable[Any], response: Response, what: str) -> list[Any]:
        """Strict rule: a 200 listing with nothing extracted means the site changed."""
        found = list(entries)
        if not found:
            self.fail(f"zero items extracted from listing {response.url} ({what})")
        return found
