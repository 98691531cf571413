"""Ministry of Finance Japan (財務省) news, Japanese, from its RSS feed: customs-tariff decisions among them —
anti-dumping (不当廉売関税) and countervailing duty investigations and impositions, tariff-rate changes,
customs measures — next to budget and JGB releases (the classifier sorts those out).

Feed ``https://www.mof.go.jp/news.rss`` (the 新着情報 page ``/news/index.html`` in feed form): RSS 2.0 items
with ``pubDate`` in Japan time (``Fri, 02 Oct 2026 19:30:00 +0900``), as a public collector of MOF releases
reads and tests it (docs/sources.md). Items link pages such as ``/policy/customs_tariff/…/YYYYMMDD….html``
or ``/public_relations/conference/myYYYYMMDD.html``. A page is ``main#main`` with the title in
``h1#skipmain`` and the release text in ``.unique-block``; ``<meta name="date">`` holds its day
(``YYYY-MM-DD``), the body's dateline the era form (``令和7年3月28日``). The date is the feed's, else the
page's meta, else the era dateline; without ``.unique-block`` the text is left to trafilatura and the run
records "site changed".
"""

from __future__ import annotations

import re

from parsel import Selector
from scrapy.http import Response

from crawlers.base import SourceSpider
from crawlers.dates import normalise_iso, parse_date
from crawlers.extract import decode
from crawlers.items import DocItem
from crawlers.mixins import Entry, FeedMixin, PageRegionMixin
from crawlers.mixins_cn import clean_text

ERA_DATE = re.compile(r"(?:令和|平成)\s*[0-9０-９元]+\s*年\s*[0-9０-９]+\s*月\s*[0-9０-９]+\s*日")


class MofJapanSpider(FeedMixin, PageRegionMixin, SourceSpider):
    name = "jp_mof"
    publisher = "Ministry of Finance Japan (財務省)"
    jurisdiction = "JP"
    language = "ja"
    kind = "official"
    schedule = "1h"
    min_items = 2
    timezone = "Asia/Tokyo"
    entry_url = "https://www.mof.go.jp/news.rss"
    feed_urls = (entry_url,)
    fallback_encodings = ("cp932", "euc_jp")
    content_selector = ".unique-block"  # the release text inside main#main

    def entry_item(self, entry: Entry, response: Response | None) -> DocItem:
        if response is None:
            return super().entry_item(entry, response)
        page = Selector(text=decode(response, self.fallback_encodings))
        return self.region_document(
            page,
            entry,
            response.url,
            title=clean_text(page.css("main h1 ::text").getall()[:1]) or entry.title,
            published=entry.date or self.page_date(page),
        )

    def page_date(self, page: Selector) -> str | None:
        """The page's own day: ``<meta name="date">``, else the first era date in the main block
        (htmldate does not read era dates)."""
        meta = normalise_iso(page.css('meta[name="date"]::attr(content)').get(), self.timezone)
        if meta:
            return meta
        head = " ".join(page.css("main ::text").getall()[:80])
        stamp = ERA_DATE.search(head)
        return parse_date(stamp.group(0), self.timezone) if stamp else None
