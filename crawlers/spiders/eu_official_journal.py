"""EU Official Journal: trade-defence notices (C series: initiations, expiry notices) and regulations
(L series: provisional/definitive duties, export-control and sanctions acts) (SOURCES.md §11).

Entry point: EUR-Lex's OJ daily view of each series (latest issue; one row per act since 1 Oct 2023, when
every act became its own OJ issue referenced as ``C/2025/1520``). Each row links the act at
``/legal-content/EN/TXT/?uri=OJ:C_202501520``; its text is fetched from ``…/TXT/HTML/?uri=…``. Only acts
whose title names a trade-defence or export-control procedure are fetched; the others are counted as listed.
When the daily view's table is not found, act links are collected by their address
(``legal-content/…?uri=OJ:<series>_…``, the selector a public sanctions monitor uses on that page) and the
run records "site changed". An act's HTML rendering is read as maintained EUR-Lex parsers read it: the
masthead's ``p.oj-hd-date`` (``14.3.2025``) and ``p.oj-hd-uniq``, the title split over the ``p.oj-doc-ti``
paragraphs of ``.eli-main-title``, the text in ``p.oj-normal`` and the other paragraphs outside the masthead.

Firewall, honestly: EUR-Lex sits behind a CloudFront WAF that blocks plain HTTP clients (OpenSanctions saves
pages by hand). Expect live runs of this spider to fail with the WAF's HTTP status as the recorded reason;
the parser is exercised on fixture pages modelled on the daily view. Workable live options are a browser
fetch feeding these same pages, or the Publications Office's data services (CELLAR SPARQL/REST), which a
later spider can use with the same item shape and OJ reference ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from parsel import Selector
from scrapy.http import Response

from crawlers.base import SourceSpider
from crawlers.dates import parse_date
from crawlers.extract import decode
from crawlers.items import DocItem
from crawlers.mixins import Entry
from crawlers.mixins_cn import clean_text

SITE = "https://eur-lex.europa.eu"
DAILY = SITE + "/oj/daily-view/{series}-series/default.html"
RELEVANT = re.compile(
    r"anti-dumping|anti-subsidy|countervailing|safeguard|expiry|dumped|subsidised|circumvention"
    r"|dual-use|export control|restrictive measures|Regulation \(EU\) No 833/2014|foreign subsidies",
    re.I,
)
OJ_URI = re.compile(r"uri=OJ:([CL])_(\d{4})(\d{5})")
ACT_LINKS = 'a[href*="legal-content"][href*="uri=OJ:"]'
RENDERING = re.compile(r"/TXT/(?:HTML|PDF)/")  # the HTML and PDF renderings of an act, not the act


class OfficialJournalSpider(SourceSpider):
    name = "eu_official_journal"
    publisher = "Official Journal of the European Union (EUR-Lex)"
    jurisdiction = "EU"
    language = "en"
    kind = "official"
    schedule = "2h"
    min_items = 1
    timezone = "Europe/Brussels"
    entry_url = DAILY.format(series="C")

    async def start(self) -> Any:
        for series in ("C", "L"):
            yield self.listing_request(DAILY.format(series=series), self.parse_daily)

    def parse_daily(self, response: Response) -> Iterator[Any]:
        page = Selector(text=decode(response))
        issue_date = parse_date(" ".join(page.css(".ojDate ::text").getall()), self.timezone)
        rows = [
            (row.css("td.title a::attr(href)").get(), row.css("td.title a ::text").getall())
            for row in page.css("table.daily-view tbody tr")
        ]
        if not rows:
            rows = [(link.attrib.get("href"), link.css("::text").getall()) for link in page.css(ACT_LINKS)]
            rows = [(href, text) for href, text in rows if href and not RENDERING.search(href)]
            if rows:
                self.site_changed(
                    f"daily-view table matched nothing on {response.url}; {len(rows)} acts found by address"
                )
        entries: dict[str, Entry] = {}
        for href, text in rows:
            found = OJ_URI.search(href or "")
            title = " ".join(" ".join(text).split())
            if not href or not found or not title:
                continue
            series, year, number = found.group(1), found.group(2), int(found.group(3))
            key = f"OJ {series}/{year}/{number}"
            entries.setdefault(
                key, Entry(url=response.urljoin(href.strip()), key=key, title=title, date=issue_date)
            )
        for entry in self.entries_or_fail(entries.values(), response, "OJ act links"):
            if not RELEVANT.search(entry.title):
                self.count("listed")  # listed by the publisher, outside our scope
                continue
            if self.since and entry.date and entry.date[:10] < self.since:
                continue
            if self.should_fetch(entry.url, entry.fingerprint):
                html_url = entry.url.replace("/TXT/?uri=", "/TXT/HTML/?uri=")
                yield self.detail_request(
                    html_url,
                    self.parse_act,
                    key=entry.url,
                    listing_hash=entry.fingerprint,
                    cb_kwargs={"entry": entry},
                )

    def parse_act(self, response: Response, entry: Entry) -> Iterator[DocItem]:
        page = Selector(text=decode(response))
        heading = page.css(".eli-main-title p.oj-doc-ti") or page.css("p.oj-doc-ti")[:1]
        title = " ".join(" ".join(heading.css("::text").getall()).split())
        # The act's paragraphs; the masthead (series, number, date) is metadata, not text.
        paragraphs = page.xpath("//body//p[not(starts-with(@class, 'oj-hd'))]")
        text = clean_text(" ".join(p.css("::text").getall()) for p in paragraphs)
        masthead = " ".join(page.css("p.oj-hd-date ::text, table.oj-table ::text").getall())
        yield DocItem(
            source=self.name,
            url=entry.url,
            title=title or entry.title,
            text=text,
            published=entry.date or parse_date(masthead, self.timezone),
            notice_number=entry.key,
            attachments=[entry.url.replace("/TXT/?uri=", "/TXT/PDF/?uri=")],
        )
