"""Crawl throughput: our spider (extraction + storage) against a bare Scrapy spider over the same pages.

    .venv/bin/python bench/crawl.py --pages 400

Serves N article pages (plus one listing page linking them) on 127.0.0.1, crawls them once with a bare
Scrapy spider (fetch + parse title) and once with a SourceSpider through our pipelines (trafilatura main
text, date, validation, SQLite store), each in its own process with the same download settings, and prints
pages/s of both and their ratio (goal >= 0.7).
"""

from __future__ import annotations

import argparse
import json
import os
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


def write_pages(folder: Path, n: int) -> None:
    site = folder / "bench_ours" / HOST
    (site / "news").mkdir(parents=True)
    links = "\n".join(
        f'<li><a href="/news/{i}.html">Notice {i} on export controls</a> <span>2024-12-{1 + i % 28:02d}'
        f"</span></li>"
        for i in range(n)
    )
    (site / "index.html").write_text(f"<html><body><ul class='list'>{links}</ul></body></html>")
    for i in range(n):
        body = "".join(f"<p>{PARAGRAPH * 3}{i}-{k}</p>" for k in range(8))
        (site / "news" / f"{i}.html").write_text(
            f"<html><head><title>Notice {i}</title><meta charset='utf-8'></head><body>"
            f"<header>Ministry</header><nav>Home · News</nav><article><h1>Notice {i} on export controls</h1>"
            f"<p>2024-12-{1 + i % 28:02d}</p>"
            f"{body}</article><footer>Contact · Privacy</footer></body></html>"
        )
    (folder / "bench_bare").symlink_to(folder / "bench_ours", target_is_directory=True)


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
            for href in response.css("li a::attr(href)").getall():
                yield response.follow(href, self.parse_page)

        def parse_page(self, response: Any) -> Any:
            yield {"url": response.url, "title": response.css("title::text").get()}

    class Ours(HtmlListingMixin, SourceSpider):
        name = "bench_ours"
        publisher, jurisdiction, language, timezone = "Bench", "XX", "en", "UTC"
        listing_urls = (f"https://{HOST}/",)
        row_selector = "ul.list li"
        date_selector = "span::text"

    settings = Settings()
    settings.setmodule("crawlers.settings", priority="project")
    settings.setdict({**COMMON, "CWATCH_DB": db, "CWATCH_REPLAY_ROOT": replay_root}, priority="cmdline")
    if kind == "bare":
        settings.set("ITEM_PIPELINES", {}, priority="cmdline")
        settings.set("EXTENSIONS", {}, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(Bare if kind == "bare" else Ours)
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
    if kind == "ours":
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
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--child", choices=["bare", "ours"])
    parser.add_argument("--root")
    parser.add_argument("--db")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.root, args.db)
        return
    from crawlers.localserver import FixtureServer

    with tempfile.TemporaryDirectory(prefix="cwatch-bench-") as tmp:
        write_pages(Path(tmp) / "site", args.pages)
        with FixtureServer(Path(tmp) / "site") as server:
            bare = run_child("bare", server.url, str(Path(tmp) / "bare.db"))
            ours = run_child("ours", server.url, str(Path(tmp) / "ours.db"))
    rate = {k: v["pages"] / v["seconds"] for k, v in (("bare", bare), ("ours", ours))}
    print(f"pages served: {args.pages} articles + 1 listing (+ robots.txt)")
    print(
        f"bare Scrapy spider : {bare['pages']:.0f} pages in {bare['seconds']:.2f} s"
        f" = {rate['bare']:.1f} pages/s"
    )
    print(
        f"our crawl (extract + store): {ours['pages']:.0f} pages in {ours['seconds']:.2f} s"
        f" = {rate['ours']:.1f} pages/s"
        f", {ours['stored']:.0f} documents stored"
    )
    print(f"ratio ours/bare: {rate['ours'] / rate['bare']:.2f} (goal >= 0.7)")


if __name__ == "__main__":
    main()
