"""`cwatch sources check`: fetch one listing page and one detail page of a source and report whether its
selectors and URL patterns still match — what an operator runs after a site redesign. A listing whose row
selector finds nothing while notice links of the publisher's URL pattern exist, or a detail page whose
content selector misses, is reported as "site changed: …" (the crawl still collects). Uses a throwaway
store; the configured per-source overrides (CWATCH_SOURCES) apply, so a fix can be checked before it runs."""

from __future__ import annotations

import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crawlers.runner import run_crawl


@dataclass
class CheckResult:
    slug: str
    ok: bool
    listing_items: int
    reason: str | None
    title: str | None = None
    url: str | None = None
    published: str | None = None
    text_chars: int = 0

    def line(self) -> str:
        if not self.ok:
            return f"{self.slug}: FAILED — {self.reason}"
        found = (
            f"{self.slug}: ok — listing matched {self.listing_items} entries; detail {self.url} → "
            f"title {self.title!r}, published {self.published}, {self.text_chars} chars of text"
        )
        # Which selectors no longer match, and what (URL patterns, trafilatura) still found the notices.
        return f"{found}\n  {self.reason}" if self.reason else f"{found}\n  selectors and URL patterns match"


def check_source(
    slug: str,
    *,
    contact: str | None = None,
    timeout_s: int = 120,
    replay_root: str | None = None,
    settings: dict[str, Any] | None = None,
) -> CheckResult:
    with tempfile.TemporaryDirectory(prefix="cwatch-check-") as tmp:
        db_path = Path(tmp) / "check.db"
        run = run_crawl(
            db_path,
            [slug],
            timeout_s=timeout_s,
            contact=contact,
            replay_root=replay_root,
            settings={"CWATCH_DETAIL_LIMIT": 1, "CWATCH_PAGE_CAP": 1, **(settings or {})},
        )[0]
        conn = sqlite3.connect(db_path)
        row = conn.execute("SELECT title, url, published, length(text) FROM documents LIMIT 1").fetchone()
        conn.close()
    if run["status"] != "ok" or row is None:
        reason = run["reason"] or "the detail page gave no valid document"
        return CheckResult(slug, False, run["items"], reason)
    return CheckResult(slug, True, run["items"], run["reason"], row[0], row[1], row[2], int(row[3]))
