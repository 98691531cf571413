"""Hostile pages through the real Scrapy engine on the local fixture server: XML bombs and external
entities, deeply nested JSON, oversized pages, redirects off-site or to internal addresses, script/data
links, and junk in titles. Each crawl is bounded by small timeouts (tests.support FAST_SETTINGS)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawlers.localserver import FixtureServer
from crawlers.middlewares import is_private_host
from db.textnorm import clean_title, strip_controls
from tests.hardening import hostile_site
from tests.hardening.conftest import SPIDER_MODULES, rows
from tests.support.http_server import crawl

FEED = "/hostile_feed/feeds.hostile.example/feed.xml"
API = "/hostile_api/api.hostile.example/v1/documents.json"


def _run(db_path: Path, server: FixtureServer, slugs: list[str], **settings: object) -> dict:
    return crawl(db_path, server, slugs, spider_modules=SPIDER_MODULES, settings=dict(settings))


def test_listing_refuses_bad_destinations_and_cleans_titles(
    tmp_path: Path, hostile_server: FixtureServer
) -> None:
    for spider in hostile_site.LISTING_SPIDERS:
        for name, location in hostile_site.REDIRECTS.items():
            hostile_server.fault(
                f"/{spider}/{hostile_site.SITE}/news/{name}",
                status=302,
                headers={"Location": location},
                body=b"",
            )
    runs, urls = {}, {}
    for spider in hostile_site.LISTING_SPIDERS:  # one store each: both crawl the same URLs
        db_path = tmp_path / f"{spider}.db"
        runs[spider] = _run(db_path, hostile_server, [spider], DOWNLOAD_MAXSIZE=100_000)[spider]
        urls[spider] = {r["url"] for r in rows(db_path, "SELECT url FROM documents")}
    stored = {
        r["url"]: r
        for r in rows(tmp_path / "hostile_listing.db", "SELECT url, title, attachments FROM documents")
    }
    site = f"https://{hostile_site.SITE}/news"
    strict, trusting = urls["hostile_listing"], urls["hostile_trusting"]
    # Same-site redirect followed; off-site, loopback and metadata redirects refused; the huge page capped.
    assert strict == {f"{site}/plain.html", f"{site}/titles.html", f"{site}/moved.html"}
    assert (runs["hostile_listing"]["status"], runs["hostile_listing"]["errors"]) == ("ok", 5)
    # The operator's declared partner domain is the only extra destination the second source may reach.
    assert trusting == strict | {f"{site}/partner.html"}
    assert runs["hostile_trusting"]["errors"] == 4
    # Refused destinations were never contacted, and script/data links never became requests.
    requested = hostile_server.paths()
    assert not [p for p in requested if any(bait.split("/")[0] in p for bait in hostile_site.BAIT)], requested
    assert not [p for p in requested if "steal" in p or "base64" in p or "javascript" in p]
    # Titles: zero-width, bidi override, fullwidth look-alikes, markup and control characters are gone.
    assert stored[f"{site}/titles.html"]["title"] == hostile_site.CLEAN_TITLE
    assert stored[f"{site}/titles.html"]["attachments"] == '["https://www.hostile.example/files/annex.pdf"]'


BOMB_ENTITIES = '<!ENTITY lol0 "lol">' + "".join(
    f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
)


def test_billion_laughs_feed_fails_the_run_without_expanding(
    tmp_path: Path, hostile_server: FixtureServer
) -> None:
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE rss [{BOMB_ENTITIES}]><rss><channel><item><title>Boom &lol9;</title>'
        "<link>https://feeds.hostile.example/a</link><description>x</description></item></channel></rss>"
    )
    hostile_server.fault(FEED, body=bomb.encode())
    db_path = tmp_path / "events.db"
    run = _run(db_path, hostile_server, ["hostile_feed"])["hostile_feed"]
    assert run["status"] == "failed"
    assert run["reason"].startswith("malformed feed XML: Maximum entity amplification")
    assert run["reason"].endswith("feed at https://feeds.hostile.example/feed.xml")
    assert rows(db_path, "SELECT count(*) AS n FROM documents") == [{"n": 0}]


def test_external_entities_are_not_resolved_and_feed_titles_are_cleaned(
    tmp_path: Path, hostile_server: FixtureServer
) -> None:
    canary = tmp_path / "secret.txt"
    canary.write_text("CANARY-7f3a secret contents", encoding="utf-8")
    feed = (
        '<?xml version="1.0"?><!DOCTYPE rss ['
        f'<!ENTITY file SYSTEM "{canary.as_uri()}">'
        f'<!ENTITY web SYSTEM "{hostile_server.url}/xxe-entity">'
        f'<!ENTITY % dtd SYSTEM "{hostile_server.url}/xxe-dtd"> %dtd;'
        "]><rss><channel>"
        "<item><title>Leak &file; here</title><link>https://feeds.hostile.example/leak</link>"
        "<description>Before &file; &web; after</description></item>"
        "<item><title>&lt;img src=x onerror=alert(1)&gt;Tariffs &amp;amp; duties\u2066 on ｓｔｅｅｌ\u2069</title>"
        "<link>https://feeds.hostile.example/tariffs</link><description>Duties rise.</description></item>"
        "<item><title>Script link</title><link>javascript:alert(1)</link><description>x</description></item>"
        "</channel></rss>"
    )
    hostile_server.fault(FEED, body=feed.encode())
    db_path = tmp_path / "events.db"
    run = _run(db_path, hostile_server, ["hostile_feed"])["hostile_feed"]
    docs = {r["url"]: r for r in rows(db_path, "SELECT url, title, text FROM documents")}
    assert run["status"] == "ok", run
    assert set(docs) == {"https://feeds.hostile.example/leak", "https://feeds.hostile.example/tariffs"}
    assert not [d for d in docs.values() if "CANARY" in d["title"] + d["text"]]
    assert not [p for p in hostile_server.paths() if p.startswith("/xxe")]  # no entity fetched over HTTP
    assert docs["https://feeds.hostile.example/tariffs"]["title"] == "Tariffs & duties on steel"


def test_deeply_nested_json_fails_the_run_clearly(tmp_path: Path, hostile_server: FixtureServer) -> None:
    hostile_server.fault(API, body=b'{"results": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    run = _run(tmp_path / "events.db", hostile_server, ["hostile_api"])["hostile_api"]
    assert run["status"] == "failed"
    assert (
        run["reason"] == "invalid JSON from https://api.hostile.example/v1/documents.json: nested too deeply"
    )


@pytest.mark.parametrize(
    ("host", "private"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("[::1]", True),
        ("10.2.3.4", True),
        ("192.168.0.1", True),
        ("169.254.169.254", True),
        ("0.0.0.0", True),
        ("[fd00::1]", True),
        ("100.64.0.1", True),  # carrier-grade NAT
        ("8.8.8.8", False),
        ("www.mofcom.gov.cn", False),
    ],
)
def test_private_hosts(host: str, private: bool) -> None:
    assert is_private_host(host) is private


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Ｅｘｐｏｒｔ ｃｏｎｔｒｏｌｓ", "Export controls"),
        ("ex\u200bport\u200d \ufeffban\u00ad", "export ban"),
        ("\u202eslortnoc tropxe", "slortnoc tropxe"),
        ("\u2067isolated\u2069 text", "isolated text"),
        ("tag\U000e0041\U000e0042 chars", "tag chars"),
        ("<script>alert(1)</script><b>Bold</b> &amp; plain", "Bold & plain"),
        ("a\x1b[2Jb\x00c\nd", "a [2Jb c d"),
        (
            "关于对原产于美国的进口丙酸的公告（2024年第1号）：裁定",
            "关于对原产于美国的进口丙酸的公告（2024年第1号）：裁定",
        ),
        ("ﾊﾝﾄﾞｳﾀｲ輸出規制", "ハンドウタイ輸出規制"),
        ("Section 232 < 10% > 5%", "Section 232 < 10% > 5%"),
    ],
)
def test_clean_title(raw: str, clean: str) -> None:
    assert clean_title(raw) == clean


def test_strip_controls_keeps_lines() -> None:
    assert strip_controls("a\x1b[31mb\u202ec\nd\te\x9b") == "a[31mbc\nd\te"
    # ASCII-only text takes a faster path: the same C0 controls and DEL go, tab/newline/CR stay.
    assert strip_controls("a\x00b\x1b[0m\x7fc\rd\ne\tf\x0b\x0cg") == "ab[0mc\rd\ne\tfg"
