"""Trade news: a generic RSS/Atom spider driven by crawlers/feeds.yaml (or CWATCH_FEEDS_FILE).

One crawl run covers every feed; each feed is its own source in the store (publisher, language, kind),
so a news lead is attributed to its publisher. A broken feed fails the run with the feed named.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field
from scrapy.http import Response

from crawlers.base import SourceSpider
from crawlers.items import DocItem
from crawlers.mixins import Entry, FeedMixin
from db.records import SourceMeta

DEFAULT_FEEDS = Path(__file__).resolve().parent.parent / "feeds.yaml"


class Feed(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{2,60}$")
    publisher: str
    url: str = Field(pattern=r"^https?://")
    language: str = Field(pattern=r"^[a-z]{2}$")
    kind: Literal["news", "official", "other"] = "news"
    jurisdiction: str = "XX"
    timezone: str = "UTC"
    follow: bool = False


def load_feeds(path: Path | str = DEFAULT_FEEDS) -> list[Feed]:
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    return [Feed.model_validate(item) for item in data.get("feeds", [])]


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

    def follow(self, entry: Entry, response: Response) -> Any:
        feed: Feed = response.meta["feed"]
        if not self.should_fetch(entry.url, entry.fingerprint):
            return
        if feed.follow:
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
