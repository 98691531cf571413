"""A hostile publisher, written into a folder the fixture server serves (layout: <spider>/<host>/<path>)."""

from __future__ import annotations

from pathlib import Path

LISTING_SPIDERS = ("hostile_listing", "hostile_trusting")
SITE = "www.hostile.example"
# A listing title with every kind of junk: zero-width space, a bidi override, fullwidth look-alikes,
# markup (escaped in the page, so it is text), and a raw control character (BEL).
JUNK_TITLE = "E&#x200b;xport con&#x202e;trols on ＧＡＬＬＩＵＭ &lt;b&gt;now&lt;/b&gt; \x07bell"
CLEAN_TITLE = "Export controls on GALLIUM now bell"

ROWS = [
    ("/news/plain.html", "Plain notice on steel"),
    ("/news/titles.html", JUNK_TITLE),
    ("javascript:fetch('/steal')", "Click me"),
    ("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "Data link"),
    ("/news/offsite.html", "Offsite redirect"),
    ("/news/loopback.html", "Loopback redirect"),
    ("/news/metadata.html", "Cloud metadata redirect"),
    ("/news/moved.html", "Moved within the site"),
    ("/news/partner.html", "Redirect to a declared partner"),
    ("/news/huge.html", "Huge page"),
]
# Where the redirecting pages send the crawler (as the spider sees it; the replay handler maps a
# Location under /<spider>/<host>/ back to https://<host>/).
REDIRECTS = {
    "offsite.html": "https://evil.example.net/phish.html",
    "loopback.html": "http://127.0.0.1:1/admin",
    "metadata.html": "http://169.254.169.254/latest/meta-data/",
    "moved.html": "https://www.hostile.example/news/2025/moved.html",
    "partner.html": "https://partner.example.org/notice.html",
}
# Files that exist behind refused destinations: a request for one of them means the refusal failed.
BAIT = ("evil.example.net/phish.html", "127.0.0.1/admin", "169.254.169.254/latest/meta-data/index.html")


def page(title: str, body: str) -> str:
    return (
        f"<html><head><title>{title}</title></head><body><h1>{title}</h1>"
        f'<div class="body"><p>{body}</p>'
        '<p><a href="javascript:void(0)//annex.pdf">annex</a> <a href="/files/annex.pdf">annex</a></p>'
        "</div></body></html>"
    )


def build(root: Path) -> None:
    for spider in LISTING_SPIDERS:
        base = root / spider
        rows = "".join(f'<li><a href="{href}">{title}</a></li>' for href, title in ROWS)
        _write(base / SITE / "news/index.html", f'<html><body><ul class="news">{rows}</ul></body></html>')
        for name, text in (
            ("plain.html", "The ministry raised tariffs on steel imports to 25 percent from 1 March."),
            ("titles.html", "Export controls on gallium apply from 1 August; licences are required."),
            ("2025/moved.html", "This notice moved within the same site and must still be stored."),
        ):
            _write(base / SITE / "news" / name, page("Notice", text))
        _write(
            base / "partner.example.org/notice.html", page("Partner", "Hosted by a declared partner site.")
        )
        _write(base / SITE / "news/huge.html", page("Huge", "padding " * 40_000))
        for bait in BAIT:
            _write(base / bait, page("Bait", "Must never be requested."))
    _write(root / "hostile_feed/feeds.hostile.example/feed.xml", "<rss/>")  # replaced per test
    _write(root / "hostile_api/api.hostile.example/v1/documents.json", '{"results": []}')


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
