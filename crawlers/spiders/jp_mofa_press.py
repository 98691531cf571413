"""Ministry of Foreign Affairs of Japan (外務省) press releases, Japanese: sanctions (資産凍結等の措置),
export bans announced with other ministries, statements on economic coercion.

The list ``/mofaj/press/release/index.html`` groups releases by day under ``#pressrelease``: ``dl > dt`` holds
the day, ``dd > ul > li > a`` the releases, at ``/mofaj/press/release/press<N>_<NNNNNN>.html`` (also
``pressit_…``, ``pageit_…``). The day in ``dt`` may be written without a year, so the date comes from the
release page (``令和7年11月14日`` near the top of ``#maincontents``), read in Japan time; the body is
``#maincontents .text`` or ``#maincontents``. List selectors as read by public scrapers of mofa.go.jp.
Note: MOFA's CDN answers 403 to some data-centre clients; the run then fails with that reason.
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

SITE = "https://www.mofa.go.jp"
RELEASE = re.compile(r"/mofaj/press/release/(?:press|page)\w*_\d+(?:_\d+)?\.html$")
DATE = re.compile(
    r"(?:令和|平成)\s*[0-9０-９元]+\s*年\s*[0-9０-９]+\s*月\s*[0-9０-９]+\s*日|\d{4}年\d{1,2}月\d{1,2}日"
)


class MofaPressSpider(HtmlListingMixin, SourceSpider):
    name = "jp_mofa_press"
    publisher = "Ministry of Foreign Affairs of Japan (外務省)"
    jurisdiction = "JP"
    language = "ja"
    kind = "official"
    schedule = "1h"
    min_items = 2
    timezone = "Asia/Tokyo"
    entry_url = f"{SITE}/mofaj/press/release/index.html"
    listing_urls = (entry_url,)
    fallback_encodings = ("cp932",)
    row_selector = "#pressrelease dl dd li"
    content_selector = "#maincontents"  # the detail page's body region
    link_selector = "a::attr(href)"
    title_selector = "a ::text"

    def listing_entries(self, response: Response) -> list[Entry]:
        found = [e for e in super().listing_entries(response) if RELEASE.search(e.url)]
        return [Entry(url=e.url, title=clean_text([e.title])) for e in found]

    def detail_item(self, response: Response, entry: Entry) -> DocItem:
        page = Selector(text=decode(response, self.fallback_encodings))
        main = self.content_selector or "body"
        title = clean_text(page.css(f"{main} h1 ::text").getall()) or entry.title
        head = " ".join(page.css(f"{main} ::text").getall())[:600]
        stamp = DATE.search(head)
        return self.region_document(
            page,
            entry,
            response.url,
            inner=(".text", ""),
            title=title,
            published=parse_date(stamp.group(0), self.timezone) if stamp else None,
        )
