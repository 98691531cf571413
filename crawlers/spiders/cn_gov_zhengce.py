"""State Council (国务院) latest policy documents on www.gov.cn, Chinese originals: State Council decrees and
General Office circulars, including export-control regulations and tariff decisions issued in its name.

The 最新政策 list ``/zhengce/zuixin/`` links documents ``/zhengce/content/YYYYMM/content_N.htm`` or
``/zhengce/zhengceku/YYYYMM/content_N.htm`` (headline links in ``h4 a``); pages state first publication in
``meta[name=firstpublishedtime]`` written ``YYYY-MM-DD-HH:MM:SS`` (Beijing time) and a ``manuscriptId``; the
body is ``div.TRS_UEDITOR`` or ``#UCAP-CONTENT`` (structure as read by RSSHub's gov/zhengce route).
"""

from __future__ import annotations

import re
from typing import Any

from parsel import Selector

from crawlers.base import SourceSpider
from crawlers.dates import parse_date
from crawlers.mixins_cn import BEIJING, CnListingMixin, attachments, block_text, clean_text

SITE = "https://www.gov.cn"
STAMP = re.compile(r"^(\d{4}-\d{2}-\d{2})-(\d{2}:\d{2}(?::\d{2})?)$")
DECREE = re.compile(r"国务院令\s*第\s*(\d+)\s*号|国发\s*[〔\[（(]\s*(\d{4})\s*[〕\]）)]\s*(\d+)\s*号")


def first_published(value: str | None) -> str | None:
    """gov.cn writes 2024-12-03-09:30:00; a dash between day and time, read as Beijing time."""
    if not value:
        return None
    found = STAMP.match(value.strip())
    return parse_date(f"{found.group(1)} {found.group(2)}" if found else value, BEIJING)


def decree_number(text: str) -> str | None:
    found = DECREE.search(text[:300])
    if not found:
        return None
    if found.group(1):
        return f"国务院令第{found.group(1)}号"
    return f"国发〔{found.group(2)}〕{int(found.group(3))}号"


class GovZhengceSpider(CnListingMixin, SourceSpider):
    name = "cn_gov_zhengce"
    publisher = "State Council of the PRC (国务院, www.gov.cn 最新政策)"
    jurisdiction = "CN"
    language = "zh"
    kind = "official"
    schedule = "1h"
    min_items = 2
    timezone = BEIJING
    entry_url = f"{SITE}/zhengce/zuixin/"
    listing_urls = (entry_url,)
    row_selector = "h4, div.subtitle"
    date_selector = "span.date::text"
    link_pattern = re.compile(r"www\.gov\.cn/zhengce/(?:[\w/]+/)?\d{6}/content_\d+\.htm$")
    content_selector = "#UCAP-CONTENT, div.TRS_UEDITOR"  # the detail page's body region

    def article_fields(self, sel: Selector, url: str) -> dict[str, Any]:
        title = clean_text(
            [sel.css("div.share-title::text").get() or sel.css("title::text").get() or ""]
        ).removesuffix("_国务院文件_中国政府网")
        region = self.content_region(sel, url)
        # the editor block when present (it sits inside #UCAP-CONTENT on content pages), else the container
        text = (block_text(sel, "div.TRS_UEDITOR") or block_text(sel, "#UCAP-CONTENT")) if region else ""
        manuscript = sel.css('meta[name="manuscriptId"]::attr(content)').get()
        return {
            "title": title,
            "published": first_published(sel.css('meta[name="firstpublishedtime"]::attr(content)').get()),
            "text": text,
            "attachments": attachments(sel, self.attachment_scope(region), url),
            "notice_number": decree_number(text) or (f"gov.cn/{manuscript}" if manuscript else None),
        }
