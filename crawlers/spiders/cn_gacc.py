"""General Administration of Customs (海关总署) announcements, Chinese originals (SOURCES.md §9).

The 海关总署公告 column (``/customs/302249/302266/302267/``) lists ``…/302267/{id}/index.html`` pages of the
EasySite CMS (list ``.conList_ul li``: ``a[title]`` + ``span`` date, inside ``.pubCon``): title in
``.easysite-news-title h2``, time in ``meta[name=createDate]`` / ``.easysite-news-describe`` (Beijing time),
body ``#easysiteText`` inside ``.easysite-news-peruse``. GACC co-signs MOFCOM export-control notices
(numbered in MOFCOM's series, so they share the MOFCOM id) and issues its own SPS import suspensions.
Plain HTTP clients get a JavaScript challenge: every page goes through the browser path (crawlers/browser.py).
"""

from __future__ import annotations

import re
from typing import Any

from parsel import Selector

from crawlers.base import SourceSpider
from crawlers.dates import parse_date
from crawlers.mixins_cn import BEIJING, CnListingMixin, attachments, block_text, notice_number

SITE = "http://www.customs.gov.cn"
COLUMN = f"{SITE}/customs/302249/302266/302267/index.html"


class GaccSpider(CnListingMixin, SourceSpider):
    name = "cn_gacc"
    publisher = "General Administration of Customs of the PRC (海关总署)"
    jurisdiction = "CN"
    language = "zh"
    kind = "official"
    schedule = "1h"
    min_items = 2
    timezone = BEIJING
    entry_url = COLUMN
    listing_urls = (COLUMN,)
    fallback_encodings = ("gb18030",)
    browser = True
    browser_wait = ".pubCon, #easysiteText"  # the list or the article, once the challenge script ran
    row_selector = ".conList_ul li"
    link_pattern = re.compile(r"customs\.gov\.cn/customs/302249/302266/30226[789]/\d+/index\.html$")
    content_selector = "#easysiteText"  # the detail page's body region

    def article_fields(self, sel: Selector, url: str) -> dict[str, Any]:
        title = " ".join(sel.css(".easysite-news-title ::text").getall()).strip()
        region = self.content_region(sel, url)
        text = block_text(sel, region) if region else ""
        stamp = sel.css(
            'meta[name="createDate"]::attr(content), meta[name="PubDate"]::attr(content)'
        ).get() or " ".join(sel.css(".easysite-news-describe ::text").getall())
        return {
            "title": title,
            "published": parse_date(stamp, BEIJING),
            "text": text,
            "attachments": attachments(sel, self.attachment_scope(region), url),
            "notice_number": notice_number(title, text),
        }
