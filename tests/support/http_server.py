"""Test helpers around the fixture server: serve tests/fixtures on 127.0.0.1 and crawl it.

The server itself lives in crawlers/localserver.py because the bundled demo sample uses it too.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from crawlers.localserver import Fault, FixtureServer, LoggedRequest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# Small bounds so fault tests finish in seconds: a fault must cost at most a few seconds each.
FAST_SETTINGS: dict[str, Any] = {
    "DOWNLOAD_TIMEOUT": 3,
    "RETRY_TIMES": 1,
    "CWATCH_RETRY_BACKOFF_S": 0.1,
    "CWATCH_RETRY_AFTER_MAX_S": 2,
    "LOG_LEVEL": "WARNING",
}

__all__ = ["FAST_SETTINGS", "FIXTURES", "Fault", "FixtureServer", "LoggedRequest", "crawl", "serve_fixtures"]


@contextmanager
def serve_fixtures(root: Path = FIXTURES) -> Iterator[FixtureServer]:
    with FixtureServer(root) as server:
        yield server


def crawl(
    db_path: Path,
    server: FixtureServer,
    slugs: Sequence[str],
    *,
    since: str | None = None,
    settings: dict[str, Any] | None = None,
    spider_modules: Sequence[str] = (),
    timeout_s: int = 60,
) -> dict[str, dict[str, Any]]:
    """Crawl `slugs` through the real engine (own process) against `server`; run summaries by slug."""
    from crawlers.runner import run_crawl

    results = run_crawl(
        db_path,
        slugs,
        since=since,
        timeout_s=timeout_s,
        replay_root=server.url,
        settings={**FAST_SETTINGS, **(settings or {})},
        spider_modules=spider_modules,
    )
    return {r["slug"]: r for r in results}
