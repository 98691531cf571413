"""Deliver due outbox rows: to Slack with a token, else readably to the terminal.

Exactly-once protocol per row (see alerts/outbox.py for the states):
  1. a row still "in doubt" from an earlier attempt (timeout, 5xx, or a crash mid-post) is first looked up
     in the channel history by the metadata key `<store instance>:<alert id>`; found → recorded as sent;
  2. claim (commit "a post is starting"), 3. chat.postMessage, 4. record the ts (commit).
A crash between 3 and 4 leaves the claim, so step 1 finds the message instead of posting it again.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import click
from slack_sdk.errors import SlackClientError
from sqlite_utils import Database

from alerts import outbox
from alerts.presentation import presentation
from alerts.render import Message, render_alert, render_terminal
from alerts.slack_client import Poster
from alerts.stories import parse_time
from db.store import event_views
from signals.annotate import annotate

MAX_ATTEMPTS = 8
RECONCILE_MARGIN_S = 300.0  # Slack's clock vs ours


@dataclass
class DispatchReport:
    sent: int = 0
    printed: int = 0
    retried: int = 0
    in_doubt: int = 0
    reconciled: int = 0
    failed: int = 0
    waiting: int = 0  # replies whose first alert isn't delivered yet, or in-doubt rows not yet due
    errors: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(
            self.sent or self.printed or self.retried or self.in_doubt or self.reconciled or self.failed
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


def dispatch_pending(
    db: Database,
    *,
    token: str | None,
    api_url: str | None,
    echo: Callable[[str], None] = click.echo,
    timeout_s: float = 10.0,
    min_interval_s: float = 1.0,
    backoff_s: float = 30.0,
    reconcile_after_s: float | None = None,
    limit: int = 500,
    poster: Poster | None = None,
) -> DispatchReport:
    """Deliver the due alerts and thread replies; returns what happened."""
    report = DispatchReport()
    rows = outbox.due_alerts(db, limit)
    if not token:
        if rows:
            echo("SLACK_BOT_TOKEN is not set: printing alerts here instead of posting them to Slack.")
        _print_all(db, rows, echo, report)
        return report
    poster = poster or Poster(db, token, api_url, timeout_s=timeout_s, min_interval_s=min_interval_s)
    wait_s = timeout_s + 5.0 if reconcile_after_s is None else reconcile_after_s
    instance = outbox.instance_id(db)
    for row in rows:
        _deliver(db, poster, row, instance, report, backoff_s=backoff_s, reconcile_after_s=wait_s)
    return report


def _parent(db: Database, row: dict[str, Any]) -> dict[str, Any] | None:
    if row["kind"] != "reply" or row.get("thread_of") is None:
        return None
    return next(iter(db.query("SELECT * FROM alerts WHERE id = ?", [row["thread_of"]])), None)


def _thread_ts(parent: dict[str, Any] | None) -> tuple[bool, str | None]:
    """(ready, parent ts): not ready while the parent is pending; ts None means post standalone."""
    if parent is None:
        return True, None
    if parent["status"] == "pending":
        return False, None
    ts = parent.get("slack_ts")
    return True, (ts if parent["status"] == "sent" and ts and ts != outbox.TERMINAL_TS else None)


def _message(db: Database, row: dict[str, Any], reply: bool) -> Message:
    mentions = json.loads(row["mentions"]) if row.get("mentions") else []
    return render_alert(alert_view(db, row), watchlist=row["watchlist"], mentions=mentions, reply=reply)


def _deliver(
    db: Database,
    poster: Poster,
    row: dict[str, Any],
    instance: str,
    report: DispatchReport,
    *,
    backoff_s: float,
    reconcile_after_s: float,
) -> None:
    ready, thread_ts = _thread_ts(_parent(db, row))
    if not ready:
        report.waiting += 1
        return
    key = f"{instance}:{row['id']}"
    if row.get("claimed_at"):
        claimed = parse_time(row["claimed_at"])
        if claimed is not None and time.time() - claimed.timestamp() < reconcile_after_s:
            report.waiting += 1  # an earlier attempt may still be in flight
            return
        try:
            since = (claimed.timestamp() if claimed else 0.0) - RECONCILE_MARGIN_S
            found = poster.find_posted(row["channel"], key, since, thread_ts)
        except (SlackClientError, OSError) as exc:
            report.errors.append(f"alert {row['id']}: cannot check history: {exc}"[:300])
            report.waiting += 1
            return  # never post while unsure whether it already went out
        if found:
            outbox.mark_sent(db, "alerts", row["id"], found, poster.channel_id(row["channel"]))
            report.reconciled += 1
            return
        with db.conn:  # confirmed not posted: clear the claim so it can be taken again
            db.execute("UPDATE alerts SET claimed_at = NULL WHERE id = ?", [row["id"]])
    if outbox.claim(db, "alerts", row["id"]) is None:
        return
    outcome = poster.post(
        row["channel"], _message(db, row, reply=row["kind"] == "reply"), key=key, thread_ts=thread_ts
    )
    attempts = int(row["attempts"]) + 1
    backoff = min(backoff_s * 2 ** min(attempts - 1, 6), 3600.0)
    if outcome.result == "sent":
        outbox.mark_sent(db, "alerts", row["id"], str(outcome.ts), outcome.channel_id)
        report.sent += 1
    elif outcome.result == "failed" or attempts >= MAX_ATTEMPTS and outcome.result == "retry":
        outbox.mark_failed(db, "alerts", row["id"], str(outcome.error))
        report.failed += 1
        report.errors.append(f"alert {row['id']} → {row['channel']}: {outcome.error}")
    elif outcome.result == "retry":
        outbox.release(
            db,
            "alerts",
            row["id"],
            str(outcome.error),
            outbox.later(max(outcome.retry_after_s or 0.0, backoff)),
        )
        report.retried += 1
    else:
        outbox.keep_in_doubt(db, "alerts", row["id"], str(outcome.error), outbox.later(backoff))
        report.in_doubt += 1


def _story_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each story's rows together, in the order stories first appear: an update prints under its own
    story's first alert, never under whichever alert happened to be due before it."""

    def story(row: dict[str, Any]) -> tuple[Any, ...]:
        return (row["watchlist"], row["story_id"]) if row.get("story_id") else ("row", row["id"])

    first: dict[tuple[Any, ...], int] = {}
    for i, row in enumerate(rows):
        first.setdefault(story(row), i)
    return sorted(rows, key=lambda r: (first[story(r)], r["kind"] == "reply", r["id"]))


def _print_all(
    db: Database, rows: list[dict[str, Any]], echo: Callable[[str], None], report: DispatchReport
) -> None:
    for row in _story_order(rows):
        parent = _parent(db, row)
        if parent is not None and parent["status"] == "pending":
            report.waiting += 1
            continue
        view = alert_view(db, row)
        if row["kind"] == "reply" and row.get("story_id"):
            title = db.execute("SELECT title FROM stories WHERE id = ?", [row["story_id"]]).fetchone()
            view["story_title"] = title[0] if title else None
        echo(
            render_terminal(
                view,
                watchlist=row["watchlist"],
                channel=row["channel"],
                reply=row["kind"] == "reply",
            )
        )
        # Recorded as delivered to the terminal, so the next run doesn't print it again;
        # `cwatch alerts retry ID` sends such an alert to Slack later.
        outbox.mark_sent(db, "alerts", row["id"], outbox.TERMINAL_TS)
        report.printed += 1
