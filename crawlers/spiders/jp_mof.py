"""Ministry of Finance Japan (財務省) news, Japanese, from its RSS feed: customs-tariff decisions among them —
anti-dumping (不当廉売関税) and countervailing duty investigations and impositions, tariff-rate changes,
customs measures — next to budget and JGB releases (the classifier sorts those out).

Feed ``https://www.mof.go.jp/news.rss`` (the 新着情報 page ``/news/index.html`` in feed form, as used by a public
monitor of Japanese ministries); items link pages such as ``/policy/customs_tariff/…/YYYYMMDD….html``.
Each page is fetched; its main text is extracted (trafilatura) and its date, when the feed lacks one, is
looked for in the page (``令和7年3月28日``). Whether the feed is RSS 2.0 or RDF is unverified: the shared feed
reader (crawlers/feed_parsing.py) reads both.
"""

from __future__ import annotations

import re

from scrapy.http import Response

from crawlers.base import SourceSpider
from crawlers.dates import parse_date
from crawlers.items import DocItem
from crawlers.mixins import Entry, FeedMixin

ERA_DATE = re.compile(r"(?:令和|平成)\s*[0-9０-９元]+\s*年\s*[0-9０-９]+\s*月\s*[0-9０-９]+\s*日")


class MofJapanSpider(FeedMixin, SourceSpider):
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

    def entry_item(self, entry: Entry, response: Response | None) -> DocItem:
        item = super().entry_item(entry, response)
        if not item.published and item.html:  # htmldate does not read era dates; MOF pages use them
            head = (
                " ".join(self.page(response).css("main ::text, body ::text").getall()[:80])
                if response
                else ""
            )
            stamp = ERA_DATE.search(head)
            item.published = parse_date(stamp.group(0), self.timezone) if stamp else None
        return item
