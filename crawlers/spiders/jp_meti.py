"""METI (経済産業省) news releases: the Japanese press page and the English one (SOURCES.md §13).

The Japanese index ``/press/index.html`` is one ``dl#release_menulist`` of ``dt`` (date, ``2025年11月11日``)
/ ``dd`` (link) pairs, as a public Scrapy spider of the page reads it; an older form (SOURCES.md), kept for the
English page, puts each pair in its own ``dl.date_sp``. Japanese pages live at
``/press/YYYY/MM/YYYYMMDDNNN/YYYYMMDDNNN.html`` — the folder year is the fiscal year, so the date comes from
the list (or the page), never from the folder — and are Shift_JIS encoded; English ones at
``/english/press/YYYY/MMDD_NNN.html``. When the list markup changes, links of those forms are collected and
the run records "site changed". A page's body is ``div.main`` (``main w1000``) inside ``#__main_contents``.
Dates are Japan time; pages may write them in the Japanese era (令和7年11月11日), which crawlers.dates
converts. Export Trade Control Order amendments and the End User List are announced here. METI's Atom feed
stopped advancing in June 2026 and its WAF refuses some automated clients (public monitors, 2026).
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

SITE = "https://www.meti.go.jp"


class MetiSpider(HtmlListingMixin, SourceSpider):
    name = "jp_meti"
    publisher = "Ministry of Economy, Trade and Industry (METI, 経済産業省)"
    jurisdiction = "JP"
    language = "ja"
    kind = "official"
    schedule = "1h"
    min_items = 2
    timezone = "Asia/Tokyo"
    entry_url = f"{SITE}/press/index.html"
    listing_urls = (f"{SITE}/press/index.html", f"{SITE}/english/press/index.html")
    fallback_encodings = ("cp932", "euc_jp")
    row_selector = "dl#release_menulist, dl.date_sp"
    content_selector = "#__main_contents"  # the detail page's body region
    notice_pattern = re.compile(
        r"meti\.go\.jp/(?:press/\d{4}/\d{2}/\d{11}/\d{11}|english/press/\d{4}/\d{4}_\d{3})\.html$"
    )

    def listing_entries(self, response: Response) -> list[Entry]:
        """Each ``dd`` link dated by the ``dt`` before it, within either list form."""
        entries: list[Entry] = []
        for listing in response.css(self.row_selector):
            day = None
            for node in listing.xpath("./dt | ./dd"):
                if node.root.tag == "dt":
                    day = parse_date(" ".join(node.css("::text").getall()), self.timezone)
                    continue
                href = node.css("a::attr(href)").get()
                title = " ".join(" ".join(node.css("a ::text").getall()).split())
                if href and title:
                    entries.append(Entry(url=response.urljoin(href.strip()), title=title, date=day))
        return entries

    def detail_item(self, response: Response, entry: Entry) -> DocItem:
        page = Selector(text=decode(response, self.fallback_encodings))
        title = " ".join(page.css("#__main_contents h1 ::text, h1 ::text").getall()[:1]).strip()
        return self.region_document(
            page,
            entry,
            response.url,
            inner=(".main",),
            title=title or entry.title,
            language="en" if "/english/" in entry.url else "ja",
            # The list's date is the structured one; the page's own (often in the era form) backs it up.
            published=entry.date
            or parse_date(" ".join(page.css(".revision ::text").getall()), self.timezone),
        )
