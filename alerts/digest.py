"""Hourly and daily digests: one message per watchlist listing the stories matched since its last digest.

The same exactly-once protocol as single alerts: the digest row and its items are bound together and
claimed in one transaction, posted with a metadata key, and reconciled from history when in doubt.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from slack_sdk.errors import SlackClientError
from sqlite_utils import Database

from alerts import outbox
from alerts.dispatch import alert_view
from alerts.render import render_digest, story_time
from alerts.slack_client import Poster
from alerts.stories import parse_time
from watchlists.schema import Watchlist


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
                    [watchlist.name, watchlist.delivery, watchlist.channel, outbox.now_iso()],
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


def send_digests(
    db: Database,
    watchlists: list[Watchlist],
    delivery: str,
    *,
    token: str | None,
    api_url: str | None,
    echo: Callable[[str], None] = print,
    timeout_s: float = 10.0,
    poster: Poster | None = None,
) -> int:
    """Post (or print, without a token) one digest per watchlist with `delivery`; returns how many."""
    delivered = 0
    instance = outbox.instance_id(db)
    for watchlist in (w for w in watchlists if w.delivery == delivery):
        digest_id = _open_digest(db, watchlist)
        if digest_id is None:
            continue
        message = render_digest(watchlist.name, delivery, digest_stories(db, digest_id))
        if not token:
            echo(f"{message.text}   [{watchlist.name} → {watchlist.channel}]")
            for story in sorted(digest_stories(db, digest_id), key=story_time, reverse=True):  # newest first
                echo(f"  • {story.get('title')}  {story.get('url') or ''}")
            outbox.mark_sent(db, "digests", digest_id, outbox.TERMINAL_TS)
            delivered += 1
            continue
        poster = poster or Poster(db, token, api_url, timeout_s=timeout_s)
        key = f"{instance}:digest:{digest_id}"
        row = db.execute("SELECT claimed_at FROM digests WHERE id = ?", [digest_id]).fetchone()
        if row[0]:
            claimed = parse_time(row[0])
            if claimed and time.time() - claimed.timestamp() < timeout_s + 5:
                continue
            try:
                found = poster.find_posted(
                    watchlist.channel, key, (claimed.timestamp() if claimed else 0) - 300
                )
            except (SlackClientError, OSError):
                continue
            if found:
                outbox.mark_sent(db, "digests", digest_id, found)
                delivered += 1
                continue
            with db.conn:
                db.execute("UPDATE digests SET claimed_at = NULL WHERE id = ?", [digest_id])
        if outbox.claim(db, "digests", digest_id) is None:
            continue
        outcome = poster.post(watchlist.channel, message, key=key)
        if outcome.result == "sent":
            outbox.mark_sent(db, "digests", digest_id, str(outcome.ts))
            delivered += 1
        elif outcome.result == "failed":
            outbox.mark_failed(db, "digests", digest_id, str(outcome.error))
        elif outcome.result == "retry":
            outbox.release(db, "digests", digest_id, str(outcome.error), None)
        else:
            outbox.keep_in_doubt(db, "digests", digest_id, str(outcome.error), outbox.later(60))
    return delivered
