"""US Commerce Bureau of Industry and Security (BIS) press releases: Entity List additions, export-control
rules on advanced computing and semiconductors, penalties and settlements.

The page ``https://www.bis.gov/news-updates`` lists one ``li[data-date]`` per item, the link wrapping a
``span.date`` ("August 29, 2025") and the title in an ``h3`` (a ``font-bold`` utility class), as a public
sanctions-news monitor reads it (docs/sources.md; it renders the page in a browser). Releases live at
``/press-release/<slug>`` (the form every public citation uses; ``media.bis.gov`` serves the same paths):
rows are kept by that pattern, and found by it alone when the row markup changes. The date is the release
page's ``time[datetime]`` / ``article:published_time`` when present (they carry the time), else the row's
day, else htmldate. The release page's markup is unverified (body ``main article``, else trafilatura).
"""

from __future__ import annotations

import re

from parsel import Selector
from scrapy.http import Response

from crawlers.base import SourceSpider
from crawlers.dates import normalise_iso
from crawlers.extract import decode
from crawlers.items import DocItem
from crawlers.mixins import Entry, HtmlListingMixin
from crawlers.mixins_cn import clean_text

SITE = "https://www.bis.gov"
RELEASE = re.compile(r"bis\.gov/press-release/[\w-]+$")


class BisNewsSpider(HtmlListingMixin, SourceSpider):
    name = "us_bis_news"
    publisher = "US Department of Commerce, Bureau of Industry and Security (BIS)"
    jurisdiction = "US"
    language = "en"
    kind = "official"
    schedule = "30m"
    min_items = 2
    timezone = "America/New_York"
    entry_url = f"{SITE}/news-updates"
    listing_urls = (entry_url,)
    redirect_domains = ("media.bis.gov",)
    row_selector = "li[data-date]"
    content_selector = "main article"  # the detail page's body region
    link_selector = "a[href*='/press-release/']::attr(href)"
    title_selector = "a[href*='/press-release/'] h3 ::text"
    date_selector = "span.date::text"
    notice_pattern = RELEASE

    def listing_entries(self, response: Response) -> list[Entry]:
        entries: dict[str, Entry] = {}
        for entry in super().listing_entries(response):
            url = entry.url.split("?")[0].rstrip("/")
            if RELEASE.search(url) and url not in entries:
                entries[url] = Entry(url=url, title=clean_text([entry.title]), date=entry.date)
        return list(entries.values())

    def pattern_entries(self, response: Response) -> list[Entry]:
        """Release links found by address; a link wrapping the row's date and ``h3`` is titled by the ``h3``."""
        entries = []
        for entry in super().pattern_entries(response):
            path = entry.url.split("bis.gov", 1)[-1]
            heading = response.css(f'a[href$="{path}"] h3 ::text').getall()
            entries.append(Entry(url=entry.url, title=clean_text(heading) or entry.title, date=entry.date))
        return entries

    def detail_item(self, response: Response, entry: Entry) -> DocItem:
        page = Selector(text=decode(response, self.fallback_encodings))
        stamp = (
            page.css("main time::attr(datetime)").get()
            or page.css('meta[property="article:published_time"]::attr(content)').get()
        )
        return self.region_document(
            page,
            entry,
            entry.url,
            title=clean_text(page.css("main h1 ::text").getall()) or entry.title,
            published=normalise_iso(stamp, self.timezone) or entry.date,
        )
