"""Storage of the escalation index as change points (migration 11), not one row per pair per day.

escalation_points holds a pair's first day and every day on which documents were added or the top
contributors changed, with the index value at full precision; the days between are the previous point's
value decayed day by day, which signals/escalation.py reconstructs with the same arithmetic as the
computation itself (so readers get exactly the values a full daily table would hold).
escalation_state holds, per pair, the last computed day and what is needed to continue from it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database


@dataclass
class PairState:
    last_day: str
    value: float  # unrounded index value on last_day
    recent: list[float]  # the last (up to) seven rounded daily values, oldest first (for change_7d)
    digest: str  # of the pair's contributions dated up to last_day
    top_key: list[Any]  # the top contributors on last_day (compared to decide the next change point)


def has_tables(db: Database) -> bool:
    return bool(
        db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'escalation_state'"
        ).fetchone()
    )


def load_states(db: Database) -> dict[tuple[str, str], PairState]:
    return {
        (imposing, target): PairState(last_day, value, json.loads(recent), digest, json.loads(top_key))
        for imposing, target, last_day, value, recent, digest, top_key in db.execute(
            "SELECT imposing, target, last_day, value, recent, digest, top_key FROM escalation_state"
        ).fetchall()
    }


def pairs(db: Database) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in db.execute("SELECT imposing, target FROM escalation_state ORDER BY 1, 2")]


def delete_pair(db: Database, imposing: str, target: str) -> None:
    db.execute("DELETE FROM escalation_points WHERE imposing = ? AND target = ?", [imposing, target])
    db.execute("DELETE FROM escalation_state WHERE imposing = ? AND target = ?", [imposing, target])


def write_points(db: Database, rows: list[tuple[str, str, str, float, float, str]]) -> None:
    """Rows of (imposing, target, day, value, added, top JSON); replaces a point on the same day."""
    db.conn.executemany(
        "INSERT OR REPLACE INTO escalation_points (imposing, target, day, value, added, top)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )


def save_state(db: Database, imposing: str, target: str, state: PairState, stamp: str) -> None:
    db.execute(
        "INSERT OR REPLACE INTO escalation_state (imposing, target, last_day, value, recent, digest, top_key,"
        " computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            imposing,
            target,
            state.last_day,
            state.value,
            json.dumps(state.recent),
            state.digest,
            json.dumps(state.top_key),
            stamp,
        ],
    )


def points(db: Database, imposing: str, target: str) -> list[tuple[str, float, float, list[dict[str, Any]]]]:
    """(day, value, added, top with base weights) of a pair's change points, in day order."""
    return [
        (day, value, added, json.loads(top))
        for day, value, added, top in db.execute(
            "SELECT day, value, added, top FROM escalation_points WHERE imposing = ? AND target = ?"
            " ORDER BY day",
            [imposing, target],
        ).fetchall()
    ]


def last_day(db: Database, imposing: str, target: str) -> str | None:
    row = db.execute(
        "SELECT last_day FROM escalation_state WHERE imposing = ? AND target = ?", [imposing, target]
    ).fetchone()
    return str(row[0]) if row else None


def peaks(db: Database) -> list[tuple[str, str, float]]:
    """The unrounded maximum per pair: the index only rises on change points, so the peak is one."""
    return [
        (r[0], r[1], float(r[2]))
        for r in db.execute(
            "SELECT imposing, target, max(value) FROM escalation_points GROUP BY imposing, target"
        ).fetchall()
    ]
