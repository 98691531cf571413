"""MOFCOM Trade Remedy and Investigation Bureau (贸易救济调查局): anti-dumping, countervailing and safeguard
initiations, preliminary and final rulings, expiry reviews — Chinese originals (SOURCES.md §6).

The 贸易救济调查 column lists ``/myjjdc/art/YYYY/art_<32hex>.html`` articles (legacy ``/article/…/YYYYMM/
….shtml`` pages are matched too). Detail pages share MOFCOM's CMS (``PubDate`` meta, ``.art-con`` body; a
link-out page's ``_cofing1`` script is followed). The column is paged by the CMS's layui pager (page links
carry ``data-page``; static pages ``index_N.html``), followed only when backfilling. Third-party monitors
drive this site with a browser; when the plain fetch is refused, the run fails with the HTTP reason instead
of passing as empty.
"""

from __future__ import annotations

import re

from crawlers.base import SourceSpider
from crawlers.mixins_cn import BEIJING, CnListingMixin

SITE = "https://trb.mofcom.gov.cn"


class MofcomTrbSpider(CnListingMixin, SourceSpider):
    name = "cn_mofcom_trb"
    publisher = "MOFCOM Trade Remedy and Investigation Bureau (商务部贸易救济调查局)"
    jurisdiction = "CN"
    language = "zh"
    kind = "official"
    schedule = "30m"
    min_items = 2
    timezone = BEIJING
    entry_url = f"{SITE}/myjjdc/index.html"
    listing_urls = (entry_url,)
    pager_selector = (
        ".layui-laypage a:not(.layui-disabled)"  # page links with data-page; followed only when backfilling
    )
    fallback_encodings = ("gb18030",)
    link_pattern = re.compile(
        r"trb\.mofcom\.gov\.cn/(?:myjjdc/art/\d{4}/art_[0-9a-f]{32}\.html|article/[\w/]+/\d{6}/\d+\.shtml)"
    )
    content_selector = ".art-con"  # the detail page's body region
