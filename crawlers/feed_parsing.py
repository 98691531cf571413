"""Reading RSS 2.0, RSS 1.0 (RDF: ``rdf:RDF`` root, ``item`` elements in the RSS 1.0 namespace as siblings
of ``channel``, dated by Dublin Core ``dc:date``) and Atom feeds, incrementally: a feed that breaks off
still yields the entries completed before the fault, with a one-line reason."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from urllib.parse import urljoin

from lxml import etree

from crawlers.dates import normalise_iso
from crawlers.entry import Entry, parse_rfc822
from crawlers.extract import is_web_url

ATOM = "http://www.w3.org/2005/Atom"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RSS1 = "http://purl.org/rss/1.0/"
RSS090 = "http://my.netscape.com/rdf/simple/0.9/"
DC = "http://purl.org/dc/elements/1.1/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"


class FeedError(ValueError):
    """The body is not a feed we can read; the message is one line."""


def _local(tag: object) -> tuple[str, str]:
    """(namespace, local name) of an element tag; ("", "") for comments and processing instructions."""
    if not isinstance(tag, str):
        return "", ""
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def _child_text(node: etree._Element, names: tuple[tuple[str, str], ...]) -> str:
    """Text of the first child matching one of (namespace, local name), CDATA included, stripped."""
    for child in node:
        if _local(child.tag) in names:
            return (child.text or "").strip()
    return ""


ITEM_NS = (RSS1, RSS090, "")
ITEM_TAGS = {(ns, "item") for ns in ITEM_NS} | {(ATOM, "entry")}


def _rss1_item(node: etree._Element, base_url: str, tz: str) -> Entry:
    """An RSS 1.0 / 0.90 item (a child of rdf:RDF; some feeds nest items in channel, read alike)."""
    about = (node.get(f"{{{RDF}}}about") or "").strip()
    link = _child_text(node, tuple((n, "link") for n in ITEM_NS)) or about
    stamp = _child_text(node, ((DC, "date"),))
    return Entry(
        url=urljoin(base_url, link),
        title=_child_text(node, tuple((n, "title") for n in ITEM_NS)),
        date=normalise_iso(stamp, tz) if stamp else parse_rfc822(_child_text(node, (("", "pubDate"),)), tz),
        key=about or None,
        summary=_child_text(node, tuple((n, "description") for n in ITEM_NS))
        or _child_text(node, ((CONTENT, "encoded"),)),
    )


def _rss2_item(node: etree._Element, base_url: str, tz: str) -> Entry:
    stamp = _child_text(node, (("", "pubDate"),))
    return Entry(
        url=urljoin(base_url, _child_text(node, (("", "link"),))),
        title=_child_text(node, (("", "title"),)),
        date=parse_rfc822(stamp, tz) if stamp else normalise_iso(_child_text(node, ((DC, "date"),)), tz),
        key=node.findtext("guid"),  # as read before RSS 1.0 support: fingerprints stay stable
        summary=_child_text(node, (("", "description"),)) or _child_text(node, ((CONTENT, "encoded"),)),
    )


def _atom_entry(node: etree._Element, base_url: str, tz: str) -> Entry:
    link = next(
        (a.get("href") for a in node.findall(f"{{{ATOM}}}link") if a.get("rel", "alternate") == "alternate"),
        None,
    )
    stamp = _child_text(node, ((ATOM, "published"),)) or _child_text(node, ((ATOM, "updated"),))
    return Entry(
        url=urljoin(base_url, (link or "").strip()),
        title=_child_text(node, ((ATOM, "title"),)),
        date=normalise_iso(stamp, tz),
        key=node.findtext(f"{{{ATOM}}}id"),
        summary=_child_text(node, ((ATOM, "summary"),)) or _child_text(node, ((ATOM, "content"),)),
    )


FORMATS: dict[tuple[str, str], tuple[set[tuple[str, str]], Callable[[etree._Element, str, str], Entry]]] = {
    (RDF, "RDF"): ({(ns, "item") for ns in ITEM_NS}, _rss1_item),
    ("", "rss"): ({("", "item")}, _rss2_item),
    (ATOM, "feed"): ({(ATOM, "entry")}, _atom_entry),
}


def _entries(
    root: etree._Element, nodes: Iterable[etree._Element] | None, base_url: str, tz: str
) -> list[Entry]:
    """Entries of the feed under `root` (its format told by the root element): of `nodes` when given (the
    items a broken feed completed), else of every item."""
    shape = FORMATS.get(_local(root.tag))
    if shape is None:
        raise FeedError(f"not an RSS, RDF or Atom feed (root element <{_local(root.tag)[1] or root.tag}>)")
    tags, read = shape
    chosen = nodes if nodes is not None else root.iter()
    found = [read(node, base_url, tz) for node in chosen if _local(node.tag) in tags]
    return [e for e in found if is_web_url(e.url) and e.title]


def one_line(text: object) -> str:
    return " ".join(str(text).split())


def read_feed(body: bytes, base_url: str, tz: str) -> tuple[list[Entry], str | None]:
    """Entries of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, and what is wrong with it (one line) or None.

    The XML is read incrementally: when it breaks off or turns malformed, the items completed before the
    fault are still returned (an item cut short is not), with the parser's message."""
    body = body.lstrip(b"\xef\xbb\xbf \t\r\n")  # a BOM or blank line before <?xml is common and harmless
    if not body:
        return [], "empty feed body"
    root: etree._Element | None = None
    complete: list[etree._Element] = []
    fault = None
    try:
        for event, node in etree.iterparse(
            io.BytesIO(body),
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            huge_tree=False,
        ):
            if root is None and event == "start":
                root = node
            elif event == "end" and _local(node.tag) in ITEM_TAGS:
                complete.append(node)
    except etree.XMLSyntaxError as exc:
        fault = f"malformed feed XML: {one_line(exc)}"
    if root is None:
        return [], fault or "empty feed body"
    try:
        return _entries(root, complete if fault else None, base_url, tz), fault
    except FeedError as exc:
        return [], fault or str(exc)
