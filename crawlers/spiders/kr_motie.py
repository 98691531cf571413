"""Korea's trade ministry English press releases, including Korea Trade Commission anti-dumping decisions
(SOURCES.md §14). The ministry is now the Ministry of Trade, Industry and Resources (MOTIR): the board moved
from ``english.motie.go.kr/en/pc/pressreleases/bbs/bbsList.do`` (404) to
``english.motir.go.kr/eng/article/EATCLdfa319ada?bbsCdN=2&pageIndex=1``. Dates are Korea time.

The board is server-rendered (a public scraper of it, docs/sources.md): one ``.board-list li`` per release,
whose link is not a URL but a script call ``javascript:article.view('<n>', '<bbsCdN>')``; the title is the
row's ``strong.title``, the date ``span.date`` (``YYYY-MM-DD`` after an ``<i>date</i>`` label), a summary
``span.cont``. The article is ``/eng/article/EATCLdfa319ada/<n>/view`` (the form public citations use), its
body ``div.detail-cont`` inside ``div.board-detail``; files are ``/attach/down/…`` links, plain or inside a
``javascript:location.href='…'`` call. When the row markup changes, releases are still found by the
``article.view`` call or a direct ``/<n>/view`` link anywhere on the page. Backfilling (``--since``) reads
the next pages by the list's own ``pageIndex`` parameter while the page's pager names the next page (the
pager is a script, like the row links; its exact call is unverified, so any ``…link_page(N)``/``linkPage(N)``
/``goPage(N)``/``pageIndex=N`` reference counts).
Host and list path are overridable (``CWATCH_SOURCES: {kr_motie: {host: …, list_path: …}}``).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from parsel import Selector
from scrapy.http import Response

from crawlers.base import SourceSpider
from crawlers.dates import normalise_iso, parse_date
from crawlers.extract import decode
from crawlers.items import DocItem
from crawlers.mixins import Entry, HtmlListingMixin
from crawlers.mixins_cn import block_text, clean_text

HOST = "english.motir.go.kr"
BOARD = "EATCLdfa319ada"  # the press-release category (an opaque id)
LIST_PATH = f"/eng/article/{BOARD}?bbsCdN=2&pageIndex=1"
ARTICLE_CALL = re.compile(r"article\.view\(\s*'(\d+)'")
DOWNLOAD = re.compile(r"(/attach/down/[^'\"\s)]+)")


class MotieSpider(HtmlListingMixin, SourceSpider):
    name = "kr_motie"
    publisher = (
        "Ministry of Trade, Industry and Resources of Korea (MOTIR, formerly MOTIE) / Korea Trade Commission"
    )
    jurisdiction = "KR"
    language = "en"
    kind = "official"
    schedule = "2h"
    min_items = 2
    timezone = "Asia/Seoul"
    entry_url = f"https://{HOST}{LIST_PATH}"
    row_selector = ".board-list li"
    content_selector = ".board-detail, .detail-cont"  # the article's body block (the wrapper or the body)
    notice_pattern = re.compile(rf"/eng/article/{BOARD}/\d+/view$")
    host = HOST
    list_path = LIST_PATH
    board = BOARD

    async def start(self) -> Any:
        host = self.settings.get("CWATCH_KR_MOTIE_HOST") or self.host  # the older, single-purpose setting
        yield self.listing_request(
            f"https://{host}{self.list_path}", self.parse_listing, cb_kwargs={"page": 1}
        )

    def article_url(self, link: Selector, base_url: str) -> str | None:
        """The article a board link opens: its ``article.view('<n>', …)`` call, else a direct link."""
        script = " ".join(link.css("::attr(href), ::attr(onclick)").getall())
        called = ARTICLE_CALL.search(script)
        if called:
            host = base_url.split("/")[2]
            return f"https://{host}/eng/article/{self.board}/{called.group(1)}/view"
        href = link.attrib.get("href", "").strip()
        url = urljoin(base_url, href.split("?")[0]) if href else ""
        return url if self.notice_pattern and self.notice_pattern.search(url) else None

    def listing_entries(self, response: Response) -> list[Entry]:
        entries: dict[str, Entry] = {}
        for row in response.css(self.row_selector):
            link = row.css("a")
            url = self.article_url(link[0], response.url) if link else None
            title = clean_text(row.css("strong.title ::text").getall())
            if not url or not title or url in entries:
                continue
            entries[url] = Entry(
                url=url,
                title=title,
                date=normalise_iso(" ".join(row.css("span.date::text").getall()).strip(), self.timezone),
                summary=clean_text(row.css("span.cont ::text").getall()),
            )
        return list(entries.values())

    def pattern_entries(self, response: Response) -> list[Entry]:
        """Every article a link on the page opens, by script call or direct URL (title: the link's text)."""
        found: dict[str, Entry] = {}
        for link in response.css("a"):
            url = self.article_url(link, response.url)
            title = clean_text([" ".join(link.css("::text").getall())])
            if url and title and url not in found:
                found[url] = Entry(url=url, title=" ".join(title.split()))
        return list(found.values())

    def next_page_url(self, response: Response, page: int) -> str | None:
        """The board's next page by its ``pageIndex`` parameter, while the pager names it."""
        return with_page(response.url, page + 1) if pager_names(response.text, page + 1) else None

    def detail_item(self, response: Response, entry: Entry) -> DocItem:
        page = Selector(text=decode(response, self.fallback_encodings))
        region = self.content_region(page, entry.url)
        text = (block_text(page, ".detail-cont") or block_text(page, ".board-detail")) if region else ""
        title = clean_text(page.css(".board-detail .title ::text").getall()[:1])
        stamp = " ".join(page.css(".board-detail .date::text").getall())
        return self.page_document(
            page,
            entry,
            text,
            title=title or entry.title,
            published=entry.date or parse_date(stamp, self.timezone),
            attachments=downloads(page, region, response.url),
        )


def pager_names(html: str, page: int) -> bool:
    """Whether the page's pager links page `page` (past the last page the board lists nothing)."""
    return (
        re.search(rf"(?:link_?page|linkpage|gopage)\(\s*'?{page}\b|pageIndex={page}\b", html, re.I)
        is not None
    )


def with_page(url: str, page: int) -> str:
    """The board URL with ``pageIndex`` set to `page` (other parameters kept)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query["pageIndex"] = str(page)
    return urlunsplit(parts._replace(query=urlencode(query)))


def downloads(page: Selector, region: str | None, base_url: str) -> list[str]:
    """The ``/attach/down/…`` files linked inside the region, whether the link is a URL or a script."""
    if region is None:
        return []
    scripts = page.css(", ".join(f"{part.strip()} a" for part in region.split(",")))
    found = {
        urljoin(base_url, hit.group(1))
        for link in scripts
        for hit in DOWNLOAD.finditer(" ".join(link.css("::attr(href), ::attr(onclick)").getall()))
    }
    return sorted(found)
