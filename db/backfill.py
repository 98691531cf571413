"""Backfill: crawl each source from a past date, one source at a time, resumable after interruption."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlite_utils import Database

from db.store import utcnow

Crawl = Callable[[Sequence[str], str], list[dict[str, Any]]]


def pending_sources(db: Database, since: str, slugs: Sequence[str]) -> list[str]:
    done = {
        r["source"]
        for r in db.query("SELECT source FROM backfill_progress WHERE since = ? AND status = 'ok'", [since])
    }
    return [slug for slug in slugs if slug not in done]


def backfill(
    db: Database,
    since: str,
    slugs: Sequence[str],
    crawl: Crawl,
    progress: Callable[[str], None] = lambda slug: None,
) -> list[dict[str, Any]]:
    """Crawl each not-yet-done source with `since`; a source is marked done only when its run succeeded,
    so an interrupted or failed backfill resumes where it stopped."""
    results = []
    for slug in pending_sources(db, since, slugs):
        for result in crawl([slug], since):
            results.append(result)
            with db.conn:
                db.execute(
                    "INSERT OR REPLACE INTO backfill_progress (since, source, finished, status) VALUES (?, ?, ?, ?)",
                    [since, slug, utcnow(), result.get("status", "failed")],
                )
        progress(slug)
    return results
