"""Crawl throughput on realistic pages: our spider (extraction + storage) against a bare Scrapy spider.

    .venv/bin/python bench/crawl.py --pages 300 --rounds 3
    .venv/bin/python bench/crawl.py --pages 40 --rounds 2 --browser   # the browser path, measured apart

Serves N article pages of 50–150 KB shaped like government pages (a mega-menu and footer of ~600
navigation links, inline scripts and styles, a sidebar, the article with a few PDF attachments) plus one
listing page linking them, on 127.0.0.1. Each round crawls them once with a bare Scrapy spider (fetch +
parse title) and once with a SourceSpider through our pipelines (content region, main text, date,
validation, SQLite store), each in its own process with the same download settings. One warm-up round of
each first, then alternating rounds; prints min and median pages/s of both and the ratio of the medians
(goal >= 0.7). With --browser, the same pages through headless chromium against our plain HTTP path.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOST = "bench.cwatch.test"
PARAGRAPH = (
    "The Ministry announced that exports of the listed dual-use items to the named end users require a "
    "licence from the date of publication, and that applications will be reviewed case by case. "
)
# Same download behaviour for both spiders: no politeness delay on our own server, 8 requests in flight.
COMMON = {
    "ROBOTSTXT_OBEY": True,
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 8,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "LOG_LEVEL": "WARNING",
    "TELNETCONSOLE_ENABLED": False,
}
SECTIONS = ("about", "news", "policies", "services", "statistics", "international", "regions", "contact")


def boilerplate(rng: random.Random) -> tuple[str, str]:
    """Header (mega-menu) and footer of a government site: ~600 links, scripts, styles."""
    menu = "".join(
        f'<li class="menu-item"><a href="/{sec}/{sub}/item-{k}.html" title="{sec} {sub} {k}">'
        f"{sec.title()} {sub} topic {k}</a></li>"
        for sec in SECTIONS
        for sub in ("overview", "laws", "notices", "data", "faq")
        for k in range(12)
    )
    style = "<style>" + "".join(f".c{k}{{margin:{k}px;padding:{k % 7}px}}" for k in range(300)) + "</style>"
    script = "<script>var cfg=" + json.dumps({f"k{k}": "x" * 20 for k in range(200)}) + ";</script>"
    header = f'<header id="top">{style}{script}<nav class="mega-menu"><ul>{menu}</ul></nav></header>'
    links = "".join(f'<a href="/site/{k}.html">Site link {k}</a> ' for k in range(80))
    footer = f'<footer class="site-footer"><div class="links">{links}</div><p>Contact · Privacy</p></footer>'
    return header, footer


def write_pages(folder: Path, n: int) -> list[int]:
    rng = random.Random(7)
    site = folder / "bench_ours" / HOST
    (site / "news").mkdir(parents=True)
    links = "\n".join(
        f'<li><a href="/news/{i}.html">Notice {i} on export controls</a> <span>2024-12-{1 + i % 28:02d}'
        f"</span></li>"
        for i in range(n)
    )
    header, footer = boilerplate(rng)
    (site / "index.html").write_text(
        f"<html><body>{header}<ul class='list'>{links}</ul>{footer}</body></html>", encoding="utf-8"
    )
    sizes = []
    for i in range(n):
        paragraphs = rng.randint(10, 80)
        body = "".join(f"<p>{PARAGRAPH * 3}{i}-{k}</p>" for k in range(paragraphs))
        files = "".join(f'<li><a href="/files/{i}-{k}.pdf">Annex {k} (PDF)</a></li>' for k in range(2))
        aside = "".join(f'<li><a href="/news/related-{i}-{k}.html">Related {k}</a></li>' for k in range(30))
        page = (
            f"<html><head><title>Notice {i}</title><meta charset='utf-8'></head><body>{header}"
            f"<aside><ul>{aside}</ul></aside><article><h1>Notice {i} on export controls</h1>"
            f"<p class='date'>2024-12-{1 + i % 28:02d}</p>{body}<ul class='files'>{files}</ul></article>"
            f"{footer}</body></html>"
        )
        (site / "news" / f"{i}.html").write_text(page, encoding="utf-8")
        sizes.append(len(page.encode()))
    for kind in ("bare", "browser"):
        (folder / f"bench_{kind}").symlink_to(folder / "bench_ours", target_is_directory=True)
    return sizes


def child(kind: str, replay_root: str, db: str) -> None:
    import scrapy
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from crawlers.base import SourceSpider
    from crawlers.mixins import HtmlListingMixin

    class Bare(scrapy.Spider):
        name = "bench_bare"
        start_urls = [f"https://{HOST}/"]

        def parse(self, response: Any) -> Any:
            # The listing rows only, as ours follows: the mega-menu links are 404s here, cheap "pages".
            for href in response.css("ul.list li a::attr(href)").getall():
                yield response.follow(href, self.parse_page)

        def parse_page(self, response: Any) -> Any:
            yield {"url": response.url, "title": response.css("title::text").get()}

    class Ours(HtmlListingMixin, SourceSpider):
        name = "bench_ours"
        publisher, jurisdiction, language, timezone = "Bench", "XX", "en", "UTC"
        listing_urls = (f"https://{HOST}/",)
        row_selector = "ul.list li"
        date_selector = "span::text"
        content_selector = "article"

    class Browser(Ours):
        name = "bench_browser"
        browser = True

    settings = Settings()
    settings.setmodule("crawlers.settings", priority="project")
    settings.setdict({**COMMON, "CWATCH_DB": db, "CWATCH_REPLAY_ROOT": replay_root}, priority="cmdline")
    if kind == "bare":
        settings.set("ITEM_PIPELINES", {}, priority="cmdline")
        settings.set("EXTENSIONS", {}, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler({"bare": Bare, "ours": Ours, "browser": Browser}[kind])
    clock: dict[str, float] = {"pages": 0}

    def opened(spider: Any) -> None:
        clock["start"] = time.perf_counter()

    def closed(spider: Any, reason: str) -> None:
        clock["end"] = time.perf_counter()

    def page(response: Any, request: Any, spider: Any) -> None:
        clock["pages"] += 1

    # Signal receivers are held weakly: keep them in locals until the crawl ends.
    crawler.signals.connect(opened, signals.spider_opened)
    crawler.signals.connect(closed, signals.spider_closed)
    crawler.signals.connect(page, signals.response_received)
    process.crawl(crawler)
    process.start()
    stored = 0
    if kind != "bare":
        import sqlite3

        stored = sqlite3.connect(db).execute("SELECT count(*) FROM documents").fetchone()[0]
    print(json.dumps({"pages": clock["pages"], "seconds": clock["end"] - clock["start"], "stored": stored}))


def run_child(kind: str, root: str, db: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--root", root, "--db", db],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    if out.returncode != 0:
        raise SystemExit(f"{kind} crawl failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--browser", action="store_true", help="measure the browser path against plain HTTP")
    parser.add_argument("--child", choices=["bare", "ours", "browser"])
    parser.add_argument("--root")
    parser.add_argument("--db")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.root, args.db)
        return
    from crawlers.localserver import FixtureServer

    kinds = ("ours", "browser") if args.browser else ("bare", "ours")
    rates: dict[str, list[float]] = {k: [] for k in kinds}
    stored: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="cwatch-bench-") as tmp:
        sizes = write_pages(Path(tmp) / "site", args.pages)
        with FixtureServer(Path(tmp) / "site") as server:
            for round_no in range(args.rounds + 1):  # round 0 warms both paths up and is not counted
                order = kinds if round_no % 2 else kinds[::-1]
                for kind in order:
                    result = run_child(kind, server.url, str(Path(tmp) / f"{kind}-{round_no}.db"))
                    if round_no:
                        rates[kind].append(result["pages"] / result["seconds"])
                        stored[kind] = result.get("stored", 0)
    sizes.sort()
    print(
        f"pages: {args.pages} articles + 1 listing, {sizes[0] / 1024:.0f}–{sizes[-1] / 1024:.0f} KB"
        f" (median {statistics.median(sizes) / 1024:.0f} KB); {args.rounds} rounds after a warm-up"
    )
    for kind in kinds:
        label = {"bare": "bare Scrapy spider", "ours": "our crawl (plain HTTP)", "browser": "browser path"}[
            kind
        ]
        extra = f", {stored[kind]:.0f} documents stored" if kind != "bare" else ""
        print(
            f"{label:24}: min {min(rates[kind]):.1f}  median {statistics.median(rates[kind]):.1f} pages/s{extra}"
        )
    base, other = kinds
    ratio = statistics.median(rates[other]) / statistics.median(rates[base])
    goal = " (goal >= 0.7)" if not args.browser else ""
    print(f"ratio {other}/{base} (medians): {ratio:.2f}{goal}")


if __name__ == "__main__":
    main()
