"""Shared parsing for Chinese government sites (MOFCOM's CMS, MFA, GACC) and their notice numbers.

Notice numbers are the publishers' own stable ids (DESIGN.md §2): one announcement published under
``/zcfb/blgg/gg/…``, ``/zcfb/zc/…`` and ``aqygzj…/flzc/…`` carries the same number, so keying documents on it
makes the aliases one document. Joint MOFCOM–GACC announcements are numbered in MOFCOM's series, so
``商务部 海关总署公告2023年第23号`` and ``商务部公告2023年第23号`` are the same key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from parsel import Selector
from scrapy import Request
from scrapy.http import Response

from crawlers.dates import parse_date, zone
from crawlers.extract import decode, is_web_url
from crawlers.items import DocItem
from crawlers.mixins import Entry, HtmlListingMixin

BEIJING = "Asia/Shanghai"
MAX_TEXT_CHARS = 200_000  # scraped text is untrusted: cap what we keep

_OPEN, _CLOSE = "[〔\\[［(（]", "[〕\\]］)）]"
NOTICE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # 商务部公告2024年第33号; 商务部 海关总署公告2023年第23号 (joint notices use MOFCOM's series)
    (
        re.compile(r"商务部(?:\s*[、\s]\s*[^\s公]{2,8})*\s*公告\s*(\d{4})\s*年\s*第\s*(\d+)\s*号"),
        "商务部公告{0}年第{1}号",
    ),
    (
        re.compile(rf"不可靠实体清单工作机制公告\s*{_OPEN}\s*(\d{{4}})\s*{_CLOSE}\s*(\d+)\s*号"),
        "不可靠实体清单工作机制公告〔{0}〕{1}号",
    ),
    (re.compile(r"商务部令\s*(\d{4})\s*年\s*第\s*(\d+)\s*号"), "商务部令{0}年第{1}号"),
    (re.compile(r"海关总署公告\s*(\d{4})\s*年\s*第\s*(\d+)\s*号"), "海关总署公告{0}年第{1}号"),
    (re.compile(rf"外交部令\s*{_OPEN}?\s*第\s*(\d+)\s*号"), "外交部令第{0}号"),
]
# Only the title and the opening of the body are searched: later paragraphs cite other notices
# ("根据商务部公告2024年第33号…"), and taking such a citation as the id would merge two notices.
NOTICE_HEAD_CHARS = 120

ATTACHMENT_RE = re.compile(r"\.(pdf|docx?|xlsx?|wps|zip|rar|ofd)(?:$|[?#])", re.I)
JS_REDIRECT_RE = re.compile(r"""(?:window\.|document\.)?location(?:\.href)?\s*=\s*["']([^"']+)["']""")
# MOFCOM's CMS publishes a "link-out" article (one listed in a column but living elsewhere: a bureau's site, a
# press-conference page) as a full page template whose script holds ``var _cofing1={href:"<target>",type:…}``;
# the browser goes to `href`. Maintained scrapers read the same config (RSSHub lib/routes/gov/mofcom/article.ts;
# a public lawScrapy spider of mofcom.gov.cn) and fetch the target with the listed page as Referer.
COFING_RE = re.compile(r"""\b_cofing1\s*=\s*\{\s*["']?href["']?\s*:\s*["']([^"']+)["']""")
# List dates on MOFCOM's current CMS are written by a script, ``parseToData(<epoch ms>,1)``, not as text
# (english.mofcom.gov.cn, per a public scraper of it; SOURCES.md structure checks).
PARSE_TO_DATA_RE = re.compile(r"parseToData\(\s*(\d{10,13})\s*[,)]")
MAX_JS_HOPS = 2  # a link-out pointing at another link-out is followed once more, never in a loop


def notice_number(title: str | None, text: str | None = None) -> str | None:
    """The canonical notice number named in the title, else in the first lines of the body."""
    for haystack in (title or "", (text or "")[:NOTICE_HEAD_CHARS]):
        for pattern, template in NOTICE_PATTERNS:
            found = pattern.search(haystack)
            if found:
                return template.format(*(int(g) for g in found.groups()))
    return None


def clean_text(parts: Iterable[str]) -> str:
    """Paragraph texts joined one per line, whitespace collapsed (full-width spaces included)."""
    lines = (re.sub(r"[\s\u3000\xa0]+", " ", part).strip() for part in parts)
    return "\n".join(line for line in lines if line)[:MAX_TEXT_CHARS]


def block_text(sel: Selector, css: str) -> str:
    """Text of the block at `css`, one line per paragraph/row, scripts and styles left out."""
    block = sel.css(css)
    if not block:
        return ""
    paragraphs = block.xpath(".//*[self::p or self::h1 or self::h2 or self::h3 or self::li or self::tr]")
    if paragraphs:
        return clean_text(
            " ".join(p.xpath(".//text()[not(ancestor::script or ancestor::style)]").getall())
            for p in paragraphs
            if not p.xpath("ancestor::p")
        )
    return clean_text(block[0].xpath(".//text()[not(ancestor::script or ancestor::style)]").getall())


def attachments(sel: Selector, css: str | None, base_url: str) -> list[str]:
    """Absolute URLs of PDF/Word/… files linked from the block at `css` (names can sit only there); none
    when `css` is None (a detail page lacking its content region)."""
    if css is None:
        return []
    links = ", ".join(f"{part.strip()} a::attr(href)" for part in css.split(","))  # each of "A, B"
    hrefs = sel.css(links).getall()
    return sorted({urljoin(base_url, h.strip()) for h in hrefs if ATTACHMENT_RE.search(h.strip())})


def js_redirect(html: str) -> str | None:
    """Target of a page that only sends the browser elsewhere, else None: MOFCOM's link-out template
    (``_cofing1={href:"…"}``, anywhere in a full page) or a script-only ``location.href=…`` stub."""
    cofing = COFING_RE.search(html)
    if cofing and cofing.group(1).strip():
        return cofing.group(1).strip()
    if len(html) > 4000 or "<p" in html:  # a real article is longer and has paragraphs
        return None
    found = JS_REDIRECT_RE.search(html)
    return found.group(1) if found else None


def script_date(row: Selector, tz: str = BEIJING) -> str | None:
    """ISO date of a list row whose date is written by ``parseToData(<epoch ms>,…)``, else None."""
    found = PARSE_TO_DATA_RE.search(" ".join(row.css("script::text").getall()))
    if not found:
        return None
    stamp = int(found.group(1))
    seconds = stamp / 1000 if len(found.group(1)) == 13 else stamp
    try:
        return datetime.fromtimestamp(seconds, zone(tz)).isoformat(timespec="seconds")
    except (OverflowError, OSError, ValueError):
        return None


def page_url(list_url: str, number: int) -> str:
    """Page `number` of a MOFCOM column: ``…/index.html`` → ``…/index_2.html`` (the CMS's static pages)."""
    base = re.sub(r"[?#].*$", "", list_url)
    if re.search(r"/index(?:_\d+)?\.html$", base):
        return re.sub(r"/index(?:_\d+)?\.html$", f"/index_{number}.html", base)
    return base.rstrip("/") + f"/index_{number}.html"


def mofcom_article(
    sel: Selector, url: str, region: str | None = ".art-con", files: str | None = ".art-con"
) -> dict[str, object]:
    """Fields of a page of MOFCOM's CMS (www, aqygzj, trb, english): ``ArticleTitle``/``PubDate`` metas
    (Beijing time, no zone written), body in `region` (``.art-con``; None: left to trafilatura), attachments
    linked inside `files`."""
    title = (
        sel.css('meta[name="ArticleTitle"]::attr(content)').get()
        or sel.css(".art-title h1::text").get()
        or sel.css("h1::text").get()
        or ""
    ).strip()
    published = parse_date(sel.css('meta[name="PubDate"]::attr(content)').get(), BEIJING) or parse_date(
        " ".join(sel.css(".art-title ::text").getall()), BEIJING
    )
    text = block_text(sel, region) if region else ""
    return {
        "title": title,
        "published": published,
        "text": text,
        "attachments": attachments(sel, files, url),
        "notice_number": notice_number(title, text),
    }


# --- the listing → detail mixin for these sites ---------------------------------------------------


class CnListingMixin(HtmlListingMixin):
    """Listing rows matched by notice-URL pattern (titles vary; URL layouts are what the sites keep stable),
    details parsed by `article_fields` (MOFCOM's CMS by default). One notice listed under two URL aliases in
    the same run is fetched once: the second entry is recognised by the notice number in its title."""

    # Provided by SourceSpider (declared here for the type checker; the mixin comes first in the MRO).
    name: str
    language: str
    timezone: str
    fallback_encodings: tuple[str, ...]
    if TYPE_CHECKING:
        count: Callable[..., None]
        detail_request: Callable[..., Request]

    link_pattern: re.Pattern[str] = re.compile(r".")
    row_selector = "li"
    date_selector: str | None = "span::text"
    # The column's layui pager (its page links carry ``data-page``, their href is ``javascript:;``): followed
    # only when backfilling, as ``index_N.html``. None: the column is not paged.
    pager_selector: str | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seen_notices: set[str] = set()
        self.last_entries: list[Entry] = []  # of the listing parsed last (a spider may derive more from it)

    def listing_entries(self, response: Response) -> list[Entry]:
        html = decode(response, self.fallback_encodings)
        self.last_entries = self.entries_in(Selector(text=html), response.url)
        return self.last_entries

    def entries_in(self, sel: Selector, base_url: str) -> list[Entry]:
        entries: dict[str, Entry] = {}
        for row in sel.css(self.row_selector):
            for link in row.css("a[href]"):
                url = urljoin(base_url, link.attrib["href"].strip())
                if not self.link_pattern.search(url) or url in entries:
                    continue
                title = (link.attrib.get("title") or " ".join(link.css("::text").getall())).strip()
                date_text = " ".join(row.css(self.date_selector).getall()) if self.date_selector else None
                date = parse_date(date_text, self.timezone) or script_date(row, self.timezone)
                number = notice_number(title)
                if number and number in self.seen_notices:
                    self.count("aliases")
                    continue
                if number:
                    self.seen_notices.add(number)
                entries[url] = Entry(url=url, title=clean_text([title]), date=date)
        return list(entries.values())

    def parse_listing(self, response: Response, page: int) -> Iterator[Any]:
        yield from super().parse_listing(response, page)
        following = self.next_page(response, page)
        if following:
            yield self.listing_request(following, self.parse_listing, cb_kwargs={"page": page + 1})

    def next_page(self, response: Response, page: int) -> str | None:
        """``index_{page+1}.html`` when backfilling, the pager offers that page and this one is not yet older
        than --since."""
        if not self.pager_selector or not self.since or page >= self.page_cap:
            return None
        dates = [e.date for e in self.last_entries if e.date]
        if not self.last_entries or (dates and min(dates)[:10] < self.since):
            return None
        offered = {
            int(n)
            for n in response.css(f"{self.pager_selector}::attr(data-page)").getall()
            if n.strip().isdigit()
        }
        return page_url(response.url, page + 1) if page + 1 in offered else None

    def article_fields(self, sel: Selector, url: str) -> dict[str, Any]:
        region = self.content_region(sel, url)
        return mofcom_article(sel, url, region, self.attachment_scope(region))

    def detail_item(self, response: Response, entry: Entry) -> DocItem | Request:
        html = decode(response, self.fallback_encodings)
        target = js_redirect(html)
        hops = int(response.meta.get("cwatch_js_hops", 0))
        if target and is_web_url(response.urljoin(target)) and response.urljoin(target) != response.url:
            if hops < MAX_JS_HOPS:
                # The listed page sends the browser to `target`: fetch it as the browser would (the listed page
                # as Referer, no validators of the listed page), keep the document under the listed URL.
                request = self.detail_request(
                    response.urljoin(target),
                    self.parse_detail,
                    key=entry.url,
                    listing_hash=response.meta.get("cwatch_listing_hash"),
                    cb_kwargs={"entry": entry},
                    conditional=False,
                    meta={"cwatch_js_hops": hops + 1},
                )
                request.headers["Referer"] = response.url
                return request
            self.site_changed(
                f"more than {MAX_JS_HOPS} script redirects from {entry.url}; read {response.url}"
            )
        page = Selector(text=html)
        fields = self.article_fields(page, response.url)
        item = self.doc_item(entry, fields, html)
        frame = self.frame_url(page, response)
        if frame and hops <= MAX_JS_HOPS:
            # The body region shows its table in an iframe (RSSHub gov/mofcom reads the frame's tbody): fetch
            # it; should it fail, the page's own text is stored and the page fetched again next run.
            return self.detail_request(
                frame,
                self.parse_frame,
                key=entry.url,
                listing_hash=response.meta.get("cwatch_listing_hash"),
                cb_kwargs={"item": item},
                conditional=False,
                partial=item if item.text else None,
                meta={"cwatch_js_hops": MAX_JS_HOPS + 1},
            )
        return item

    def frame_url(self, page: Selector, response: Response) -> str | None:
        """Absolute URL of an iframe inside the content region on a government host (a table page; players
        and maps from other hosts are not the notice), else None."""
        if not self.content_selector:
            return None
        query = ", ".join(f"{part.strip()} iframe::attr(src)" for part in self.content_selector.split(","))
        own = urlsplit(response.url).hostname or ""
        for src in page.css(query).getall():
            url = response.urljoin(src.strip())
            host = urlsplit(url).hostname or ""
            if src.strip() and is_web_url(url) and (host == own or host.endswith(".gov.cn")):
                return url
        return None

    def parse_frame(self, response: Response, item: DocItem) -> Iterator[DocItem]:
        frame = Selector(text=decode(response, self.fallback_encodings))
        table = block_text(frame, "tbody") or block_text(frame, "table")  # only the table is the notice's
        item.text = "\n".join(part for part in (item.text, table) if part)[:MAX_TEXT_CHARS]
        if item.text:
            item.html = None
        item.attachments = sorted({*item.attachments, *attachments(frame, "body", response.url)})
        yield item

    def doc_item(self, entry: Entry, fields: dict[str, Any], html: str) -> DocItem:
        text = fields["text"]
        return DocItem(
            source=self.name,
            url=entry.url,
            title=fields["title"] or entry.title,
            text=text,
            html=None if text else html,  # no body block found: the pipeline extracts one
            language=self.language,
            published=fields["published"] or entry.date,
            notice_number=fields["notice_number"] or notice_number(entry.title),
            attachments=fields["attachments"],
        )
