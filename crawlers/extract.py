"""Main text, fallback dates, attachments and robust decoding for detail pages."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import lxml.html
from scrapy.http import Response, TextResponse

from crawlers.dates import normalise_iso

ATTACHMENT = re.compile(r"\.(pdf|docx?|xlsx?|zip|wps|et|ofd)(?:$|[?#])", re.I)
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_COLLAPSED = ("\t", "\u00a0", "\u3000")  # rewritten to a space even alone
_BLANK_LINES = re.compile(r"\n\s*\n+")


# Whitespace other than space and newline. Next to a newline it is stripped, and \t, \r, no-break and
# ideographic spaces are always rewritten: text holding any goes through the full cleaning.
_ASCII_OTHER_SPACES = ("\t", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")
_OTHER_SPACE = re.compile(r"[^\S \n]")


def _may_change(text: str) -> bool:
    """False only when clean_text would return `text` unchanged. Substring tests run at C speed; one
    regex with seven alternatives tried at every position cost ~2 ms on a 34 KB notice, this ~0.1 ms."""
    if not text or text[0].isspace() or text[-1].isspace():
        return True
    if "  " in text or " \n" in text or "\n " in text or "\n\n\n" in text:
        return True
    if text.isascii():
        return any(space in text for space in _ASCII_OTHER_SPACES)
    return _OTHER_SPACE.search(text) is not None


def clean_text(text: str) -> str:
    """Collapse runs of spaces and blank lines; keep paragraph breaks."""
    # Text is cleaned where it is extracted and again in the pipeline: the second call is answered cheaply.
    if not _may_change(text):
        return text
    spaced = text.replace("\r", "\n")
    # One regex pass over the whole text (not one per line: long notices have thousands of lines), and only
    # when it has something to collapse: every single space of a notice is a match, ~1 ms per 30 KB.
    if "  " in spaced or any(space in spaced for space in _COLLAPSED):
        spaced = _SPACES.sub(" ", spaced)
    lines = (line.strip() for line in spaced.split("\n"))
    cleaned = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    return text if cleaned == text else cleaned  # rare whitespace mid-line: clean, and the same object back


def main_text(html: str, url: str | None = None) -> str:
    """The article body via trafilatura; the page's visible text when trafilatura finds nothing
    (short official notices are sometimes below its thresholds)."""
    import trafilatura  # imported lazily: ~1 s, and list/check commands never need it

    text = trafilatura.extract(
        html, url=url, include_comments=False, include_tables=True, favor_recall=True, fast=True
    )  # fast: no readability/justext second pass (2-3x quicker)
    if text and len(text) > 40:
        return clean_text(text)
    try:
        tree = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return ""
    for bad in tree.xpath("//script|//style|//nav|//header|//footer|//noscript"):
        bad.drop_tree()
    return clean_text(tree.text_content())


BLOCKS = frozenset(
    ("p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "br", "table", "ul", "ol", "section")
)
HIDDEN = frozenset(("script", "style", "noscript", "nav"))


def element_text(root: lxml.etree._Element) -> str:
    """Visible text of a parsed element, one line per block element, read without changing the tree
    (the page's own parse, shared with its selectors: no serialising and parsing the region again).
    Hidden elements are skipped but their tails kept; comments give only their tails."""
    parts: list[str] = []
    stack: list[tuple[lxml.etree._Element, bool]] = [(root, False)]  # iterative: hostile nesting is deep
    while stack:
        element, closing = stack.pop()
        tail = element.tail if element is not root else None
        if closing:
            if element.tag in BLOCKS:
                parts.append("\n")
            if tail:
                parts.append(tail)
            continue
        if not isinstance(element.tag, str) or element.tag in HIDDEN:  # comments: tag is a function
            if tail:
                parts.append(tail)
            continue
        if element.text:
            parts.append(element.text)
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    return clean_text("".join(parts))


def html_date(html: str, tz: str) -> str | None:
    """Publication date guessed from the page (meta tags, bylines) by htmldate: the fallback after the
    publisher's structured date."""
    from htmldate import find_date

    try:
        found = find_date(html, outputformat="%Y-%m-%d", extensive_search=False, original_date=True)
    except (ValueError, TypeError):
        return None
    return normalise_iso(found, tz) if found else None


def is_web_url(url: str) -> bool:
    """http(s) with a host: the only links a spider follows or stores (not javascript:, data:, file:)."""
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def attachments(response: Response, scope: str | None = None) -> list[str]:
    """Absolute URLs of PDF/DOC/XLS links on the page (inside `scope` CSS when given), in page order."""
    if not isinstance(response, TextResponse):
        return []
    root = response.css(scope) if scope else response
    found: list[str] = []
    # Real pages carry hundreds of navigation links: test the raw href first, join only the few files.
    for href in root.css("a::attr(href)").getall():
        href = href.strip()
        if not ATTACHMENT.search(href):
            continue
        url = urljoin(response.url, href)
        if is_web_url(url) and url not in found:
            found.append(url)
    return found


def decode(response: Response, fallbacks: tuple[str, ...] = ()) -> str:
    """Page text. Scrapy honours the Content-Type header and <meta charset>; when neither declares an
    encoding and the bytes are not UTF-8 (GB18030 pages served as bare text/html), try the source's
    usual encodings before giving up with replacement characters."""
    body = response.body
    declared = isinstance(response, TextResponse) and (
        b"charset" in (response.headers.get(b"Content-Type") or b"").lower()
        or re.search(rb"<meta[^>]+charset", body[:4096], re.I) is not None
        or body.startswith(b"<?xml")
    )
    if declared:
        return response.text  # type: ignore[attr-defined,no-any-return]
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for encoding in fallbacks:
        try:
            return body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(body).best()
    return str(best) if best is not None else body.decode("utf-8", "replace")


def drop(html: str, selectors: tuple[str, ...]) -> str:
    """`html` without the elements matching CSS `selectors` (page details, share bars, breadcrumbs)."""
    try:
        tree = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return html
    for selector in selectors:
        for node in tree.cssselect(selector):
            node.drop_tree()
    return str(lxml.html.tostring(tree, encoding="unicode"))


def pdf_text(body: bytes, max_pages: int = 40) -> str:
    """Text of a PDF (first `max_pages` pages) with pypdf; empty for scans or broken files."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(body))
        pages = [page.extract_text() or "" for page in reader.pages[:max_pages]]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        return ""
    return clean_text("\n\n".join(pages))
