"""Korea's trade ministry (MOTIE; renamed MOTIR in 2025/26) English press releases, including Korea Trade
Commission anti-dumping decisions (SOURCES.md §14).

Board list ``bbsList.do?bbs_cd_n=2`` (a ``table.board_list`` row per release: subject link, date cell);
articles ``/eng/article/EATCLdfa319ada/{n}/view`` with the body in ``.view_cont``. Dates are Korea time.
The dossier records a 404 on the old list in 2026 and a citation on ``english.motir.go.kr``: the host is a
setting (CWATCH_KR_MOTIE_HOST) so a rename needs no code change, and a 404 fails the run loudly meanwhile.
"""

from __future__ import annotations

from typing import Any

from parsel import Selector
from scrapy.http import Response

from crawlers.base import SourceSpider
from crawlers.dates import parse_date
from crawlers.extract import decode
from crawlers.items import DocItem
from crawlers.mixins import Entry, HtmlListingMixin
from crawlers.mixins_cn import attachments, block_text

HOST = "english.motie.go.kr"
LIST_PATH = "/en/pc/pressreleases/bbs/bbsList.do?bbs_cd_n=2"


class MotieSpider(HtmlListingMixin, SourceSpider):
    name = "kr_motie"
    publisher = "Ministry of Trade, Industry and Energy of Korea (MOTIE) / Korea Trade Commission"
    jurisdiction = "KR"
    language = "en"
    kind = "official"
    schedule = "2h"
    min_items = 2
    timezone = "Asia/Seoul"
    entry_url = f"https://{HOST}{LIST_PATH}"
    row_selector = "table.board_list tbody tr"
    link_selector = "td.subject a::attr(href)"
    title_selector = "td.subject a ::text"
    date_selector = "td.date::text"

    async def start(self) -> Any:
        host = self.settings.get("CWATCH_KR_MOTIE_HOST") or HOST
        yield self.listing_request(f"https://{host}{LIST_PATH}", self.parse_listing, cb_kwargs={"page": 1})

    def detail_item(self, response: Response, entry: Entry) -> DocItem:
        page = Selector(text=decode(response, self.fallback_encodings))
        title = " ".join(page.css(".view_head .tit ::text").getall()).strip()
        text = block_text(page, ".view_cont")
        return DocItem(
            source=self.name,
            url=entry.url,
            title=title or entry.title,
            text=text,
            html=None if text else page.get(),
            published=entry.date
            or parse_date(" ".join(page.css(".view_head .info ::text").getall()), self.timezone),
            attachments=attachments(page, ".board_view", response.url),
        )
