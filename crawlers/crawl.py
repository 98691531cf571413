"""`python -m crawlers.crawl`: run spiders in this process (one Twisted reactor per process) and exit.

The runner (crawlers/runner.py) starts this as a subprocess; every run is recorded in crawl_runs by the
RunRecorder extension, so this prints nothing the caller needs.
"""

from __future__ import annotations

import argparse
import json
import sys

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawlers.registry import spider_classes


def build_settings(args: argparse.Namespace) -> Settings:
    settings = Settings()
    settings.setmodule("crawlers.settings", priority="project")
    if args.contact:
        settings.set(
            "USER_AGENT",
            f"coercion-watch/0.1 (+{args.contact}; early-warning monitor of trade measures)",
            priority="cmdline",
        )
    settings.set("CWATCH_DB", args.db, priority="cmdline")
    if args.timeout:
        # Close spiders a little before the parent kills us, so their runs are recorded as timeouts.
        settings.set("CLOSESPIDER_TIMEOUT", max(5, int(args.timeout * 0.9) - 5), priority="cmdline")
    if args.replay_root:
        settings.set("CWATCH_REPLAY_ROOT", args.replay_root, priority="cmdline")
        # The fixture server is ours: no waiting between requests (AutoThrottle still adapts).
        settings.set("DOWNLOAD_DELAY", 0, priority="cmdline")
        settings.set("AUTOTHROTTLE_START_DELAY", 0, priority="cmdline")
    if args.spider_module:
        settings.set("SPIDER_MODULES", ["crawlers.spiders", *args.spider_module], priority="cmdline")
    for key, value in json.loads(args.settings or "{}").items():
        settings.set(key, value, priority="cmdline")
    return settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawlers.crawl")
    parser.add_argument("--db", required=True)
    parser.add_argument("--since")
    parser.add_argument("--contact")
    parser.add_argument("--timeout", type=int, default=0)
    parser.add_argument("--replay-root")
    parser.add_argument("--spider-module", action="append", default=[])
    parser.add_argument("--settings", help="JSON object of Scrapy setting overrides")
    parser.add_argument("slugs", nargs="+")
    args = parser.parse_args(argv)
    classes = spider_classes(["crawlers.spiders", *args.spider_module])
    unknown = [s for s in args.slugs if s not in classes]
    if unknown:
        print(f"unknown sources: {', '.join(unknown)}", file=sys.stderr)
        return 2
    process = CrawlerProcess(build_settings(args))
    for slug in args.slugs:
        # All sources crawl at once; each site still gets one request at a time.
        process.crawl(classes[slug], since=args.since)
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
