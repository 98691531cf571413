"""Shared platform code: feeds (RSS 2.0, RSS 1.0/RDF and Atom, read by crawlers/feed_parsing.py), JSON APIs,
HTML listing → detail pages.

Mix one into SourceSpider (``class S(FeedMixin, SourceSpider)``) and set its class attributes;
crawlers/README.md shows a complete spider of each kind.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from parsel import Selector
from scrapy import Request
from scrapy.http import Response

from crawlers.dates import normalise_iso
from crawlers.entry import Entry
from crawlers.extract import attachments, element_text, is_web_url
from crawlers.feed_parsing import read_feed
from crawlers.items import DocItem

if TYPE_CHECKING:  # mixins are only ever combined with SourceSpider: let the type checker know
    from crawlers.base import SourceSpider as _SpiderBase
else:
    _SpiderBase = object


# --- JSON APIs -----------------------------------------------------------------------------------


class JsonApiMixin(_SpiderBase):
    def load_json(self, response: Response) -> Any | None:
        """Parsed JSON, or None after failing the run with the parser's message."""
        try:
            return json.loads(response.body)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            self.fail(f"invalid JSON from {response.url}: {exc}")
            return None
        except RecursionError:  # hostile or broken: nesting deeper than the parser's stack
            self.fail(f"invalid JSON from {response.url}: nested too deeply")
            return None

    def require(self, record: Any, fields: tuple[str, ...], where: str) -> bool:
        """Strict: a record lacking a field we rely on fails the run, naming the fields."""
        missing = [f for f in fields if not isinstance(record, dict) or not record.get(f)]
        if missing:
            self.fail(f"missing field(s) {', '.join(missing)} in {where}")
        return not missing


# --- RSS / Atom -----------------------------------------------------------------------------------


class FeedMixin(_SpiderBase):
    """Set `feed_urls`. Each entry's page is fetched (main text by trafilatura) unless `follow_entries`
    is False, when the feed's own summary is the text."""

    feed_urls: tuple[str, ...] = ()
    follow_entries = True

    async def start(self) -> Any:
        for url in self.feed_urls:
            yield self.listing_request(url, self.parse_feed)

    def parse_feed(self, response: Response) -> Iterator[Any]:
        for entry in self.feed_entries(response, self.timezone, f"feed at {response.url}"):
            if self.since and entry.date and entry.date[:10] < self.since:
                continue
            yield from self.follow(entry, response)

    def feed_entries(self, response: Response, tz: str, where: str) -> list[Entry]:
        """The feed's entries (RSS 2.0, RSS 1.0/RDF or Atom). A broken feed fails the run with one line and
        still yields the entries completed before the fault; a readable feed with no entries fails it too."""
        found, fault = read_feed(response.body, response.url, tz)
        if fault:
            kept = f"; {len(found)} entries before the fault kept" if found else ""
            self.fail(f"{fault} — {where}{kept}")
        elif not found:
            self.entries_or_fail(found, response, f"{where}: no items in RSS 2.0, RSS 1.0/RDF or Atom form")
        return found

    def follow(self, entry: Entry, response: Response) -> Iterator[Any]:
        if not self.should_fetch(entry.url, entry.fingerprint):
            return
        if not self.follow_entries:
            item = self.entry_item(entry, None)
            item.listing_hash = entry.fingerprint
            yield item
            return
        yield self.detail_request(
            entry.url,
            self.parse_entry,
            listing_hash=entry.fingerprint,
            cb_kwargs={"entry": entry},
        )

    def parse_entry(self, response: Response, entry: Entry) -> Iterator[Any]:
        yield self.entry_item(entry, response)

    def entry_item(self, entry: Entry, response: Response | None) -> DocItem:
        html = self.page(response).text if response is not None else None
        return DocItem(
            source=self.name,
            url=entry.url,
            title=entry.title,
            html=html,
            text="" if html else entry.summary,
            published=entry.date,
            attachments=attachments(response) if response is not None else [],
        )


# --- detail pages a spider reads itself ---------------------------------------------------------------


class PageRegionMixin(_SpiderBase):
    """For spiders that parse their detail pages themselves: the content region, where attachments are
    looked for, and the document built from the page."""

    content_selector: str | None = None  # on the detail page: the body (default: trafilatura on the page)

    def content_region(self, page: Selector, url: str) -> str | None:
        """For spiders that parse the detail page themselves: `content_selector` when the page has it; None
        when the spider names no region, or (after recording "site changed") when the page lacks it. The
        caller then leaves the text to trafilatura."""
        if not self.content_selector:
            return None
        if not page.css(self.content_selector):
            self.site_changed(f"content selector {self.content_selector!r} matched nothing on {url}")
            return None
        return self.content_selector

    def attachment_scope(self, region: str | None) -> str | None:
        """Where a self-parsing spider looks for attachments: inside the region; nowhere when the page lacks
        the region it names; the whole page when it names none."""
        if region:
            return region
        return None if self.content_selector else "html"

    def page_document(self, page: Selector, entry: Entry, text: str, **fields: Any) -> DocItem:
        """The document read from its own page; with no text of the spider's own (the region was missing)
        the page's HTML goes to trafilatura."""
        return DocItem(
            source=self.name, url=entry.url, text=text, html=None if text else page.get(), **fields
        )

    def region_document(
        self, page: Selector, entry: Entry, base_url: str, *, inner: tuple[str, ...] = ("",), **fields: Any
    ) -> DocItem:
        """The document from the page's content region: the text of the first of `inner` (selectors inside
        the region, "" for the region itself) that has any, and the attachments linked inside the region."""
        from crawlers.mixins_cn import attachments as region_attachments  # mixins_cn builds on this module
        from crawlers.mixins_cn import block_text

        region = self.content_region(page, entry.url)
        texts = (block_text(page, f"{region} {css}".strip()) for css in inner) if region else iter(())
        return self.page_document(
            page,
            entry,
            next((text for text in texts if text), ""),
            attachments=region_attachments(page, self.attachment_scope(region), base_url),
            **fields,
        )


