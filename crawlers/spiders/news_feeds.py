"""Trade news: a generic feed spider driven by crawlers/feeds.yaml (or CWATCH_FEEDS_FILE).

One crawl run covers every feed; each feed is its own source in the store (publisher, language, kind),
so a news lead is attributed to its publisher. Formats: RSS 2.0, Atom and RSS 1.0 (RDF: ``rdf:RDF`` root,
``item`` elements in the RSS 1.0 namespace as siblings of ``channel``, dated by Dublin Core ``dc:date``).

An entry the feed leaves undated or without a summary (Nikkei Asia's RDF items have neither; Taipei Times'
descriptions are empty) is read from its page: the page's date metadata, then htmldate; the page text.
A broken feed fails the run with one line naming the feed and the fault; the entries before the fault are
still stored, and the other feeds are crawled as usual.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Response

from crawlers.base import SourceSpider
from crawlers.dates import normalise_iso
from crawlers.feed_list import DEFAULT_FEEDS, Feed, load_feeds
from crawlers.items import DocItem
from crawlers.mixins import Entry, FeedMixin
from db.records import SourceMeta

# Where article pages state their publication time (Nikkei Asia: <meta name="date" content="…+09:00">).
PAGE_DATE_META = (
    'meta[name="date"]::attr(content)',
    'meta[property="article:published_time"]::attr(content)',
    'meta[itemprop="datePublished"]::attr(content)',
    'meta[name="pubdate"]::attr(content)',
    'meta[name="dcterms.date"]::attr(content)',
)


class NewsFeedsSpider(FeedMixin, SourceSpider):
    name = "news_feeds"
    publisher = "Trade news feeds (crawlers/feeds.yaml)"
    jurisdiction = "XX"
    language = "en"
    kind = "news"
    schedule = "15m"
    min_items = 1
    timezone = "UTC"

    @property
    def feeds(self) -> list[Feed]:
        if not hasattr(self, "_feeds"):
            self._feeds = load_feeds(self.settings.get("CWATCH_FEEDS_FILE") or DEFAULT_FEEDS)
        return self._feeds

    def extra_sources(self) -> list[SourceMeta]:
        return [
            SourceMeta(
                slug=f.id,
                publisher=f.publisher,
                jurisdiction=f.jurisdiction,
                language=f.language,
                kind=f.kind,
                url=f.url,
                schedule=self.schedule,
                timezone=f.timezone,
            )
            for f in self.feeds
        ]

    async def start(self) -> Any:
        for feed in self.feeds:
            yield self.listing_request(feed.url, self.parse_feed, meta={"feed": feed})

    def parse_feed(self, response: Response) -> Iterator[Any]:
        feed: Feed = response.meta["feed"]
        found = self.feed_entries(response, feed.timezone, f"feed {feed.id} at {response.url}")
        for entry in found:
            if self.since and entry.date and entry.date[:10] < self.since:
                continue
            yield from self.follow(entry, response)

    def follow(self, entry: Entry, response: Response) -> Any:
        feed: Feed = response.meta["feed"]
        if not self.should_fetch(entry.url, entry.fingerprint):
            return
        # An undated or empty entry would be stored without a date or dropped for want of text: its page
        # has both, so it is fetched whatever the feed's `follow`.
        if feed.follow or not entry.date or not _strip_tags(entry.summary).strip():
            yield self.detail_request(
                entry.url,
                self.parse_entry,
                listing_hash=entry.fingerprint,
                cb_kwargs={"entry": entry},
                meta={"feed": feed},
            )
            return
        yield DocItem(
            source=feed.id,
            url=entry.url,
            title=entry.title,
            text=_strip_tags(entry.summary),
            language=feed.language,
            published=entry.date,
            listing_hash=entry.fingerprint,
        )

    def entry_item(self, entry: Entry, response: Response | None) -> DocItem:
        item = super().entry_item(entry, response)
        if response is not None:
            feed: Feed = response.meta["feed"]
            item.source, item.language = feed.id, feed.language
            if not item.published:  # the feed gave no date: the page's own metadata, else htmldate later
                page = self.page(response)
                stamp = next(
                    (v for v in (page.css(q).get() for q in PAGE_DATE_META) if v and v.strip()), None
                )
                item.published = normalise_iso(stamp.strip(), feed.timezone) if stamp else None
        return item


def _strip_tags(html: str) -> str:
    """Feed summaries are often escaped HTML."""
    import lxml.html

    if "<" not in html:
        return html
    try:
        return str(lxml.html.fromstring(html).text_content())
    except (ValueError, lxml.etree.ParserError):
        return html
