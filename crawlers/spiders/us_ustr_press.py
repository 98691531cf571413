"""USTR press releases: HTML listing → article (SOURCES.md §2; structure checks, December 2026).

ustr.gov runs a current Drupal: listing rows ``.view-content .views-row`` with the link in
``.views-field-title a`` and the date in ``<time datetime>`` (its visible text "December 23, 2024" is the
publication day in Washington; the attribute is a date stored as noon UTC), pager
``li.pager__item--next a``; article body ``.field--name-body``. Press releases live under
``/about/policy-offices/press-office/press-releases/<year>/<month>/<slug>`` (old ``/about-us/`` paths
redirect there).
"""

from __future__ import annotations

import re

from scrapy.http import Response

from crawlers.base import SourceSpider
from crawlers.dates import parse_date
from crawlers.extract import attachments
from crawlers.items import DocItem
from crawlers.mixins import Entry, HtmlListingMixin

BASE = "https://ustr.gov/about/policy-offices/press-office/press-releases"


class UstrPressSpider(HtmlListingMixin, SourceSpider):
    name = "us_ustr_press"
    publisher = "Office of the United States Trade Representative (USTR)"
    jurisdiction = "US"
    language = "en"
    kind = "official"
    schedule = "1h"
    min_items = 3
    timezone = "America/New_York"
    entry_url = BASE
    listing_urls = (BASE,)
    row_selector = ".view-content .views-row"
    link_selector = ".views-field-title a::attr(href)"
    title_selector = ".views-field-title a ::text"
    date_selector = "time::text"
    next_selector = "li.pager__item--next a::attr(href)"
    content_selector = ".field--name-body"
    notice_pattern = re.compile(r"/press-office/press-releases/\d{4}/[a-z]+/[^/?#]+$")

    def detail_item(self, response: Response, entry: Entry) -> DocItem:
        page = self.page(response)
        when = " ".join(page.css(".field--name-field-date time::text").getall())
        title = " ".join(page.css("h1.page-title ::text").getall()).strip()
        body = page.css(self.content_selector).get()
        if body is None:
            self.site_changed(f"content selector {self.content_selector!r} matched nothing on {entry.url}")
        return DocItem(
            source=self.name,
            url=entry.url,
            title=title or entry.title,
            html=body or page.text,
            published=parse_date(when, self.timezone) or entry.date,
            attachments=attachments(page, self.content_selector),
        )
