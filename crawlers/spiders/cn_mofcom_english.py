"""MOFCOM English site: spokesperson remarks and news releases (SOURCES.md §7).

Only selected notices are translated, so alerts should come from the Chinese columns first; this source
adds the official English wording (useful to English-speaking analysts and the English tagger). Same CMS as
the Chinese site: ``/News/<Column>/art/YYYY/art_<hex>.html`` (also ``/Policies/…``), ``PubDate`` meta in Beijing
time, ``.art-con`` body; the legacy ``/article/newsrelease/…/YYYYMM/<14 digits>.shtml`` layout is matched too.
List dates are not text: a script writes them, ``parseToData(<epoch ms>,1)``; the spider reads the number.
Script-only redirect pages (``location.href=…``, ``_cofing1={href:…}``) are followed.
"""

from __future__ import annotations

import re

from crawlers.base import SourceSpider
from crawlers.mixins_cn import BEIJING, CnListingMixin

SITE = "https://english.mofcom.gov.cn"


class MofcomEnglishSpider(CnListingMixin, SourceSpider):
    name = "cn_mofcom_english"
    publisher = "Ministry of Commerce of the PRC (MOFCOM), English site"
    jurisdiction = "CN"
    language = "en"
    kind = "official"
    schedule = "1h"
    min_items = 2
    timezone = BEIJING
    entry_url = f"{SITE}/News/PressConference/index.html"
    listing_urls = (entry_url,)
    link_pattern = re.compile(
        r"english\.mofcom\.gov\.cn/(?:(?:News|Policies)/\w+/art/\d{4}/art_[0-9a-f]{16,32}\.html"
        r"|article/newsrelease/\w+/\d{6}/\d{14}\.shtml)"
    )
    content_selector = ".art-con"  # the detail page's body region
