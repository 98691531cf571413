"""Ministry of Foreign Affairs: countermeasure decisions under the Anti-Foreign Sanctions Law (外交部令,
反制措施), Chinese originals (SOURCES.md §8).

The 反制裁、反干涉、反制长臂管辖 index lists notices as ``./YYYYMM/tYYYYMMDD_N.shtml``; they are matched by
URL pattern, not title, because every notice on this index is a candidate. Older pages are GB2312/GB18030
(like the Taiwan Affairs Office's), newer ones UTF-8. Notice id: the decree number (外交部令第9号) when the
page gives one, else the page id ``tYYYYMMDD_N``, which is the same under the ``/web/…`` and ``/…`` aliases.

Page layout as maintained readers of MFA pages take it (docs/sources.md): title ``.news-title h1``, date
``.news-title .time span`` (``YYYY-MM-DD HH:MM``, Beijing), body ``#News_Body_Txt_A`` (RSSHub) inside the
``.news-main`` block (a public MFA scraper); the editor's ``.TRS_Editor`` and the block itself are the
fallbacks, trafilatura when ``.news-main`` is missing.
"""

from __future__ import annotations

import re
from typing import Any

from parsel import Selector

from crawlers.base import SourceSpider
from crawlers.dates import parse_date
from crawlers.mixins_cn import BEIJING, CnListingMixin, attachments, block_text, notice_number

SITE = "https://www.mfa.gov.cn"
INDEX = f"{SITE}/web/wjb_673085/zfxxgk_674865/gknrlb/fzcqdcs/"
PAGE_ID = re.compile(r"/(\d{6})/(t\d+_\d+)\.shtml")


class MfaCountermeasuresSpider(CnListingMixin, SourceSpider):
    name = "cn_mfa_countermeasures"
    publisher = "Ministry of Foreign Affairs of the PRC (外交部)"
    jurisdiction = "CN"
    language = "zh"
    kind = "official"
    schedule = "1h"
    min_items = 1
    timezone = BEIJING
    entry_url = INDEX
    listing_urls = (INDEX,)
    fallback_encodings = ("gb18030",)
    link_pattern = re.compile(r"mfa\.gov\.cn/.*/\d{6}/t\d+_\d+\.shtml$")
    content_selector = ".news-main"  # the detail page's body region

    def article_fields(self, sel: Selector, url: str) -> dict[str, Any]:
        title = " ".join(sel.css(".news-title h1::text, h1::text").getall()[:1]).strip()
        region = self.content_region(sel, url)
        text = (
            block_text(sel, f"{region} #News_Body_Txt_A")
            or block_text(sel, f"{region} .TRS_Editor")
            or block_text(sel, region)
            if region
            else ""
        )
        page_id = PAGE_ID.search(url)
        return {
            "title": title,
            "published": parse_date(" ".join(sel.css(".news-title .time span::text").getall()), BEIJING),
            "text": text,
            "attachments": attachments(sel, self.attachment_scope(region), url),
            "notice_number": notice_number(title, text) or (f"外交部{page_id.group(2)}" if page_id else None),
        }
