"""Outbox vocabulary shared by the stages that fill the outbox (alerts, signals) and the one that empties it
(delivery): timestamps, the marker for "printed to a terminal", and the store's installation id.

All timestamps are UTC ISO 8601 with microseconds, so string comparison in SQL is time order.
"""

from __future__ import annotations

import os
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
    """This store's installation id, for Slack message metadata: reconciliation trusts only its own messages.

    A copy of the store file (a restored backup, `cp`, a second server) is a new installation: the file's
    identity (device and inode) is kept beside the id, and a store found in another file gets a fresh id at
    its first delivery, so it never takes the other copy's messages for its own (docs/operations.md)."""
    here = _file_identity(db)
    row = db.execute("SELECT value FROM alert_settings WHERE key = 'home'").fetchone()
    if here and (row is None or row[0] != here):
        with db.conn:  # re-read under the write lock: two processes on one new copy agree on one new id
            row = db.execute("SELECT value FROM alert_settings WHERE key = 'home'").fetchone()
            if row is not None and row[0] != here:
                db.execute(
                    "UPDATE alert_settings SET value = lower(hex(randomblob(8))) WHERE key = 'instance'"
                )
            if row is None or row[0] != here:
                db.execute("INSERT OR REPLACE INTO alert_settings (key, value) VALUES ('home', ?)", [here])
    return str(db.execute("SELECT value FROM alert_settings WHERE key = 'instance'").fetchone()[0])


def stored_instance_id(db: Database) -> str:
    """The id as stored, without the copy check (read-only uses such as the partner feed's id)."""
    return str(db.execute("SELECT value FROM alert_settings WHERE key = 'instance'").fetchone()[0])


def _file_identity(db: Database) -> str | None:
    """device:inode of the main database file; None for an in-memory store."""
    path = next((r[2] for r in db.execute("PRAGMA database_list").fetchall() if r[1] == "main"), "")
    if not path:
        return None
    stat = os.stat(path)
    return f"{stat.st_dev}:{stat.st_ino}"


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
