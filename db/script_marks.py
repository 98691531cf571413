"""Marking the script of documents stored before migration 014 (`cjk` NULL; index in migration 017), so non-CJK ones leave the
trigram index: setting `cjk` fires its update triggers, which drop the trigrams when the value is 0 and
re-index when it is 1. Bounded batches, one transaction each, so the write lock is never held long."""

from __future__ import annotations

from sqlite_utils import Database

from db.textnorm import has_cjk

UNMARKED = "SELECT rowid, title, text FROM documents WHERE cjk IS NULL LIMIT ?"


def mark_unmarked(db: Database, limit: int = 20_000, batch: int = 1_000) -> int:
    """Mark up to `limit` unmarked documents; returns how many were marked (0 once none are left)."""
    marked = 0
    while marked < limit:
        rows = db.execute(UNMARKED, [min(batch, limit - marked)]).fetchall()
        if not rows:
            break
        with db.conn:
            db.conn.executemany(
                "UPDATE documents SET cjk = ? WHERE rowid = ?",
                [(int(has_cjk(title or "", text or "")), rowid) for rowid, title, text in rows],
            )
        marked += len(rows)
    return marked


def unmarked_count(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM documents WHERE cjk IS NULL").fetchone()[0])
