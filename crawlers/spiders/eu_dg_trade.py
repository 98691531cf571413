"""European Commission DG TRADE news (trade defence and policy), HTML listing → article (SOURCES.md §10).

The news list is the Commission's Europa Component Library markup, as maintained scrapers of sister sites on
the same platform read it (DG COMP's policy site, EU agency lists; docs/sources.md): one
``article.ecl-content-item`` per entry, ``.ecl-content-block__primary-meta-item`` kind and
``time[datetime]``, the title link in ``.ecl-content-block__title`` (``data-ecl-title-link``), ``?page=N``.
Articles live at ``/news/<slug>-YYYY-MM-DD_en`` (the form of public citations); when the cards are not found,
links of that form are collected and the run records "site changed".
"""

from __future__ import annotations

import re

from scrapy.http import Response

from crawlers.base import SourceSpider
from crawlers.dates import normalise_iso
from crawlers.extract import attachments
from crawlers.items import DocItem
from crawlers.mixins import Entry, HtmlListingMixin


class EuDgTradeSpider(HtmlListingMixin, SourceSpider):
    name = "eu_dg_trade"
    publisher = "European Commission, DG TRADE"
    jurisdiction = "EU"
    language = "en"
    kind = "official"
    schedule = "1h"
    min_items = 3
    timezone = "Europe/Brussels"
    entry_url = "https://policy.trade.ec.europa.eu/news_en"
    listing_urls = (entry_url,)
    # Europa Component Library markup: one content item per news entry.
    row_selector = "article.ecl-content-item"
    link_selector = ".ecl-content-block__title a::attr(href)"
    title_selector = ".ecl-content-block__title a::text"
    date_selector = "time::attr(datetime)"
    next_selector = "a.ecl-pagination__link[aria-label='Go to next page']::attr(href)"
    content_selector = "article .ecl"
    notice_pattern = re.compile(r"policy\.trade\.ec\.europa\.eu/news/[\w-]+-\d{4}-\d{2}-\d{2}_en$")

    def detail_item(self, response: Response, entry: Entry) -> DocItem:
        page = self.page(response)
        when = page.css(".ecl-page-header__meta time::attr(datetime)").get()
        return DocItem(
            source=self.name,
            url=entry.url,
            title=(
                page.css("h1.ecl-page-header__title span::text, h1.ecl-page-header__title::text").get()
                or entry.title
            ).strip(),
            html=page.css(self.content_selector).get() or page.text,
            published=normalise_iso(when, self.timezone) or entry.date,
            attachments=attachments(page, "article"),
        )