# --- HTML listing → detail pages --------------------------------------------------------------------


class HtmlListingMixin(PageRegionMixin):
    """Set `listing_urls` and the CSS selectors; override `detail_item` for publisher-specific fields.

    Pagination is followed only when backfilling (`--since`), up to CWATCH_PAGE_CAP pages."""

    listing_urls: tuple[str, ...] = ()
    row_selector = "li"  # one element per entry
    link_selector = "a::attr(href)"  # inside a row
    title_selector = "a::text"  # inside a row
    date_selector: str | None = None  # inside a row: text holding the date
    next_selector: str | None = None  # link to the next listing page
    detail_date_selector: str | None = None  # on the detail page: text holding the date
    # The publisher's URL pattern for notice pages: when the selectors find no rows but links of this
    # pattern exist, the run records "site changed" and still collects them.
    notice_pattern: re.Pattern[str] | None = None

    async def start(self) -> Any:
        for url in self.listing_urls:
            yield self.listing_request(url, self.parse_listing, cb_kwargs={"page": 1})

    def listing_entries(self, response: Response) -> list[Entry]:
        entries = []
        for row in response.css(self.row_selector):
            href = row.css(self.link_selector).get()
            title = " ".join(t.strip() for t in row.css(self.title_selector).getall() if t.strip())
            if not href or not title or not is_web_url(response.urljoin(href.strip())):
                continue  # javascript:, data:, mailto: … are never followed
            date_text = " ".join(row.css(self.date_selector).getall()).strip() if self.date_selector else None
            entries.append(
                Entry(
                    url=response.urljoin(href.strip()),
                    title=title,
                    date=normalise_iso(date_text, self.timezone),
                )
            )
        return entries

    def pattern_entries(self, response: Response) -> list[Entry]:
        """Every link on the page whose URL matches `notice_pattern` (title: the link's text)."""
        found: dict[str, Entry] = {}
        for link in response.css("a[href]") if self.notice_pattern else ():
            url = response.urljoin(link.attrib["href"].strip())
            title = (link.attrib.get("title") or " ".join(link.css("::text").getall())).strip()
            if self.notice_pattern.search(url) and title and url not in found:  # type: ignore[union-attr]
                found[url] = Entry(url=url, title=" ".join(title.split()))
        return list(found.values())

    def parse_listing(self, response: Response, page: int) -> Iterator[Any]:
        response = self.page(response)
        entries = self.listing_entries(response)
        if not entries and self.notice_pattern is not None:
            entries = self.pattern_entries(response)
            if entries:
                self.site_changed(
                    f"listing selector {self.row_selector!r} matched nothing on {response.url}; "
                    f"{len(entries)} notices found by URL pattern"
                )
        found = self.entries_or_fail(entries, response, f"selector {self.row_selector!r}")
        oldest = None
        for entry in found:
            oldest = min(oldest or entry.date or "9", entry.date or "9")
            if self.since and entry.date and entry.date[:10] < self.since:
                continue
            if self.should_fetch(entry.url, entry.fingerprint):
                yield self.detail_request(
                    entry.url,
                    self.parse_detail,
                    listing_hash=entry.fingerprint,
                    cb_kwargs={"entry": entry},
                )
        backfilling = self.since and (oldest is None or oldest[:10] >= self.since)
        next_url = self.next_page_url(response, page) if backfilling and page < self.page_cap else None
        if next_url:
            yield self.listing_request(next_url, self.parse_listing, cb_kwargs={"page": page + 1})

    def next_page_url(self, response: Response, page: int) -> str | None:
        """The listing page after `page` (followed only when backfilling): the `next_selector` link."""
        next_href = response.css(self.next_selector).get() if self.next_selector else None
        return response.urljoin(next_href) if next_href else None

    def parse_detail(self, response: Response, entry: Entry) -> Iterator[Any]:
        yield self.detail_item(response, entry)

    def detail_item(self, response: Response, entry: Entry) -> DocItem | Request:
        page = self.page(response)
        html = page.text
        date_text = (
            " ".join(page.css(self.detail_date_selector).getall()).strip()
            if self.detail_date_selector
            else None
        )
        body = page.css(self.content_selector)[:1] if self.content_selector else None
        if self.content_selector and not body:  # trafilatura reads the whole page instead
            self.site_changed(f"content selector {self.content_selector!r} matched nothing on {entry.url}")
        return DocItem(
            source=self.name,
            url=entry.url,
            title=entry.title,
            text=element_text(body[0].root) if body else "",
            html=html,  # trafilatura when no region matched; htmldate when neither listing nor page gave a date
            published=normalise_iso(date_text, self.timezone) or entry.date,
            attachments=attachments(page, self.content_selector),
        )
