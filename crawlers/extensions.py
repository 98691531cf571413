"""RunRecorder: one crawl_runs row per spider run, judged strictly when the spider closes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawlers.base import SourceSpider
from crawlers.state import store_at
from db.store import finish_crawl_run, start_crawl_run, upsert_source


@dataclass
class Verdict:
    ok: bool
    reason: str | None


def judge(
    *,
    failures: list[str],
    close_reason: str,
    listed: int,
    min_items: int,
    invalid: list[str],
    detail_failures: list[str],
    stored: int,
    timeout_s: float | None = None,
    drift: list[str] | None = None,
) -> Verdict:
    """Strict rules (DESIGN.md §3): any listing failure, an early stop, zero or too few listing entries,
    or invalid documents fail the run. Failed detail pages are counted; they fail the run only when no
    document came through at all."""
    if failures:
        more = f" (+{len(failures) - 1} more)" if len(failures) > 1 else ""
        return Verdict(False, failures[0] + more)
    if close_reason == "closespider_timeout":
        return Verdict(False, f"timeout: crawl stopped after {timeout_s or '?'}s")
    if close_reason != "finished":
        return Verdict(False, f"crawl stopped early: {close_reason}")
    if listed == 0:
        return Verdict(False, "zero items extracted from the listing")
    if listed < min_items:
        return Verdict(False, f"only {listed} items listed, fewer than the minimum of {min_items}")
    if invalid:
        return Verdict(False, f"{len(invalid)} documents invalid (first: {invalid[0]})")
    if detail_failures and stored == 0:
        return Verdict(False, f"all {len(detail_failures)} detail pages failed (first: {detail_failures[0]})")
    notes = [_drift_note(drift)] if drift else []  # collected anyway (URL patterns, fallbacks)
    if detail_failures:
        notes.append(f"{len(detail_failures)} detail pages failed (first: {detail_failures[0]})")
    return Verdict(True, "; ".join(notes) or None)


def _drift_note(drift: list[str]) -> str:
    """The first finding in full, the next two after it: a run can drift in more than one way."""
    more = f" (+{len(drift) - 1} more: {' | '.join(drift[1:3])})" if len(drift) > 1 else ""
    return f"site changed: {drift[0]}{more}"


class RunRecorder:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.run_id: int | None = None
        self.pages = 0
        self.invalid: list[str] = []
        for handler, signal in [
            (self.opened, signals.spider_opened),
            (self.closed, signals.spider_closed),
            (self.response, signals.response_received),
            (self.spider_error, signals.spider_error),
            (self.dropped, signals.item_dropped),
            (self.item_error, signals.item_error),
        ]:
            crawler.signals.connect(handler, signal=signal)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunRecorder:
        return cls(crawler)

    def opened(self, spider: Spider) -> None:
        if not isinstance(spider, SourceSpider):
            return
        db = store_at(spider.settings["CWATCH_DB"])
        for meta in [spider.source_meta(), *spider.extra_sources()]:
            upsert_source(db, meta)
        self.run_id = start_crawl_run(db, spider.name)

    def response(self, response: Response, request: Request, spider: Spider) -> None:
        if request.meta.get("cwatch_role"):  # robots.txt and other housekeeping are not pages
            self.pages += 1

    def spider_error(self, failure: Failure, response: Response, spider: Spider) -> None:
        if not isinstance(spider, SourceSpider):
            return
        where = f"{type(failure.value).__name__}: {failure.value} ({response.url})"
        if response.meta.get("cwatch_role") == "detail":
            spider.count("errors")
            spider.detail_failures.append(f"parsing failed: {where}"[:500])
        else:
            spider.fail(f"parsing listing failed: {where}")

    def dropped(self, item: Any, response: Response, exception: BaseException, spider: Spider) -> None:
        self.invalid.append(str(exception)[:300])

    def item_error(self, item: Any, response: Response, spider: Spider, failure: Failure) -> None:
        if isinstance(spider, SourceSpider):
            spider.fail(f"storing a document failed: {failure.value}")

    def closed(self, spider: Spider, reason: str) -> None:
        if not isinstance(spider, SourceSpider) or self.run_id is None:
            return
        stats = self.crawler.stats
        value = lambda key: int(stats.get_value(f"cwatch/{key}", 0))  # noqa: E731
        verdict = judge(
            failures=spider.failures,
            close_reason=reason,
            listed=value("listed"),
            min_items=spider.min_items,
            invalid=self.invalid,
            detail_failures=spider.detail_failures,
            stored=value("new") + value("changed") + value("unchanged"),
            timeout_s=spider.settings.getfloat("CLOSESPIDER_TIMEOUT"),
            drift=spider.drift,
        )
        finish_crawl_run(
            store_at(spider.settings["CWATCH_DB"]),
            self.run_id,
            ok=verdict.ok,
            reason=verdict.reason,
            pages=self.pages,
            items=value("listed"),
            new=value("new"),
            changed=value("changed"),
            errors=value("errors") + len(self.invalid) + len(spider.failures),
        )
