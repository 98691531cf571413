"""US International Trade Commission (USITC) news releases: injury votes in anti-dumping/countervailing duty
cases, safeguard (Section 201) findings, Section 337 investigations.

The index ``/press_room/news_release/news_release_index.htm`` is a Drupal view: one ``.views-row`` per
release with its link in ``.views-field-title a`` (relative), filterable by month and year
(``field_release_date_value[value][month]``, ``field_release_date_value_1[value][year]``), as a public
monitor of the page reads it (docs/sources.md). Releases live at ``/press_room/news_release/<YYYY>/
er<MMDD>_<N>.htm`` (the file name carries the release day, the folder the year — the form of public
citations, e.g. ``2023/er0315_63679.htm``); the date is read from that address, and rows are found by that
pattern alone when the view markup changes. The RSS feed is refused to some clients (403, recorded by a
public monitor), so the HTML index is used. The release page's body markup is unverified:
``.field--name-body``, else trafilatura.
"""

from __future__ import annotations

import re

from parsel import Selector
from scrapy.http import Response

from crawlers.base import SourceSpider
from crawlers.dates import parse_date
from crawlers.extract import decode
from crawlers.items import DocItem
from crawlers.mixins import Entry, HtmlListingMixin
from crawlers.mixins_cn import clean_text

SITE = "https://www.usitc.gov"
RELEASE = re.compile(r"usitc\.gov/press_room/news_release/(\d{4})/er(\d{2})(\d{2})_?(\w+)?\.html?$")


class UsitcNewsSpider(HtmlListingMixin, SourceSpider):
    name = "us_usitc_news"
    publisher = "US International Trade Commission (USITC)"
    jurisdiction = "US"
    language = "en"
    kind = "official"
    schedule = "2h"
    min_items = 2
    timezone = "America/New_York"
    entry_url = f"{SITE}/press_room/news_release/news_release_index.htm"
    listing_urls = (entry_url,)
    row_selector = ".view-content .views-row"
    content_selector = ".field--name-body"  # the detail page's body region
    link_selector = ".views-field-title a::attr(href)"
    title_selector = ".views-field-title a ::text"
    notice_pattern = RELEASE

    def listing_entries(self, response: Response) -> list[Entry]:
        return self.dated(super().listing_entries(response))

    def pattern_entries(self, response: Response) -> list[Entry]:
        return self.dated(super().pattern_entries(response))

    def dated(self, found: list[Entry]) -> list[Entry]:
        """Release entries only, each dated by its address (``<YYYY>/er<MMDD>_…``)."""
        entries: dict[str, Entry] = {}
        for entry in found:
            match = RELEASE.search(entry.url)
            if match and entry.url not in entries:
                year, month, day, _ = match.groups()
                date = parse_date(f"{year}-{month}-{day}", self.timezone)
                entries[entry.url] = Entry(url=entry.url, title=clean_text([entry.title]), date=date)
        return list(entries.values())

    def detail_item(self, response: Response, entry: Entry) -> DocItem:
        page = Selector(text=decode(response, self.fallback_encodings))
        number = RELEASE.search(entry.url)
        return self.region_document(
            page,
            entry,
            entry.url,
            title=clean_text(page.css("h1 ::text").getall()[:1]) or entry.title,
            published=entry.date,
            notice_number=f"USITC release {number.group(4)}" if number and number.group(4) else None,
        )
