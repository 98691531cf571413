"""MIIT (工业和信息化部) 文件公示: draft and issued rules, industry access conditions and announcements, Chinese.

The column page ``/zwgk/wjgs/index.html`` is a JPaaS shell: a ``<script parseType="buildstatic" url=…
querydata=…>`` names the list unit; the list comes as rendered HTML in the JSON ``data.html`` from that URL
with those parameters (and the column page as Referer), rows ``.page-content ul li`` (link ``title``
attribute, date in ``.fr``). Detail pages: body ``.ccontent``, time ``#con_time`` (``YYYY-MM-DD HH:MM``).
Structure as read by RSSHub's gov/miit/wjgs route. The unit ids are read from the shell page every run, so
a CMS re-deployment with new ids needs no code change.
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
from crawlers.dates import parse_date
from crawlers.extract import decode
from crawlers.mixins import JsonApiMixin
from crawlers.mixins_cn import BEIJING, CnListingMixin, attachments, block_text, notice_number

SITE = "https://www.miit.gov.cn"
COLUMN = f"{SITE}/zwgk/wjgs/index.html"


class MiitWjgsSpider(JsonApiMixin, CnListingMixin, SourceSpider):
    name = "cn_miit_wjgs"
    publisher = "Ministry of Industry and Information Technology (工业和信息化部)"
    jurisdiction = "CN"
    language = "zh"
    kind = "official"
    schedule = "1h"
    min_items = 2
    timezone = BEIJING
    entry_url = COLUMN
    row_selector = ".page-content ul li"
    date_selector = ".fr::text"
    link_pattern = re.compile(r"miit\.gov\.cn/(?:zwgk|jgsj)/[\w/]+/art/\d{4}/art_[0-9a-f]{32}\.html$")
    content_selector = ".ccontent, .fujian"  # the detail page's body and its attachment block

    async def start(self) -> Any:
        yield self.listing_request(COLUMN, self.parse_column)

    def parse_column(self, response: Response) -> Iterator[Any]:
        shell = Selector(text=decode(response, self.fallback_encodings))
        unit = shell.css('script[parsetype="buildstatic"], script[parsetype="bulidstatic"]')
        url, query = unit.attrib.get("url"), unit.attrib.get("querydata")
        if not url or not query:
            self.fail(f"no JPaaS list unit (script parseType=buildstatic) on {response.url}")
            return
        try:  # the attribute is a JS object literal in single quotes
            params = json.loads(query.replace("'", '"'))
        except json.JSONDecodeError as exc:
            self.fail(f"unreadable querydata on {response.url}: {exc}")
            return
        api = response.urljoin(url) + "?" + urlencode({k: str(v) for k, v in params.items()})
        yield self.listing_request(api, self.parse_unit, headers={"Referer": COLUMN})

    def parse_unit(self, response: Response) -> Iterator[Any]:
        data = self.load_json(response)
        html = (data.get("data") or {}).get("html") if isinstance(data, dict) else None
        if data is not None and not isinstance(html, str):
            self.fail(f"unexpected JPaaS response shape from {response.url}: no data.html")
            return
        if html is None:
            return
        for entry in self.entries_or_fail(
            self.entries_in(Selector(text=html), COLUMN), response, "data.html"
        ):
            if self.since and entry.date and entry.date[:10] < self.since:
                continue
            if self.should_fetch(entry.url, entry.fingerprint):
                yield self.detail_request(
                    entry.url, self.parse_detail, listing_hash=entry.fingerprint, cb_kwargs={"entry": entry}
                )

    def article_fields(self, sel: Selector, url: str) -> dict[str, Any]:
        title = (sel.css("#con_title::text").get() or sel.css("h1::text").get() or "").strip()
        region = self.content_region(sel, url)
        text = block_text(sel, ".ccontent") if region else ""  # the body; .fujian holds only the attachments
        return {
            "title": title,
            "published": parse_date(sel.css("#con_time::text").get(), BEIJING),
            "text": text,
            "attachments": attachments(sel, self.attachment_scope(region), url),
            "notice_number": notice_number(title, text),
        }
