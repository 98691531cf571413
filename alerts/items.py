"""The alert outbox as delivery sees it: due alerts and replies rendered into OutboxItems, oldest first.

Replies wait until their first alert is delivered, so they can thread under its ts; rendering happens here,
at delivery time, so an alert shows the latest tags and signals of its document.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from alerts.presentation import presentation
from alerts.render import render_alert, render_terminal
from db.outbox import TERMINAL_TS, now_iso
from db.records import Message, OutboxItem
from db.signal_views import annotate
from db.store import event_views

_EMPTY = Message(text="", blocks=[])  # an item that waits carries no message


def due_alerts(db: Database, limit: int = 500) -> list[dict[str, Any]]:
    """Immediate alerts and replies whose turn has come, story by story in the order stories first appear
    (first alerts before their replies): the terminal prints an update under its own story."""
    rows = list(
        db.query(
            "SELECT * FROM alerts WHERE status = 'pending' AND kind IN ('alert', 'reply')"
            " AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id LIMIT ?",
            [now_iso(), limit],
        )
    )
    return _story_order(rows)


def _story_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    def story(row: dict[str, Any]) -> tuple[Any, ...]:
        return (row["watchlist"], row["story_id"]) if row.get("story_id") else ("row", row["id"])

    first: dict[tuple[Any, ...], int] = {}
    for i, row in enumerate(rows):
        first.setdefault(story(row), i)
    return sorted(rows, key=lambda r: (first[story(r)], r["kind"] == "reply", r["id"]))


def alert_items(db: Database, limit: int = 500) -> Iterator[OutboxItem]:
    """Lazily, so a reply is built after its first alert was delivered in the same run."""
    for row in due_alerts(db, limit):
        # Re-read: an earlier item of this run (or another dispatcher) may have moved the row on.
        current = next(iter(db.query("SELECT * FROM alerts WHERE id = ?", [row["id"]])), None)
        if current is None or current["status"] != "pending":
            continue
        yield alert_item(db, current)


def alert_item(db: Database, row: dict[str, Any]) -> OutboxItem:
    parent = _parent(db, row)
    reply = row["kind"] == "reply"
    row_id, channel = int(row["id"]), str(row["channel"])
    if parent is not None and parent["status"] == "pending":
        return OutboxItem("alerts", row_id, channel, str(row_id), _EMPTY, "", waiting=True)
    view = alert_view(db, row)
    if reply and row.get("story_id"):
        title = db.execute("SELECT title FROM stories WHERE id = ?", [row["story_id"]]).fetchone()
        view["story_title"] = title[0] if title else None
    mentions = json.loads(row["mentions"]) if row.get("mentions") else []
    return OutboxItem(
        table="alerts",
        id=row_id,
        channel=channel,
        key=str(row_id),
        message=render_alert(view, watchlist=row["watchlist"], mentions=mentions, reply=reply),
        terminal=render_terminal(view, watchlist=row["watchlist"], channel=row["channel"], reply=reply),
        attempts=int(row["attempts"]),
        claimed_at=row.get("claimed_at"),
        thread_ts=_thread_ts(parent),
    )


def alert_view(db: Database, row: dict[str, Any]) -> dict[str, Any]:
    """The event and document of an outbox row, with its signals (case step, possible response to)."""
    view = _event_view(db, row)
    return {**view, **annotate(db, view), **presentation(db, view)}


def _event_view(db: Database, row: dict[str, Any]) -> dict[str, Any]:
    """The event and document of an outbox row (the document alone when re-tagging removed the event)."""
    if row.get("event_id") is not None:
        found = list(event_views(db, "e.id = ?", [row["event_id"]]))
        if found:
            return found[0]
    found = list(event_views(db, "e.document_id = ?", [row["document_id"]]))
    if found:
        return found[0]
    doc = next(iter(db.query("SELECT * FROM documents WHERE id = ?", [row["document_id"]])), {})
    return {
        **doc,
        "event_type": "measure",
        "targets": [],
        "commodities": [],
        "technologies": [],
        "confidence": 0,
    }


def _parent(db: Database, row: dict[str, Any]) -> dict[str, Any] | None:
    if row["kind"] != "reply" or row.get("thread_of") is None:
        return None
    return next(iter(db.query("SELECT * FROM alerts WHERE id = ?", [row["thread_of"]])), None)


def _thread_ts(parent: dict[str, Any] | None) -> str | None:
    """The parent's ts to reply under; None means post standalone (no parent, or it failed or was printed)."""
    if parent is None:
        return None
    ts = parent.get("slack_ts")
    return ts if parent["status"] == "sent" and ts and ts != TERMINAL_TS else None
