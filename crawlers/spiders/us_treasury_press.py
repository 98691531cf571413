"""US Treasury press releases: sanctions announcements, the outbound investment security program (rules on
US investment in Chinese semiconductors, quantum and AI), CFIUS actions.

The list ``https://home.treasury.gov/news/press-releases`` is a Drupal view: ``div.view-content
div.mm-news-row`` per release, the link in ``.news-title a``, the date in ``time[datetime]`` (as a public
Treasury/OFAC monitor reads it). Releases live at ``/news/press-releases/<id>`` (``sb0123``, ``jy2687`` —
the id is the stable number). The body selector is unverified: ``.field--name-field-news-body`` is tried,
else trafilatura's main text.
"""

from __future__ import annotations

import re

from parsel import Selector
from scrapy.http import Response

from crawlers.base import SourceSpider
from crawlers.extract import decode
from crawlers.items import DocItem
from crawlers.mixins import Entry, HtmlListingMixin
from crawlers.mixins_cn import attachments, block_text, clean_text

SITE = "https://home.treasury.gov"
RELEASE = re.compile(r"home\.treasury\.gov/news/press-releases/([a-z]{2}\d{3,5})$")


class TreasuryPressSpider(HtmlListingMixin, SourceSpider):
    name = "us_treasury_press"
    publisher = "US Department of the Treasury"
    jurisdiction = "US"
    language = "en"
    kind = "official"
    schedule = "30m"
    min_items = 2
    timezone = "America/New_York"
    entry_url = f"{SITE}/news/press-releases"
    listing_urls = (entry_url,)
    row_selector = "div.view-content div.mm-news-row"
    content_selector = ".field--name-field-news-body"  # the detail page's body region
    link_selector = ".news-title a::attr(href)"
    title_selector = ".news-title a ::text"
    date_selector = "time::attr(datetime)"
    next_selector = "li.pager__item--next a::attr(href)"

    def listing_entries(self, response: Response) -> list[Entry]:
        return [
            Entry(url=e.url, title=clean_text([e.title]), date=e.date)
            for e in super().listing_entries(response)
            if RELEASE.search(e.url)
        ]

    def detail_item(self, response: Response, entry: Entry) -> DocItem:
        page = Selector(text=decode(response, self.fallback_encodings))
        region = self.content_region(page, entry.url)
        text = block_text(page, region) if region else ""
        number = RELEASE.search(entry.url)
        return DocItem(
            source=self.name,
            url=entry.url,
            title=clean_text(page.css("h2.uswds-page-title ::text, h1 ::text").getall()[:1]) or entry.title,
            text=text,
            html=None if text else page.get(),
            published=entry.date,
            notice_number=f"Treasury press release {number.group(1)}" if number else None,
            attachments=attachments(page, self.attachment_scope(region), entry.url),
        )
