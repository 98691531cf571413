"""MOFCOM Security and Control Bureau (安全与管制局) rules and notices, Chinese (SOURCES.md §5).

The column page ``/flzc/gzjgfxwj/index.html`` is a JavaScript shell; its list comes from the JPaaS CMS API,
which returns the whole list in one call (pageSize 99999) as rendered HTML in ``data.html``. The webId /
pageId / tplSetId values are CMS-internal and change when the site is redesigned: any other response shape
fails the run loudly rather than looking like an empty column. This column carries 商务部令 countermeasure
orders and UEL Working Mechanism notices that never reach the annual indexes (cn_mofcom).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from parsel import Selector
from scrapy.http import Response

from crawlers.base import SourceSpider
from crawlers.mixins import JsonApiMixin
from crawlers.mixins_cn import BEIJING, CnListingMixin

SITE = "https://aqygzj.mofcom.gov.cn"
COLUMN = f"{SITE}/flzc/gzjgfxwj/index.html"
API = f"{SITE}/api-gateway/jpaas-publish-server/front/page/build/unit"
# CMS-internal ids of the column's list unit, as the live shell page requests them (SOURCES.md, structure
# checks December 2026, from a maintained scraper). A redesign changes them: override without code through
# `CWATCH_SOURCES: {cn_mofcom_aqygzj: {unit: {...}}}` (merged over these) or CWATCH_CN_MOFCOM_AQYGZJ_UNIT (JSON).
UNIT = {
    "webId": "b28941ad4e064442856787562c9a4961",
    "pageId": "79d6d2c4e44d458180d37dd4f0996645",
    "tagId": "信息列表",
    "tplSetId": "DDBav9QvwJVbs9iznQVmO",  # 21 characters, not a 32-hex id
    "parseType": "bulidstatic",  # sic: the CMS spells it so
    "pageType": "column",
    "editType": "null",
}


class MofcomAqygzjSpider(JsonApiMixin, CnListingMixin, SourceSpider):
    name = "cn_mofcom_aqygzj"
    publisher = "MOFCOM Security and Control Bureau (商务部安全与管制局)"
    jurisdiction = "CN"
    language = "zh"
    kind = "official"
    schedule = "30m"
    min_items = 2
    timezone = BEIJING
    entry_url = COLUMN
    fallback_encodings = ("gb18030",)
    unit = UNIT
    link_pattern = re.compile(r"aqygzj\.mofcom\.gov\.cn/flzc/gzjgfxwj/art/\d{4}/art_[0-9a-f]{32}\.html$")
    content_selector = ".art-con"  # the detail page's body region

    def api_url(self) -> str:
        unit = {**self.unit, **json.loads(self.settings.get("CWATCH_CN_MOFCOM_AQYGZJ_UNIT") or "{}")}
        page = json.dumps({"pageNo": 1, "pageSize": 99999}, separators=(",", ":"))
        return f"{API}?{urlencode({**unit, 'paramJson': page})}"

    async def start(self) -> Any:
        # Some JPaaS hosts refuse the API without the column page as Referer.
        yield self.listing_request(self.api_url(), self.parse_api, headers={"Referer": COLUMN})

    def parse_api(self, response: Response) -> Iterator[Any]:
        data = self.load_json(response)
        if data is None:
            return
        html = (
            data.get("data", {}).get("html")
            if isinstance(data, dict) and isinstance(data.get("data"), dict)
            else None
        )
        if not isinstance(html, str):
            self.fail(f"unexpected JPaaS response shape from {response.url}: no data.html (site redesigned?)")
            return
        # The links in the rendered unit are relative to the column page, not to the API.
        entries = self.entries_in(Selector(text=html), COLUMN)
        for entry in self.entries_or_fail(entries, response, "links in data.html"):
            if self.since and entry.date and entry.date[:10] < self.since:
                continue
            if self.should_fetch(entry.url, entry.fingerprint):
                yield self.detail_request(
                    entry.url, self.parse_detail, listing_hash=entry.fingerprint, cb_kwargs={"entry": entry}
                )
