"""Per-URL crawl state (listing fingerprint, HTTP validators) and the per-process store handle.

A listing entry whose fingerprint matches the stored one is not fetched again; a changed one is fetched
with If-None-Match / If-Modified-Since when the server gave validators last time.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from db import open_db
from db.store import utcnow

_OPEN: dict[str, Database] = {}


def store_at(path: str | Path) -> Database:
    """One connection per crawl process: every spider and pipeline runs on the reactor thread."""
    key = str(Path(path).resolve())
    if key not in _OPEN:
        _OPEN[key] = open_db(key)  # migration 011 adds crawl_pages to stores that missed it
    return _OPEN[key]


def fingerprint(*parts: Any) -> str:
    """Hash of a listing entry's raw fields: changes when the publisher changes the entry."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8", "replace")).hexdigest()[:32]


@dataclass
class PageState:
    url: str
    listing_hash: str | None
    etag: str | None
    last_modified: str | None


def page_state(db: Database, url: str) -> PageState | None:
    rows = list(
        db.query("SELECT url, listing_hash, etag, last_modified FROM crawl_pages WHERE url = ?", [url])
    )
    return PageState(**rows[0]) if rows else None


def remember_page(
    db: Database,
    url: str,
    source: str,
    *,
    listing_hash: str | None,
    etag: str | None,
    last_modified: str | None,
) -> None:
    now = utcnow()
    with db.conn:
        db.execute(
            "INSERT INTO crawl_pages (url, source, listing_hash, etag, last_modified, first_seen, last_seen)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET"
            " listing_hash = excluded.listing_hash, etag = coalesce(excluded.etag, etag),"
            " last_modified = coalesce(excluded.last_modified, last_modified),"
            " last_seen = excluded.last_seen",
            [url, source, listing_hash, etag, last_modified, now, now],
        )
