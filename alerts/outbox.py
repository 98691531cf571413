"""Outbox state changes. Each is one committed transaction, so a crash leaves a row in a known state.

States of an outbox row (alerts or digests):
  pending, claimed_at NULL       due for a post (when next_attempt_at has passed)
  pending, claimed_at set        a post may have reached Slack ("in doubt"): reconcile before posting again
  sent                           slack_ts recorded ("terminal" when printed because no token was set)
  failed                         permanent error, last_error says why; `cwatch alerts retry` re-queues
All timestamps are UTC ISO 8601 with microseconds, so string comparison in SQL is time order.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

TERMINAL_TS = "terminal"
TABLES = ("alerts", "digests")


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def now_iso() -> str:
    return iso(datetime.now(UTC))


def later(seconds: float) -> str:
    return iso(datetime.now(UTC) + timedelta(seconds=seconds))


def instance_id(db: Database) -> str:
    row = db.execute("SELECT value FROM alert_settings WHERE key = 'instance'").fetchone()
    return str(row[0])


def due_alerts(db: Database, limit: int = 500) -> list[dict[str, Any]]:
    """Immediate alerts and replies whose turn has come, oldest first (first alerts before their replies)."""
    return list(
        db.query(
            "SELECT * FROM alerts WHERE status = 'pending' AND kind IN ('alert', 'reply')"
            " AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id LIMIT ?",
            [now_iso(), limit],
        )
    )


def claim(db: Database, table: str, row_id: int) -> str | None:
    """Record that a post is about to start; None if another dispatcher got there first."""
    assert table in TABLES
    stamp = now_iso()
    with db.conn:
        cursor = db.execute(
            f"UPDATE {table} SET claimed_at = ?, attempts = attempts + 1 WHERE id = ? AND status = 'pending'"
            " AND claimed_at IS NULL",
            [stamp, row_id],
        )
    return stamp if cursor.rowcount == 1 else None


def release(db: Database, table: str, row_id: int, error: str, retry_at: str | None) -> None:
    """The post certainly did not happen (HTTP 429, or Slack answered ok=false): due again at retry_at."""
    assert table in TABLES
    with db.conn:
        db.execute(
            f"UPDATE {table} SET claimed_at = NULL, last_error = ?, next_attempt_at = ? WHERE id = ?",
            [error[:1000], retry_at, row_id],
        )


def keep_in_doubt(db: Database, table: str, row_id: int, error: str, retry_at: str) -> None:
    """Timeout or 5xx: Slack may have posted. The claim stays, so the next try reconciles first."""
    assert table in TABLES
    with db.conn:
        db.execute(
            f"UPDATE {table} SET last_error = ?, next_attempt_at = ? WHERE id = ?",
            [error[:1000], retry_at, row_id],
        )


def mark_sent(db: Database, table: str, row_id: int, ts: str, channel_id: str | None = None) -> None:
    assert table in TABLES
    with db.conn:
        if table == "alerts":
            db.execute(
                "UPDATE alerts SET status = 'sent', slack_ts = ?, channel_id = ?, sent_at = ?,"
                " claimed_at = NULL, last_error = NULL WHERE id = ?",
                [ts, channel_id, now_iso(), row_id],
            )
        else:
            db.execute(
                "UPDATE digests SET status = 'sent', slack_ts = ?, sent_at = ?, claimed_at = NULL,"
                " last_error = NULL WHERE id = ?",
                [ts, now_iso(), row_id],
            )
            db.execute(
                "UPDATE alerts SET status = 'sent', slack_ts = ?, sent_at = ? WHERE digest_id = ?",
                [ts, now_iso(), row_id],
            )


def mark_failed(db: Database, table: str, row_id: int, error: str) -> None:
    assert table in TABLES
    with db.conn:
        db.execute(
            f"UPDATE {table} SET status = 'failed', claimed_at = NULL, last_error = ? WHERE id = ?",
            [error[:1000], row_id],
        )


def requeue(db: Database, alert_id: int | None = None) -> int:
    """Failed alerts (or one alert, whatever its state) back to pending, for `cwatch alerts retry`."""
    with db.conn:
        if alert_id is None:
            cursor = db.execute(
                "UPDATE alerts SET status = 'pending', next_attempt_at = NULL, claimed_at = NULL"
                " WHERE status = 'failed'"
            )
        else:
            cursor = db.execute(
                "UPDATE alerts SET status = 'pending', next_attempt_at = NULL, claimed_at = NULL,"
                " slack_ts = NULL WHERE id = ? AND (status = 'failed' OR slack_ts = ?)",
                [alert_id, TERMINAL_TS],
            )
    return cursor.rowcount
