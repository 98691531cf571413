"""Cyberspace Administration of China (国家互联网信息办公室) 权威发布, Chinese: cybersecurity-review decisions on
foreign firms (e.g. the 2023 Micron review), data-export and security rules, enforcement announcements.

The column ``/qwfb/A0903index_1.htm`` is server-rendered TRS HTML: ``div#loadingInfoPage li`` rows, the
link in ``h5 a`` with the full title in its ``title`` attribute (the text may be cut), the date in
``div.times`` (``YYYY-MM-DD``). Articles ``/YYYY-MM/DD/c_<16 digits>.htm``: ``h1.title``, ``#pubtime``
(``2026年09月18日 17:00``, Beijing time), body ``#BodyLabel``. Structure as read by RSSHub's gov/cac route and
a public CAC scraper; the column id (A0903) is the site's own and changes only with a redesign.
"""

from __future__ import annotations

import re
from typing import Any

from parsel import Selector

from crawlers.base import SourceSpider
from crawlers.dates import parse_date
from crawlers.mixins_cn import BEIJING, CnListingMixin, attachments, block_text, clean_text, notice_number

SITE = "https://www.cac.gov.cn"
ARTICLE_ID = re.compile(r"/(c_\d+)\.htm$")


class CacSpider(CnListingMixin, SourceSpider):
    name = "cn_cac"
    publisher = "Cyberspace Administration of China (国家互联网信息办公室)"
    jurisdiction = "CN"
    language = "zh"
    kind = "official"
    schedule = "1h"
    min_items = 2
    timezone = BEIJING
    entry_url = f"{SITE}/qwfb/A0903index_1.htm"
    listing_urls = (entry_url,)
    row_selector = "div#loadingInfoPage li"
    date_selector = ".times::text"
    link_pattern = re.compile(r"cac\.gov\.cn/\d{4}-\d{2}/\d{2}/c_\d+\.htm$")
    content_selector = "#BodyLabel"  # the detail page's body region

    def article_fields(self, sel: Selector, url: str) -> dict[str, Any]:
        title = clean_text(sel.css("h1.title ::text").getall())
        region = self.content_region(sel, url)
        text = block_text(sel, region) if region else ""
        page_id = ARTICLE_ID.search(url)
        return {
            "title": title,
            "published": parse_date(sel.css("#pubtime::text").get(), BEIJING),
            "text": text,
            "attachments": attachments(sel, self.attachment_scope(region), url),
            "notice_number": notice_number(title, text) or (f"网信办{page_id.group(1)}" if page_id else None),
        }
