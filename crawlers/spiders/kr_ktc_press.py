"""Korea Trade Commission (무역위원회) press releases, Korean: anti-dumping initiations, preliminary and final
determinations, duty recommendations to the Ministry of Economy and Finance, price undertakings.

The press board is ``/reportNewsList.do?menuId=57&pageIndex=N`` (a ``tbody tr`` per release, link
``boardView.do?bbs_id=N`` — the server may splice ``;jsessionid=…`` into it, which we drop from the canonical
URL). A release page states ``등록일 YYYY-MM-DD`` and carries the text only as attachments (PDF/HWP/HWPX)
linked by ``fileDownload('bbs_id','seq_no')`` calls, served by ``/boardFileDownload.do``. Structure as read
by a public research scraper of ktc.go.kr (pilsunchoi/scope-disputes,
scripts/15_collect_ktc_press.py). That scraper POSTs the list
form; we GET the same parameters (unverified on the live site — a refusal fails the run with the reason).
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

SITE = "https://www.ktc.go.kr"
BBS_ID = re.compile(r"bbs_id=(\d+)")
DOWNLOAD = re.compile(r"fileDownload\(\s*'(\d+)'\s*,\s*'(\d+)'\s*\)")
REGISTERED = re.compile(r"등록일\s*:?\s*(\d{4}[-.]\d{2}[-.]\d{2})")


class KtcPressSpider(HtmlListingMixin, SourceSpider):
    name = "kr_ktc_press"
    publisher = "Korea Trade Commission (무역위원회)"
    jurisdiction = "KR"
    language = "ko"
    kind = "official"
    schedule = "2h"
    min_items = 2
    timezone = "Asia/Seoul"
    entry_url = f"{SITE}/reportNewsList.do?menuId=57&pageIndex=1"
    listing_urls = (entry_url,)
    row_selector = "tbody tr"
    content_selector = ".board-view"  # the detail page's body region
    link_selector = "a[href*='boardView.do']::attr(href)"
    title_selector = "a[href*='boardView.do'] ::text"

    def listing_entries(self, response: Response) -> list[Entry]:
        entries = []
        for entry in super().listing_entries(response):
            found = BBS_ID.search(entry.url)
            if found:  # one canonical URL per release, whatever session id the server spliced in
                url = f"{SITE}/boardView.do?bbs_id={found.group(1)}&menuId=57"
                entries.append(Entry(url=url, title=clean_text([entry.title]), key=found.group(1)))
        return entries

    def detail_item(self, response: Response, entry: Entry) -> DocItem:
        page = Selector(text=decode(response, self.fallback_encodings))
        region = self.content_region(page, entry.url)
        # The text is the summary and the attachment names: on a miss, the page's #contents block still has them.
        body = page.css(region or "#contents")
        files = [
            (f"{SITE}/boardFileDownload.do?bbs_id={bid}&seq_no={seq}", clean_text(a.css("::text").getall()))
            for a in body.css("a[onclick]")
            for bid, seq in DOWNLOAD.findall(a.attrib["onclick"])
        ]
        summary = clean_text(body.css(".detail-cont ::text").getall())
        names = "\n".join(f"첨부: {name}" for _, name in files if name)
        registered = REGISTERED.search(" ".join(body.css("::text").getall()))
        return DocItem(
            source=self.name,
            url=entry.url,
            title=entry.title,
            text="\n".join(t for t in (entry.title, summary, names) if t),
            published=parse_date(registered.group(1), self.timezone) if registered else None,
            notice_number=f"KTC-보도-{entry.key}",
            attachments=[url for url, _ in files],
        )
