"""MOFCOM announcements (商务部公告), Chinese originals (SOURCES.md §4).

Entry: the policy-release column ``/zwgk/zcfb/`` (its layout is year-independent), then the annual
announcement indexes ``/zcfb/blgg/gg/{year}/index.html``. Which years: the newest year the policy column
shows and the one before (so a new year's index is not asked for before MOFCOM creates it); with
``--since`` every year from then on; the CWATCH_CN_MOFCOM_YEARS setting ("2023,2024") overrides both.

Export-control, control-list, UEL and countermeasure notices sit in these columns among unrelated
regulations; we keep them all (tagging decides relevance). Some listed pages are the CMS's link-out template
(``var _cofing1={href:"…"}``, e.g. a trade-remedy notice living on trb.mofcom.gov.cn): the target is fetched
with the listed page as Referer and stored under the listed URL. Detail pages: ``ArticleTitle``/``PubDate`` metas
(Beijing time) and the ``.art-con`` body. Notice numbers (商务部公告2024年第33号, 不可靠实体清单工作机制
公告〔2025〕6号) are the document ids, so ``/zcfb/zc/…`` and ``/zcfb/blgg/gg/…`` copies are one document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from scrapy.http import Response

from crawlers.base import SourceSpider
from crawlers.mixins_cn import BEIJING, CnListingMixin

SITE = "https://www.mofcom.gov.cn"
POLICY = f"{SITE}/zwgk/zcfb/index.html"
ANNUAL = SITE + "/zcfb/blgg/gg/{year}/index.html"


class MofcomSpider(CnListingMixin, SourceSpider):
    name = "cn_mofcom"
    publisher = "Ministry of Commerce of the PRC (MOFCOM, 商务部)"
    jurisdiction = "CN"
    language = "zh"
    kind = "official"
    schedule = "15m"
    min_items = 2
    timezone = BEIJING
    entry_url = POLICY
    fallback_encodings = ("gb18030",)
    # Official article layouts: annual indexes (``gg/2025/art/…`` and ``gg/2025nswbgg/art/…``), policy releases,
    # the zcfb columns (zc, blgg, dwmygl, zgdwjjmywg …), zfxxgk, and the legacy /article/ pages.
    link_pattern = re.compile(
        r"mofcom\.gov\.cn/(?:zcfb/blgg/gg/\d{4}[^/]*/art/|zwgk/zcfb/art/|zcfb/[a-z]+/art/"
        r"|zfxxgk/(?:[a-z]+/)+art/|article/\w+/\d{6}/\d{14}\.shtml)"
    )
    pager_selector = (
        ".layui-laypage a:not(.layui-disabled)"  # page links with data-page; followed only when backfilling
    )
    content_selector = ".art-con"  # the detail page's body region

    async def start(self) -> Any:
        yield self.listing_request(POLICY, self.parse_policy)

    def parse_policy(self, response: Response) -> Iterator[Any]:
        yield from self.parse_listing(response, page=1)
        for year in self.years([e.date for e in self.last_entries if e.date]):
            yield self.listing_request(ANNUAL.format(year=year), self.parse_listing, cb_kwargs={"page": 1})

    def years(self, dates: list[str]) -> list[int]:
        configured = self.settings.get("CWATCH_CN_MOFCOM_YEARS")
        if configured:
            return [int(y) for y in str(configured).split(",") if y.strip()]
        if not dates:
            return []  # the policy listing already failed the run with its reason
        newest = max(int(d[:4]) for d in dates)
        first = int(self.since[:4]) if self.since else newest - 1
        return list(range(min(first, newest), newest + 1))
