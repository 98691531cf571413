"""Test-only spiders for hostile sites, built on the real mixins (listing, feed, JSON API)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Response

from crawlers.base import SourceSpider
from crawlers.items import DocItem
from crawlers.mixins import FeedMixin, HtmlListingMixin, JsonApiMixin
from crawlers.state import fingerprint


class HostileListingSpider(HtmlListingMixin, SourceSpider):
    name = "hostile_listing"
    publisher = "Hostile test site"
    jurisdiction = "XX"
    timezone = "UTC"
    entry_url = "https://www.hostile.example/news/index.html"
    listing_urls = (entry_url,)
    row_selector = "ul.news li"
    content_selector = "div.body"


class TrustingListingSpider(HostileListingSpider):
    """The same site, but the operator declared a partner domain its notices may redirect to."""

    name = "hostile_trusting"
    redirect_domains = ("partner.example.org",)


class HostileFeedSpider(FeedMixin, SourceSpider):
    name = "hostile_feed"
    publisher = "Hostile feed"
    jurisdiction = "XX"
    kind = "news"
    entry_url = "https://feeds.hostile.example/feed.xml"
    feed_urls = (entry_url,)
    follow_entries = False  # the feed's summary is the text: the feed alone is under test


class HostileApiSpider(JsonApiMixin, SourceSpider):
    name = "hostile_api"
    publisher = "Hostile API"
    jurisdiction = "XX"
    entry_url = "https://api.hostile.example/v1/documents.json"

    async def start(self) -> Any:
        yield self.listing_request(self.entry_url, self.parse_api)

    def parse_api(self, response: Response) -> Iterator[DocItem]:
        data = self.load_json(response)
        if data is None:
            return
        results = data.get("results", []) if isinstance(data, dict) else []
        for record in self.entries_or_fail(results, response, "results"):
            if self.require(record, ("url", "title", "text"), response.url) and self.should_fetch(
                record["url"], fingerprint(record["url"], record["title"])
            ):
                yield DocItem(source=self.name, url=record["url"], title=record["title"], text=record["text"])
