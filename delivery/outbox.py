"""Outbox state changes, for every outbox table. Each is one committed transaction, so a crash leaves a row in
a known state.

States of a row (alerts, digests, escalation_notices):
  pending, claimed_at NULL       due for a post (when next_attempt_at has passed)
  pending, claimed_at set        a post may have reached Slack ("in doubt"): reconcile before posting again
  sent                           slack_ts recorded (db.outbox.TERMINAL_TS when printed without a token)
  failed                         permanent error, last_error says why; `cwatch alerts retry` re-queues alerts
"""

from __future__ import annotations

from sqlite_utils import Database

from db.outbox import TABLES, TERMINAL_TS, now_iso


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


def unclaim(db: Database, table: str, row_id: int, claimed_at: str) -> bool:
    """History shows the in-doubt post never landed: free the row, unless another dispatcher moved it on."""
    assert table in TABLES
    with db.conn:
        cursor = db.execute(
            f"UPDATE {table} SET claimed_at = NULL WHERE id = ? AND status = 'pending' AND claimed_at = ?",
            [row_id, claimed_at],
        )
    return cursor.rowcount == 1


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
    now = now_iso()
    with db.conn:
        db.execute(
            f"UPDATE {table} SET status = 'sent', slack_ts = ?, sent_at = ?, claimed_at = NULL,"
            " last_error = NULL WHERE id = ?",
            [ts, now, row_id],
        )
        if table == "alerts":
            db.execute("UPDATE alerts SET channel_id = ? WHERE id = ?", [channel_id, row_id])
        elif table == "digests":  # the digest's items are delivered with it
            db.execute(
                "UPDATE alerts SET status = 'sent', slack_ts = ?, sent_at = ? WHERE digest_id = ?",
                [ts, now, row_id],
            )


def mark_failed(db: Database, table: str, row_id: int, error: str) -> None:
    assert table in TABLES
    with db.conn:
        db.execute(
            f"UPDATE {table} SET status = 'failed', claimed_at = NULL, last_error = ? WHERE id = ?",
            [error[:1000], row_id],
        )


def pause_channel(db: Database, channel: str, until: str) -> None:
    """The bot cannot post to `channel`: its waiting rows are due again at `until`, not one by one now."""
    with db.conn:
        for table in TABLES:
            db.execute(
                f"UPDATE {table} SET next_attempt_at = max(coalesce(next_attempt_at, ''), ?)"
                " WHERE channel = ? AND status = 'pending' AND claimed_at IS NULL",
                [until, channel],
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
