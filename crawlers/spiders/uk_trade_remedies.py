"""UK Trade Remedies Authority: the organisation's gov.uk Atom feed, then each notice (SOURCES.md §15)."""

from __future__ import annotations

from scrapy.http import Response

from crawlers.base import SourceSpider
from crawlers.dates import normalise_iso
from crawlers.extract import attachments
from crawlers.items import DocItem
from crawlers.mixins import Entry, FeedMixin


class UkTradeRemediesSpider(FeedMixin, SourceSpider):
    name = "uk_trade_remedies"
    publisher = "Trade Remedies Authority (UK)"
    jurisdiction = "GB"
    language = "en"
    kind = "official"
    schedule = "1h"
    min_items = 1
    pdf_attachments = True
    timezone = "Europe/London"
    entry_url = "https://www.gov.uk/government/organisations/trade-remedies-authority.atom"
    feed_urls = (entry_url,)

    def entry_item(self, entry: Entry, response: Response | None) -> DocItem:
        if response is None:
            return super().entry_item(entry, response)
        page = self.page(response)
        # gov.uk states first publication in a meta tag; the feed's <updated> moves on every edit.
        first = page.css('meta[name="govuk:first-published-at"]::attr(content)').get()
        body = page.css(".govuk-govspeak, .gem-c-govspeak").get()
        title = page.css("h1::text").get()
        return DocItem(
            source=self.name,
            url=entry.url,
            title=(title or entry.title).strip(),
            html=body or page.text,
            published=normalise_iso(first, self.timezone) or entry.date,
            attachments=attachments(page, "main"),
        )
