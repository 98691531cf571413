"""Korea's trade ministry English press releases, including Korea Trade Commission anti-dumping decisions
(SOURCES.md §14). The ministry is now the Ministry of Trade, Industry and Resources (MOTIR): the board moved
from ``english.motie.go.kr/en/pc/pressreleases/bbs/bbsList.do`` (404) to
``english.motir.go.kr/eng/article/EATCLdfa319ada?bbsCdN=2&pageIndex=1``; articles
``/eng/article/EATCLdfa319ada/{n}/view``, body in ``.view_cont``. Dates are Korea time.

Entries are found by the article URL pattern when the board's row markup (unverified) does not match.
Host and list path are overridable (``CWATCH_SOURCES: {kr_motie: {host: …, list_path: …}}``).
"""

from __future__ import annotations

import re
from typing import Any

from parsel import Selector
from scrapy.http import Response

from crawlers.base import SourceSpider
from crawlers.dates import parse_date
from crawlers.extract import decode
from crawlers.items import DocItem
from crawlers.mixins import Entry, HtmlListingMixin
from crawlers.mixins_cn import attachments, block_text

HOST = "english.motir.go.kr"
LIST_PATH = "/eng/article/EATCLdfa319ada?bbsCdN=2&pageIndex=1"


class MotieSpider(HtmlListingMixin, SourceSpider):
    name = "kr_motie"
    publisher = (
        "Ministry of Trade, Industry and Resources of Korea (MOTIR, formerly MOTIE) / Korea Trade Commission"
    )
    jurisdiction = "KR"
    language = "en"
    kind = "official"
    schedule = "2h"
    min_items = 2
    timezone = "Asia/Seoul"
    entry_url = f"https://{HOST}{LIST_PATH}"
    row_selector = "table.board_list tbody tr"
    content_selector = ".board_view"  # the detail page's body region
    link_selector = "td.subject a::attr(href)"
    title_selector = "td.subject a ::text"
    date_selector = "td.date::text"
    notice_pattern = re.compile(r"/eng/article/EATCLdfa319ada/\d+/view$")
    host = HOST
    list_path = LIST_PATH

    async def start(self) -> Any:
        host = self.settings.get("CWATCH_KR_MOTIE_HOST") or self.host  # the older, single-purpose setting
        yield self.listing_request(
            f"https://{host}{self.list_path}", self.parse_listing, cb_kwargs={"page": 1}
        )

    def detail_item(self, response: Response, entry: Entry) -> DocItem:
        page = Selector(text=decode(response, self.fallback_encodings))
        title = " ".join(page.css(".view_head .tit ::text").getall()).strip()
        region = self.content_region(page, entry.url)
        text = block_text(page, f"{region} .view_cont") if region else ""
        return DocItem(
            source=self.name,
            url=entry.url,
            title=title or entry.title,
            text=text,
            html=None if text else page.get(),
            published=entry.date
            or parse_date(" ".join(page.css(".view_head .info ::text").getall()), self.timezone),
            attachments=attachments(page, self.attachment_scope(region), response.url),
        )
