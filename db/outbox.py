"""Outbox vocabulary shared by the stages that fill the outbox (alerts, signals) and the one that empties it
(delivery): timestamps, the marker for "printed to a terminal", and the store's installation id.

All timestamps are UTC ISO 8601 with microseconds, so string comparison in SQL is time order.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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
