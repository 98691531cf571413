"""Content-region checks: a spider's detail fixture page with site boilerplate around its body region.

The fixtures mirror the publishers' body containers but not their menus and footers, so the check copies the
spider's fixtures, adds a navigation block (text and a PDF link) right after the opening tag of `container`
(the page's <body> by default) and a footer before </body>, crawls the copy and returns the stored document:
its text and attachments must come from inside `content_selector` only. Without the selector the text falls
back to the whole page (trafilatura) and the boilerplate's PDFs are recorded, so the check fails.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from crawlers.localserver import FixtureServer
from tests.crawlers.conftest import documents
from tests.support.http_server import FIXTURES, crawl

MARK = "BOILERPLATE"
NAV = (
    b'<nav class="site-nav"><ul><li>BOILERPLATE navigation: site map, accessibility, contact</li>'
    b'<li><a href="/boilerplate/nav-guide.pdf">Guide to this site (PDF)</a></li>'
    b"<li><a href=\"#none\" onclick=\"fileDownload('9999','9'); return false;\">BOILERPLATE form.pdf</a></li>"
    b"</ul></nav>"
)
FOOTER = (
    b'<footer class="site-footer"><p>BOILERPLATE footer: copyright, privacy policy</p>'
    b'<p><a href="/boilerplate/footer-privacy.pdf">Privacy notice (PDF)</a></p></footer>'
)


def with_boilerplate(html: bytes, container: bytes = b"<body") -> bytes:
    """`html` with NAV after the opening tag that starts with `container` and FOOTER before </body>."""
    start = html.index(container)
    after = html.index(b">", start) + 1
    html = html[:after] + NAV + html[after:]
    end = html.rindex(b"</body>")
    return html[:end] + FOOTER + html[end:]


def crawl_with_boilerplate(
    tmp_path: Path,
    slug: str,
    page: str,
    url: str,
    container: bytes = b"<body",
    settings: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Crawl `slug` over its fixtures with boilerplate added to `page` (a path under tests/fixtures/<slug>);
    assert the run saw the region everywhere, and that nothing of the boilerplate reached the document at `url`
    (returned, attachments decoded)."""
    root = tmp_path / "fixtures"
    shutil.copytree(FIXTURES / slug, root / slug)
    target = root / slug / page
    original = target.read_bytes()
    assert MARK.encode() not in original
    target.write_bytes(with_boilerplate(original, container))
    with FixtureServer(root) as server:
        run = crawl(tmp_path / "events.db", server, [slug], settings=settings)[slug]
    assert (run["status"], run["reason"], run["errors"]) == ("ok", None, 0), run  # the region matched
    doc = documents(tmp_path / "events.db", slug)[url]
    doc["attachments"] = json.loads(doc["attachments"] or "[]")
    assert doc["text"], "the body region's text is stored (not left to trafilatura)"
    assert MARK not in doc["text"], "text read outside the content region"
    assert not [a for a in doc["attachments"] if "/boilerplate/" in a or "9999" in a], doc["attachments"]
    return doc
