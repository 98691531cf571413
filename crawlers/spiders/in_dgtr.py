"""India's Directorate General of Trade Remedies (DGTR): anti-dumping investigations, one page per case.

The index ``/en/anti-dumping-investigation-in-india`` (Drupal, server-rendered) links each case at
``/en/anti-dumping-cases/<slug>`` and shows no dates (as public DGTR monitors record, which key cases by the
slug). A case page lists its proceedings in a table — event (Initiation Notification, Preliminary Findings,
Final Findings …) and a ``DD/MM/YYYY`` date — and shows "Last Updated". The case page is the document: its
date is the first event's (the initiation), its text the event table; a new event changes the page, which
is fetched again (conditional on ETag/Last-Modified). Table markup beyond the column order is unverified.
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

SITE = "https://www.dgtr.gov.in"
CASE = re.compile(r"dgtr\.gov\.in/en/anti-dumping-cases/[\w-]+$")
DMY = re.compile(r"\b(\d{2})/(\d{2})/(\d{4})\b")


def dmy(text: str, tz: str) -> str | None:
    """DGTR writes dates day first (03/08/2026 = 3 August 2026)."""
    found = DMY.search(text)
    return parse_date(f"{found.group(3)}-{found.group(2)}-{found.group(1)}", tz) if found else None


class DgtrSpider(HtmlListingMixin, SourceSpider):
    name = "in_dgtr"
    publisher = "Directorate General of Trade Remedies, India (DGTR)"
    jurisdiction = "IN"
    language = "en"
    kind = "official"
    schedule = "6h"
    min_items = 2
    timezone = "Asia/Kolkata"
    entry_url = f"{SITE}/en/anti-dumping-investigation-in-india"
    listing_urls = (entry_url,)
    row_selector = "main tr, main li, .view-content .views-row"
    content_selector = "main"  # the detail page's body region
    link_selector = "a[href*='/anti-dumping-cases/']::attr(href)"
    title_selector = "a[href*='/anti-dumping-cases/'] ::text"

    def listing_entries(self, response: Response) -> list[Entry]:
        entries: dict[str, Entry] = {}
        for entry in super().listing_entries(response):
            url = entry.url.split("?")[0].rstrip("/")
            if CASE.search(url) and url not in entries:
                entries[url] = Entry(url=url, title=clean_text([entry.title]), key=url.rsplit("/", 1)[-1])
        return list(entries.values())

    def detail_item(self, response: Response, entry: Entry) -> DocItem:
        page = Selector(text=decode(response, self.fallback_encodings))
        events = [
            (clean_text(tr.css("td")[0].css("::text").getall()), " ".join(tr.css("td ::text").getall()))
            for tr in page.css("main table tbody tr")
            if len(tr.css("td")) >= 2
        ]
        dated = [(name, dmy(cells, self.timezone)) for name, cells in events]
        first = min((d for _, d in dated if d), default=None)
        return self.region_document(
            page,
            entry,
            response.url,
            inner=("table", ""),
            title=clean_text(page.css("main h1 ::text").getall()) or entry.title,
            published=first,
            notice_number=f"DGTR {entry.key}",
        )
