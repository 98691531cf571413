"""Korea Trade Commission (무역위원회) trade-remedy investigations in progress (무역구제조사 진행), Korean.

The list ``/investArticle.do?menuId=11&process_step_code=11000005&invstg_type_code=10100001`` (anti-dumping;
menuId 12 is the closed cases) has a ``tbody tr`` per case: 건명, 조사번호, 품목, 조사개시일 (``YYYY.MM.DD``),
the link a ``javascript:viewInvest('<masterId>')`` call that POSTs ``/viewInvest.do``. Structure as read by a
public research scraper of ktc.go.kr (pilsunchoi/scope-disputes,
scripts/12_collect_ktc_cases.py). The case list row is the document
(a new case = an initiation); its URL is the case's ``viewInvest.do`` address with the masterId, and its id
the commission's 조사번호. We GET the list parameters the scraper POSTs (unverified on the live site).
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
from crawlers.mixins_cn import clean_text
from crawlers.state import fingerprint

SITE = "https://www.ktc.go.kr"
AD, STEP = "10100001", "11000005"  # 조사유형 반덤핑조사; the step code the site's script always sends
MASTER = re.compile(r"viewInvest\(\s*'(\d+)'")


class KtcCasesSpider(SourceSpider):
    name = "kr_ktc_cases"
    publisher = "Korea Trade Commission (무역위원회) — investigations"
    jurisdiction = "KR"
    language = "ko"
    kind = "official"
    schedule = "6h"
    min_items = 1
    timezone = "Asia/Seoul"
    entry_url = f"{SITE}/investArticle.do?menuId=11&process_step_code={STEP}&invstg_type_code={AD}"

    async def start(self) -> Any:
        yield self.listing_request(self.entry_url or "", self.parse_cases)

    def parse_cases(self, response: Response) -> Iterator[Any]:
        rows = []
        for tr in Selector(text=decode(response, self.fallback_encodings)).css("tbody tr"):
            master = MASTER.search(" ".join(tr.css("a::attr(href), a::attr(onclick)").getall()))
            cells = [clean_text(td.css("::text").getall()) for td in tr.css("td")]
            if master and len(cells) >= 4 and cells[0]:
                rows.append((master.group(1), cells))
        for master_id, (title, case_no, product, opened, *_) in self.entries_or_fail(
            rows, response, "case rows with viewInvest links"
        ):
            url = f"{SITE}/viewInvest.do?masterId={master_id}&menuId=11&invstg_type_code={AD}"
            published = parse_date(opened, self.timezone)
            if self.since and published and published[:10] < self.since:
                continue
            listing_hash = fingerprint(master_id, title, case_no, product, opened)
            if not self.should_fetch(url, listing_hash):
                continue
            yield DocItem(
                source=self.name,
                url=url,
                title=f"{title} 반덤핑조사 개시 ({case_no})" if case_no else title,
                text=f"건명: {title}\n조사번호: {case_no}\n품목: {product}\n조사개시일: {opened}",
                published=published,
                notice_number=f"무역위원회 조사번호 {case_no}" if case_no else None,
                listing_hash=listing_hash,
            )
