"""METI security export control (安全保障貿易管理) amendment notices, Japanese: amendments of the Export Trade
Control Order and the Foreign Exchange Order, ministerial ordinances and circulars, End User List revisions,
each with its promulgation and entry-into-force dates.

The page ``/policy/anpo/law09-2.html`` (改正情報: "recent amendments and their entry into force", as listed by
public guides to the METI export-control pages) lists each amendment as a list item or table row with an
era date (令和7年5月28日) and links to the amending texts, mostly PDFs under ``/policy/anpo/law_document/``
or ``/files/``. The row is the document (title, dates, link); its first link is its URL. Row markup is
unverified; METI's WAF refuses some automated clients (recorded 2026) and the run then fails with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from parsel import Selector
from scrapy.http import Response

from crawlers.base import SourceSpider
from crawlers.dates import parse_date
from crawlers.extract import decode, is_web_url
from crawlers.items import DocItem
from crawlers.mixins_cn import clean_text
from crawlers.state import fingerprint

SITE = "https://www.meti.go.jp"
ERA_DATE = re.compile(r"(?:令和|平成)\s*[0-9０-９元]+\s*年\s*[0-9０-９]+\s*月\s*[0-9０-９]+\s*日")


class MetiAnpoSpider(SourceSpider):
    name = "jp_meti_anpo"
    publisher = "METI Security Export Control Policy Division (経済産業省 安全保障貿易管理)"
    jurisdiction = "JP"
    language = "ja"
    kind = "official"
    schedule = "2h"
    min_items = 2
    timezone = "Asia/Tokyo"
    entry_url = f"{SITE}/policy/anpo/law09-2.html"
    fallback_encodings = ("cp932", "euc_jp")

    async def start(self) -> Any:
        yield self.listing_request(self.entry_url or "", self.parse_amendments)

    def rows(self, response: Response) -> list[tuple[str, str, str, list[str]]]:
        page = Selector(text=decode(response, self.fallback_encodings))
        found = []
        for row in page.css("#__main_contents li, #__main_contents tr"):
            text = clean_text([" ".join(row.css("::text").getall())])
            stamp = ERA_DATE.search(text)
            links = [response.urljoin(h.strip()) for h in row.css("a::attr(href)").getall()]
            links = [u for u in links if is_web_url(u)]
            title = clean_text(row.css("a")[0].css("::text").getall()) if links else ""
            if stamp and links and title:
                found.append((text, title, stamp.group(0), links))
        return found

    def parse_amendments(self, response: Response) -> Iterator[Any]:
        for text, title, stamp, links in self.entries_or_fail(
            self.rows(response), response, "rows with an era date and a link"
        ):
            published = parse_date(stamp, self.timezone)
            if self.since and published and published[:10] < self.since:
                continue
            listing_hash = fingerprint(links[0], text)
            if not self.should_fetch(links[0], listing_hash):
                continue
            yield DocItem(
                source=self.name,
                url=links[0],
                title=title,
                text=text,
                published=published,
                attachments=sorted(set(links)),
                listing_hash=listing_hash,
            )
