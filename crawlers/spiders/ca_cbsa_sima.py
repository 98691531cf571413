"""Canada Border Services Agency, Special Import Measures Act notices (SOURCES.md §16): the SIMA menu of
current cases → initiation statements and expiry-review notices ("Ottawa, August 10, 2018")."""

from __future__ import annotations

import re

from scrapy.http import Response

from crawlers.base import SourceSpider
from crawlers.dates import normalise_iso, parse_date
from crawlers.extract import attachments, drop
from crawlers.items import DocItem
from crawlers.mixins import Entry, HtmlListingMixin

# The file name says case and document: cor2018-in-eng.html = COR 2018, initiation; sm2024-ni = notice.
NOTICE = re.compile(r"/([a-z]+)(\d{4})-([a-z]+)-eng\.html$", re.I)


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
    entry_url = "https://www.cbsa-asfc.gc.ca/sima-lmsi/menu-eng.html"
    listing_urls = (entry_url,)
    row_selector = "main table tbody tr"
    link_selector = "a[href$='-eng.html']::attr(href)"
    title_selector = "a[href$='-eng.html']::text"
    date_selector = "td time::attr(datetime)"
    content_selector = "main"

    def detail_item(self, response: Response, entry: Entry) -> DocItem:
        page = self.page(response)
        # The statement's own dateline ("Ottawa, August 10, 2018") first, then the page's modified date.
        dateline = " ".join(
            page.xpath("//main//p[starts-with(normalize-space(.), 'Ottawa')]//text()").getall()
        )
        modified = page.css("#wb-dtmd time::text").get()
        notice = NOTICE.search(entry.url)
        return DocItem(
            source=self.name,
            url=entry.url,
            title=(page.css("h1#wb-cont::text, main h1::text").get() or entry.title).strip(),
            html=drop(page.css("main").get() or page.text, (".pagedetails", "#wb-dtmd", "nav")),
            published=parse_date(dateline, self.timezone)
            or entry.date
            or normalise_iso(modified, self.timezone),
            notice_number=" ".join(notice.groups()).upper() if notice else None,
            attachments=attachments(page, "main"),
        )
