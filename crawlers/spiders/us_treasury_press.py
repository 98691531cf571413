"""US Treasury press releases: sanctions announcements, the outbound investment security program (rules on
US investment in Chinese semiconductors, quantum and AI), CFIUS actions.

The list ``https://home.treasury.gov/news/press-releases`` links each release from a
``.featured-stories__headline a`` (RSSHub ``treasury/press-releases``); an older form of the view, read by a
public Treasury/OFAC monitor, has ``div.mm-news-row`` rows with ``.news-title a`` and ``time[datetime]``, and
both are accepted. Releases live at ``/news/press-releases/<id>`` (``sb0123``, ``jy2687`` — the id is the
stable number; rows are found by that pattern alone when the list markup changes). The release page holds
the body in ``.field--name-field-news-body`` and its date in ``time[datetime]`` (both as RSSHub reads them).
"""

from __future__ import annotations

import re

from parsel import Selector
from scrapy.http import Response

from crawlers.base import SourceSpider
from crawlers.dates import normalise_iso
from crawlers.extract import decode
from crawlers.items import DocItem
from crawlers.mixins import Entry, HtmlListingMixin
from crawlers.mixins_cn import clean_text

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
    row_selector = "div.view-content div.mm-news-row, .featured-stories__headline"
    content_selector = ".field--name-field-news-body"  # the detail page's body region
    link_selector = "a::attr(href)"
    title_selector = "a ::text"
    date_selector = "time::attr(datetime)"
    next_selector = "li.pager__item--next a::attr(href)"
    notice_pattern = RELEASE

    def listing_entries(self, response: Response) -> list[Entry]:
        return [
            Entry(url=e.url, title=clean_text([e.title]), date=e.date)
            for e in super().listing_entries(response)
            if RELEASE.search(e.url)
        ]

    def detail_item(self, response: Response, entry: Entry) -> DocItem:
        page = Selector(text=decode(response, self.fallback_encodings))
        number = RELEASE.search(entry.url)
        return self.region_document(
            page,
            entry,
            entry.url,
            title=clean_text(page.css("h2.uswds-page-title ::text, h1 ::text").getall()[:1]) or entry.title,
            published=entry.date or normalise_iso(page.css("time::attr(datetime)").get(), self.timezone),
            notice_number=f"Treasury press release {number.group(1)}" if number else None,
        )
