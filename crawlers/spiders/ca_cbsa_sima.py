"""Canada Border Services Agency, Special Import Measures Act notices (SOURCES.md §16; structure checks,
December 2026).

The list of measures in force (``/sima-lmsi/mif-mev/menu-eng.html``, ``table.wb-tables``, no dates) links one
case page per proceeding (``ad1379-eng.html``); each case page lists its notices in a plain table: a generic
row title ("Final Determination") linking the notice, the date as a text cell (``<td>August 18, 2008</td>``).
Notice files are named ``/sima-lmsi/i-e/ad1379/ad1379-i08-fd-eng.html``: case AD1379, document code. A
notice page's "Date modified" footer is not its publication date: the dateline ("Ottawa, August 18, 2008")
or the case table's date is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from scrapy.http import Response

from crawlers.base import SourceSpider
from crawlers.dates import parse_date
from crawlers.extract import attachments, drop
from crawlers.items import DocItem
from crawlers.mixins import Entry, HtmlListingMixin

# ad1379-i08-fd-eng.html → "AD1379 I08 FD"; cor2018-in-eng.html → "COR2018 IN" (case, then document code)
NOTICE = re.compile(r"/([a-z]+\d+)((?:-[a-z0-9]+)+?)-eng\.html$", re.I)
CASE_PAGE = re.compile(r"/sima-lmsi/mif-mev/(?!menu-)[a-z0-9]+-eng\.html$", re.I)


class CbsaSimaSpider(HtmlListingMixin, SourceSpider):
    name = "ca_cbsa_sima"
    publisher = "Canada Border Services Agency (SIMA)"
    jurisdiction = "CA"
    language = "en"
    kind = "official"
    schedule = "6h"
    min_items = 2
    pdf_attachments = True
    timezone = "America/Toronto"
    entry_url = "https://www.cbsa-asfc.gc.ca/sima-lmsi/mif-mev/menu-eng.html"
    listing_urls = (entry_url,)
    row_selector = "main table tbody tr"
    content_selector = "main"
    notice_pattern = re.compile(r"/sima-lmsi/[a-z-]+/[a-z]+\d+/[a-z]+\d+(?:-[a-z0-9]+)+-eng\.html$", re.I)

    def parse_listing(self, response: Response, page: int) -> Iterator[Any]:
        """The measures-in-force index: every case page is a listing of its own."""
        cases = {
            response.urljoin(h.strip())
            for h in response.css("main table a::attr(href)").getall()
            if CASE_PAGE.search(response.urljoin(h.strip()))
        }
        for url in sorted(self.entries_or_fail(cases, response, "case links in the measures-in-force table")):
            yield self.listing_request(url, self.parse_case)

    def parse_case(self, response: Response) -> Iterator[Any]:
        yield from super().parse_listing(response, self.page_cap)  # no pagination on a case page

    def listing_entries(self, response: Response) -> list[Entry]:
        case = " ".join(response.css("main h1 ::text").getall()).strip()
        entries = []
        for row in response.css(self.row_selector):
            link = row.css("a[href]")
            url = response.urljoin((link.attrib.get("href") or "").strip()) if link else ""
            if not url or not self.notice_pattern.search(url):  # type: ignore[union-attr]
                continue
            cells = [" ".join(td.css("::text").getall()).strip() for td in row.css("td")]
            date = next((d for d in (parse_date(c, self.timezone) for c in cells) if d), None)
            kind = " ".join(link.css("::text").getall()).strip()
            entries.append(Entry(url=url, title=f"{case} — {kind}", date=date))
        return entries

    def detail_item(self, response: Response, entry: Entry) -> DocItem:
        page = self.page(response)
        dateline = " ".join(
            page.xpath("//main//p[starts-with(normalize-space(.), 'Ottawa')]//text()").getall()
        )
        notice = NOTICE.search(entry.url)
        return DocItem(
            source=self.name,
            url=entry.url,
            title=(page.css("h1#wb-cont::text, main h1::text").get() or entry.title).strip(),
            html=drop(page.css("main").get() or page.text, (".pagedetails", "#wb-dtmd", "nav")),
            # Never the "Date modified" footer: the dateline, else the case table's date.
            published=parse_date(dateline, self.timezone) or entry.date,
            notice_number=" ".join([notice.group(1), *notice.group(2).strip("-").split("-")]).upper()
            if notice
            else None,
            attachments=attachments(page, "main"),
        )
