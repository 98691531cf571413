"""element_text reads a content region from the page's own parse; it must give exactly the text the
earlier serialise-and-reparse path gave (the specification below) on every fixture page's regions."""

from __future__ import annotations

from pathlib import Path

import lxml.html
from parsel import Selector

from crawlers.extract import BLOCKS, HIDDEN, clean_text, element_text

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def reparsed_text(html: str) -> str:
    """The specification: parse the region's HTML, drop hidden elements, end each block with a newline."""
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    for bad in tree.xpath(".//" + "|.//".join(sorted(HIDDEN))):
        bad.drop_tree()
    for block in tree.iter(*BLOCKS):
        block.tail = "\n" + (block.tail or "")
    return clean_text(tree.text_content())


def _pages() -> list[Path]:
    pages = []
    for path in sorted(FIXTURES.rglob("*")):
        if not path.is_file():
            continue
        head = path.read_bytes()[:2048].lstrip().lower()
        if head.startswith((b"<!doctype html", b"<html", b"<div", b"<body", b"<head")):
            pages.append(path)
    return pages


def test_same_text_as_the_reparsed_region_on_every_fixture_page() -> None:
    compared = 0
    for path in _pages():
        page = Selector(text=path.read_text(encoding="utf-8", errors="replace"), type="html")
        for css in ("body", "article", "main", "div", "table", "ul"):
            for region in page.css(css)[:3]:
                assert element_text(region.root) == reparsed_text(region.get()), (str(path), css)
                compared += 1
    assert compared > 300  # the fixtures hold hundreds of regions: the comparison really ran


def test_hidden_elements_and_comments_keep_their_tails_and_the_tree_is_unchanged() -> None:
    page = Selector(
        text="<article><p>Export<script>var x=1;</script> controls<!-- note --> apply</p>"
        "<nav>Menu</nav>after<div>Annex<br>2</div></article>",
        type="html",
    )
    region = page.css("article")[0]
    before = region.get()
    # A block ends its line; text before a block joins it (as before: stored texts keep their hashes).
    assert element_text(region.root) == "Export controls apply\nafterAnnex\n2"
    assert region.get() == before


def test_deeply_nested_markup_does_not_overflow() -> None:
    # Built directly: the HTML parser itself cuts nesting this deep. A recursive walk would overflow here.
    root = current = lxml.html.Element("div")
    for _ in range(5_000):
        current = lxml.etree.SubElement(current, "div")
    current.text = "deep text"
    assert element_text(root) == "deep text"
