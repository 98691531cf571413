"""USTR press releases: HTML listing → article (SOURCES.md §2). Dates are written "December 23, 2024"."""

from __future__ import annotations

from scrapy.http import Response

from crawlers.base import SourceSpider
from crawlers.dates import parse_date
from crawlers.extract import attachments
from crawlers.items import DocItem
from crawlers.mixins import Entry, HtmlListingMixin

BASE = "https://ustr.gov/about-us/policy-offices/press-office/press-releases"


class UstrPressSpider(HtmlListingMixin, SourceSpider):
    name = "us_ustr_press"
    publisher = "Office of the United States Trade Representative (USTR)"
    jurisdiction = "US"
    language = "en"
    kind = "official"
    schedule = "1h"
    min_items = 3
    timezone = "America/New_York"
    entry_url = BASE
    listing_urls = (BASE,)
    row_selector = ".view-content li"
    link_selector = "a[href*='/press-releases/']::attr(href)"
    title_selector = "a[href*='/press-releases/']::text"
    date_selector = ".date-display-single::text"
    next_selector = "li.pager-next a::attr(href)"
    content_selector = ".field-name-body"

    def detail_item(self, response: Response, entry: Entry) -> DocItem:
        page = self.page(response)
        when = " ".join(page.css(".field-name-field-date ::text, .date-display-single::text").getall())
        title = page.css("h1.title::text, h1::text").get()
        return DocItem(
            source=self.name,
            url=entry.url,
            title=(title or entry.title).strip(),
            html=page.css(self.content_selector).get() or page.text,
            published=parse_date(when, self.timezone) or entry.date,
            attachments=attachments(page, self.content_selector),
        )
