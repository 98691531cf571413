"""Ministry of Finance Japan (財務省) news, Japanese, from its RSS feed: customs-tariff decisions among them —
anti-dumping (不当廉売関税) and countervailing duty investigations and impositions, tariff-rate changes,
customs measures — next to budget and JGB releases (the classifier sorts those out).

Feed ``https://www.mof.go.jp/news.rss`` (the 新着情報 page ``/news/index.html`` in feed form, as used by a public
monitor of Japanese ministries); items link pages such as ``/policy/customs_tariff/…/YYYYMMDD….html``.
Each page is fetched; its main text is extracted (trafilatura) and its date, when the feed lacks one, is
looked for in the page (``令和7年3月28日``). Whether the feed is RSS 2.0 or RDF is unverified: an RDF
feed (items in the RSS 1.0 namespace) is read too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from scrapy.http import Response

from crawlers.base import SourceSpider
from crawlers.dates import normalise_iso, parse_date
from crawlers.extract import is_web_url
from crawlers.items import DocItem
from crawlers.mixins import Entry, FeedMixin, parse_feed

ERA_DATE = re.compile(r"(?:令和|平成)\s*[0-9０-９元]+\s*年\s*[0-9０-９]+\s*月\s*[0-9０-９]+\s*日")
RSS1 = "{http://purl.org/rss/1.0/}"
DC_DATE = "{http://purl.org/dc/elements/1.1/}date"


def rdf_entries(body: bytes, base_url: str, tz: str) -> list[Entry]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(body, parser=parser)
    found = [
        Entry(
            url=urljoin(base_url, (node.findtext(f"{RSS1}link") or "").strip()),
            title=(node.findtext(f"{RSS1}title") or "").strip(),
            date=normalise_iso(node.findtext(DC_DATE), tz),
            summary=(node.findtext(f"{RSS1}description") or "").strip(),
        )
        for node in root.iter(f"{RSS1}item")
    ]
    return [e for e in found if is_web_url(e.url) and e.title]


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

    def parse_feed(self, response: Response) -> Iterator[Any]:
        try:
            found = parse_feed(response.body, response.url, self.timezone) or rdf_entries(
                response.body, response.url, self.timezone
            )
        except etree.XMLSyntaxError as exc:
            self.fail(f"malformed feed XML from {response.url}: {exc}")
            return
        for entry in self.entries_or_fail(found, response, "feed items (RSS 2.0 or RDF)"):
            if self.since and entry.date and entry.date[:10] < self.since:
                continue
            yield from self.follow(entry, response)

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
