"""Hourly and daily digests: one message per watchlist listing the stories matched since its last digest.

The digest row and its items are bound together in one transaction; delivery/engine.py then posts it with
the same exactly-once protocol as single alerts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from alerts.items import alert_view
from alerts.render import render_digest, story_time
from db.outbox import now_iso
from db.records import Message, OutboxItem
from watchlists.schema import Watchlist

_EMPTY = Message(text="", blocks=[])


def _open_digest(db: Database, watchlist: Watchlist) -> int | None:
    """The watchlist's unsent digest, or a new one binding all its waiting items; None when nothing waits."""
    with db.conn:
        row = db.execute(
            "SELECT id FROM digests WHERE watchlist = ? AND status = 'pending' ORDER BY id LIMIT 1",
            [watchlist.name],
        ).fetchone()
        if row:
            digest_id = int(row[0])
        else:
            waiting = db.execute(
                "SELECT count(*) FROM alerts WHERE watchlist = ? AND kind = 'digest' AND status ="
                " 'pending' AND digest_id IS NULL",
                [watchlist.name],
            ).fetchone()[0]
            if not waiting:
                return None
            digest_id = int(
                db.execute(
                    "INSERT INTO digests (watchlist, delivery, channel, created_at) VALUES (?, ?, ?, ?)",
                    [watchlist.name, watchlist.delivery, watchlist.channel, now_iso()],
                ).lastrowid
                or 0
            )
        db.execute(
            "UPDATE alerts SET digest_id = ? WHERE watchlist = ? AND kind = 'digest' AND status = 'pending'"
            " AND digest_id IS NULL",
            [digest_id, watchlist.name],
        )
    return digest_id


def digest_stories(db: Database, digest_id: int) -> list[dict[str, Any]]:
    stories: dict[Any, dict[str, Any]] = {}
    for row in db.query("SELECT * FROM alerts WHERE digest_id = ? ORDER BY id", [digest_id]):
        key = row["story_id"] if row["story_id"] is not None else f"doc:{row['document_id']}"
        if key in stories:
            stories[key]["documents"] += 1
        else:
            stories[key] = {**alert_view(db, row), "documents": 1}
    return list(stories.values())


def digest_items(db: Database, watchlists: list[Watchlist], delivery: str) -> Iterator[OutboxItem]:
    """One digest per watchlist with `delivery` (hourly/daily) that has waiting items, rendered."""
    for watchlist in (w for w in watchlists if w.delivery == delivery):
        digest_id = _open_digest(db, watchlist)
        if digest_id is None:
            continue
        row = next(iter(db.query("SELECT * FROM digests WHERE id = ?", [digest_id])))
        if row["next_attempt_at"] and row["next_attempt_at"] > now_iso():
            yield OutboxItem("digests", digest_id, watchlist.channel, "", _EMPTY, "", waiting=True)
            continue
        stories = digest_stories(db, digest_id)
        message = render_digest(watchlist.name, delivery, stories)
        terminal = [f"{message.text}   [{watchlist.name} → {watchlist.channel}]"]
        newest_first = sorted(stories, key=story_time, reverse=True)
        terminal += [f"  • {story.get('title')}  {story.get('url') or ''}" for story in newest_first]
        yield OutboxItem(
            table="digests",
            id=digest_id,
            channel=watchlist.channel,
            key=f"digest:{digest_id}",
            message=message,
            terminal="\n".join(terminal),
            attempts=int(row["attempts"]),
            claimed_at=row["claimed_at"],
        )
