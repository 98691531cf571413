"""State Council Tariff Commission (国务院关税税则委员会) announcements, published by the Ministry of Finance's
Tariff Policy Department (关税司, gss.mof.gov.cn), Chinese originals.

The 政策发布 column ``/gzdt/zhengcefabu/`` lists one ``ul.liBox li`` per document (link with a ``title``
attribute, ``YYYY-MM-DD`` in a ``span``); documents are TRS pages ``./YYYYMM/tYYYYMMDD_N.htm`` with the body
in ``div.my_doccontent`` (structure as read by RSSHub's gov/mof/gss route). Retaliatory tariff decisions
carry the commission's series number 税委会公告YYYY年第N号, which becomes the stable id.
"""

from __future__ import annotations

import re
from typing import Any

from parsel import Selector

from crawlers.base import SourceSpider
from crawlers.dates import parse_date
from crawlers.mixins_cn import BEIJING, CnListingMixin, attachments, block_text

SITE = "https://gss.mof.gov.cn"
NUMBER = re.compile(r"税委会公告\s*(\d{4})\s*年\s*第\s*(\d+)\s*号")


def tariff_number(*texts: str) -> str | None:
    for text in texts:
        found = NUMBER.search(text[:200])
        if found:
            return f"税委会公告{found.group(1)}年第{int(found.group(2))}号"
    return None


class MofTariffCommissionSpider(CnListingMixin, SourceSpider):
    name = "cn_mof_gss"
    publisher = "State Council Tariff Commission / MOF Tariff Policy Department (国务院关税税则委员会)"
    jurisdiction = "CN"
    language = "zh"
    kind = "official"
    schedule = "30m"
    min_items = 2
    timezone = BEIJING
    entry_url = f"{SITE}/gzdt/zhengcefabu/"
    listing_urls = (entry_url,)
    fallback_encodings = ("gb18030",)
    row_selector = "ul.liBox li"
    date_selector = "span::text"
    link_pattern = re.compile(r"gss\.mof\.gov\.cn/gzdt/\w+/\d{6}/t\d{8}_\d+\.htm$")
    content_selector = "div.my_doccontent"  # the detail page's body region

    def article_fields(self, sel: Selector, url: str) -> dict[str, Any]:
        title = (
            sel.css('meta[name="ArticleTitle"]::attr(content)').get()
            or " ".join(sel.css(".title_con ::text, h2 ::text").getall()[:1])
        ).strip()
        region = self.content_region(sel, url)
        text = block_text(sel, region) if region else ""
        return {
            "title": title,
            "published": parse_date(sel.css('meta[name="PubDate"]::attr(content)').get(), BEIJING),
            "text": text,
            "attachments": attachments(sel, self.attachment_scope(region), url),
            "notice_number": tariff_number(title, text),
        }
