"""When to read an alert's reactions again: with back-off by the alert's age, instead of every alert of the
last seven days on every feedback run (1,008 reactions.get calls per alert at the default 10 minutes).

An alert never read is due at once. After a read at age A it is due again once MIN_GAP or A / GROWTH has
passed, whichever is longer: reactions come mostly in the first hours, so a new alert is read on every run
and a six-day-old one about once a day; ~30 reads per alert over the seven days instead of ~1,000.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

MIN_GAP = timedelta(minutes=9)  # just under the default 10-minute schedule, so young alerts go every run
GROWTH = 4.0


def parse(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def is_due(sent_at: str | None, checked_at: str | None, now: datetime) -> bool:
    sent, checked = parse(sent_at), parse(checked_at)
    if checked is None or sent is None:
        return True
    gap = max(MIN_GAP, (checked - sent) / GROWTH)
    return now - checked >= gap


def last_checks(db: Database, alert_ids: list[int]) -> dict[int, str]:
    """checked_at per alert id (absent: never read)."""
    out: dict[int, str] = {}
    for start in range(0, len(alert_ids), 500):
        chunk = alert_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        out.update(
            db.execute(
                f"SELECT alert_id, checked_at FROM alert_feedback_polls WHERE alert_id IN ({marks})", chunk
            ).fetchall()
        )
    return out


def due(db: Database, rows: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """The rows (alerts with id and sent_at) whose reactions should be read now, newest first."""
    checks = last_checks(db, [int(r["id"]) for r in rows])
    picked = [r for r in rows if is_due(r.get("sent_at"), checks.get(int(r["id"])), now)]
    return sorted(picked, key=lambda r: str(r.get("sent_at") or ""), reverse=True)


def record_check(db: Database, alert_id: int, now: datetime) -> None:
    """Remember this read (call inside the caller's transaction)."""
    db.execute(
        "INSERT INTO alert_feedback_polls (alert_id, checked_at) VALUES (?, ?) ON CONFLICT (alert_id)"
        " DO UPDATE SET checked_at = excluded.checked_at, checks = checks + 1",
        [alert_id, now.isoformat(timespec="seconds")],
    )
