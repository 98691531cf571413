"""Taiwan's Ministry of Economic Affairs (經濟部) announcements (訊息公告), Traditional Chinese, from its RSS
feed: strategic high-tech commodity (SHTC) entity-list additions, export-control and import-ban notices,
anti-dumping decisions of its trade-remedy bodies.

Feed ``/Mns/populace/news/NewsRSSdetail.aspx?Kind=2`` (RSS 2.0: ``title``, ``link``, ``description``,
``pubDate``; as read by RSSHub's moea/announcements route). The description is the notice's text, so pages
are not fetched; the ``news_id`` in the link is the stable id. Taipei time.
"""

from __future__ import annotations

import re

from parsel import Selector
from scrapy.http import Response

from crawlers.base import SourceSpider
from crawlers.items import DocItem
from crawlers.mixins import Entry, FeedMixin
from crawlers.mixins_cn import clean_text

NEWS_ID = re.compile(r"news_id=(\d+)", re.I)


class MoeaTaiwanSpider(FeedMixin, SourceSpider):
    name = "tw_moea"
    publisher = "Ministry of Economic Affairs, Taiwan (經濟部)"
    jurisdiction = "TW"
    language = "zh"
    kind = "official"
    schedule = "1h"
    min_items = 2
    timezone = "Asia/Taipei"
    entry_url = "https://www.moea.gov.tw/Mns/populace/news/NewsRSSdetail.aspx?Kind=2"
    feed_urls = (entry_url,)
    follow_entries = False

    def entry_item(self, entry: Entry, response: Response | None) -> DocItem:
        item = super().entry_item(entry, response)
        item.text = clean_text(Selector(text=f"<div>{entry.summary}</div>").css("div ::text").getall())
        found = NEWS_ID.search(entry.url)
        item.notice_number = f"經濟部訊息公告 {found.group(1)}" if found else None
        return item
