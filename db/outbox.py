"""Outbox vocabulary shared by the stages that fill the outbox (alerts, signals) and the one that empties it
(delivery): timestamps, the marker for "printed to a terminal", and the store's installation id.

All timestamps are UTC ISO 8601 with microseconds, so string comparison in SQL is time order.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

TERMINAL_TS = "terminal"  # slack_ts of a row printed because no token was set
TABLES = ("alerts", "digests", "escalation_notices")


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def now_iso() -> str:
    return iso(datetime.now(UTC))


def later(seconds: float) -> str:
    return iso(datetime.now(UTC) + timedelta(seconds=seconds))


def instance_id(db: Database) -> str:
    """The id this store puts into Slack message metadata (reconciliation only trusts its own messages)."""
    row = db.execute("SELECT value FROM alert_settings WHERE key = 'instance'").fetchone()
    return str(row[0])


def outbox_rows(db: Database, status: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Recent alert outbox rows with their document's title, newest first (`cwatch alerts list`)."""
    where, params = ("WHERE a.status = ?", [status]) if status else ("", [])
    return list(
        db.query(
            f"SELECT a.id, a.status, a.kind, a.watchlist, a.channel, a.attempts, a.last_error, d.title"
            f" FROM alerts a JOIN documents d ON d.id = a.document_id {where} ORDER BY a.id DESC LIMIT ?",
            [*params, limit],
        )
    )


def alert_row(db: Database, alert_id: int) -> dict[str, Any] | None:
    return next(iter(db.query("SELECT * FROM alerts WHERE id = ?", [alert_id])), None)
