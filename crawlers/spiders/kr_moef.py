"""Korea's Ministry of Economy and Finance (기획재정부; 재정경제부 from 2026) press releases, Korean, from its RSS
feed: it imposes the anti-dumping and safeguard duties the Trade Commission recommends (시행규칙), and sets
adjustment and quota tariffs.

Feed ``/com/detailRssTagService.do?bbsId=MOSFBBS_000000000028`` (보도자료 board; korea.kr's ``dept_moef.xml`` is
the government portal's copy), RSS 2.0 items linking ``/nw/nes/detailNesDtaView.do?…searchNttId1=…``. The
item description carries the release's lead, which becomes the text: the release pages themselves embed the
body as HWP/PDF viewers. Feed URL as used by a public monitor of Korean ministries; item link form unverified.
"""

from __future__ import annotations

import re

from parsel import Selector
from scrapy.http import Response

from crawlers.base import SourceSpider
from crawlers.items import DocItem
from crawlers.mixins import Entry, FeedMixin
from crawlers.mixins_cn import clean_text

NTT_ID = re.compile(r"searchNttId1=(MOSF_\d+)")


class MoefSpider(FeedMixin, SourceSpider):
    name = "kr_moef"
    publisher = "Ministry of Economy and Finance of Korea (기획재정부)"
    jurisdiction = "KR"
    language = "ko"
    kind = "official"
    schedule = "1h"
    min_items = 2
    timezone = "Asia/Seoul"
    entry_url = "https://www.moef.go.kr/com/detailRssTagService.do?bbsId=MOSFBBS_000000000028"
    feed_urls = (entry_url,)
    follow_entries = False
    redirect_domains = ("korea.kr",)

    def entry_item(self, entry: Entry, response: Response | None) -> DocItem:
        item = super().entry_item(entry, response)
        # The description is HTML (CDATA with <p>): its text, not its markup, is the document.
        item.text = clean_text(Selector(text=f"<div>{entry.summary}</div>").css("div ::text").getall())
        found = NTT_ID.search(entry.url)
        item.notice_number = f"기획재정부 {found.group(1)}" if found else None
        return item
