"""OFAC (US Treasury) recent actions: sanctions designations, removals, general licenses, advisories.

The list ``https://ofac.treasury.gov/recent-actions`` is a Drupal view: one ``.view-content .views-row`` per
action, ``div.margin-top-1`` holding "January 10, 2025 - Category" (as a public Treasury/OFAC monitor reads
it; a public sanctions-news bot reads ``.views-row``, its first ``a`` and ``.date-display-single``,
filtering by ``?ra-start-date=MM/DD/YYYY``). Each action page lives at ``/recent-actions/YYYYMMDD``, or
``/recent-actions/YYYYMMDD_N`` when several share a day; the date is taken from that address (the publisher's own, stable), the row's text only backs
it up. The page body is ``.field--name-body`` when present, else trafilatura's main text. Rows are matched
by the URL pattern; the row class cross-checks.
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

SITE = "https://ofac.treasury.gov"
ACTION = re.compile(r"ofac\.treasury\.gov/recent-actions/(\d{4})(\d{2})(\d{2})(?:_(\d+))?$")


class OfacRecentActionsSpider(HtmlListingMixin, SourceSpider):
    name = "us_ofac_recent"
    publisher = "US Treasury, Office of Foreign Assets Control (OFAC)"
    jurisdiction = "US"
    language = "en"
    kind = "official"
    schedule = "30m"
    min_items = 2
    timezone = "America/New_York"
    entry_url = f"{SITE}/recent-actions"
    listing_urls = (entry_url,)
    row_selector = ".view-content .views-row, main li"
    content_selector = ".field--name-body"  # the detail page's body region
    link_selector = "a[href*='/recent-actions/']::attr(href)"
    title_selector = "a[href*='/recent-actions/'] ::text"
    # "January 10, 2025 - Category" (one public monitor); a Drupal date field (another): the address wins
    date_selector = ".margin-top-1::text, .date-display-single::text"
    next_selector = "a[rel='next']::attr(href)"

    def listing_entries(self, response: Response) -> list[Entry]:
        entries: dict[str, Entry] = {}
        for entry in super().listing_entries(response):
            found = ACTION.search(entry.url.split("?")[0].rstrip("/"))
            if found and entry.url not in entries:
                y, m, d, _ = found.groups()
                date = parse_date(f"{y}-{m}-{d}", self.timezone) or entry.date
                entries[entry.url] = Entry(url=entry.url, title=clean_text([entry.title]), date=date)
        return list(entries.values())

    def detail_item(self, response: Response, entry: Entry) -> DocItem:
        page = Selector(text=decode(response, self.fallback_encodings))
        return self.region_document(
            page,
            entry,
            response.url,
            title=clean_text(page.css("h1 ::text").getall()[:1]) or entry.title,
            published=entry.date,
            notice_number="OFAC " + entry.url.rsplit("/", 1)[-1],
        )
