"""The daily escalation pass, incremental: each pair is extended from the day it was computed through.

What changed since the previous pass (whose start is every state row's computed_at; LOOKBACK before it):
- days after `through`: read from event_dates for every pair, whatever their documents' tagged_at
  (future-dated documents count once their day is reached);
- documents tagged since (new or re-tagged, including late arrivals: tagged now, dated before `through`)
  and documents linked to a case since (their stage weight changed): each pair they count for now, and
  each pair they counted for before (escalation_contributions), is recomputed from the earliest such day,
  starting from its last point before that day, with its stored contributions of the other documents;
- deleted documents: the trigger of migration 15 drops their contributions and queues (pair, day) in
  escalation_stale.
So a late document costs its pair's stored contributions since its date, not a read of all events.
`full=True`, a store never computed, or `until` before `through` recompute everything from event_dates.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from sqlite_utils import Database

from db.escalation import HALF_LIFE_DAYS
from signals.escalation import Contribution, Pair, contributions, document_contributions, in_order

# A tagger takes its tagged_at before waiting for the write lock (up to db.store.BUSY_TIMEOUT_MS, 30 s):
# it may commit, with a time before this pass's start, after this pass. The next pass looks back this far
# (documents seen twice are only recomputed twice).
LOOKBACK = timedelta(minutes=2)
CHANGED = """
SELECT id FROM documents WHERE tagged_at >= :since
UNION SELECT document_id FROM case_documents WHERE added_at >= :since
"""


def _stored(db: Database, pair: Pair, low: date, high: date, skip: set[str]) -> list[Contribution]:
    return [
        Contribution(doc, date.fromisoformat(day), float(w))
        for day, doc, w in db.execute(
            "SELECT day, document_id, weight FROM escalation_contributions WHERE imposing = ? AND target = ?"
            " AND day >= ? AND day <= ?",
            [*pair, low.isoformat(), high.isoformat()],
        )
        if doc not in skip
    ]


def _recompute(
    db: Database, pair: Pair, begin: date, items: list[Contribution], until: date, stamp: str
) -> int:
    """Replace the pair's points and contributions from `begin` on; returns points written."""
    key = [pair[0], pair[1], begin.isoformat()]
    for table in ("escalation_points", "escalation_contributions"):
        db.execute(f"DELETE FROM {table} WHERE imposing = ? AND target = ? AND day >= ?", key)
    base = db.execute(
        "SELECT day, value FROM escalation_points WHERE imposing = ? AND target = ? AND day < ?"
        " ORDER BY day DESC LIMIT 1",
        key,
    ).fetchone()
    last, value = (date.fromisoformat(base[0]), float(base[1])) if base else (None, 0.0)
    by_day: dict[date, float] = {}
    for item in items:  # in (day, document) order
        by_day[item.day] = by_day.get(item.day, 0.0) + item.weight
    rows = []
    for day, added in by_day.items():
        if last is not None:
            value *= 0.5 ** ((day - last).days / HALF_LIFE_DAYS)
        value, last = max(0.0, value + added), day
        rows.append((pair[0], pair[1], day.isoformat(), value, added))
    db.conn.executemany(
        "INSERT INTO escalation_points (imposing, target, day, value, added) VALUES (?, ?, ?, ?, ?)", rows
    )
    db.conn.executemany(
        "INSERT INTO escalation_contributions (imposing, target, day, document_id, weight) VALUES (?, ?, ?, ?, ?)",
        [(pair[0], pair[1], c.day.isoformat(), c.document_id, c.weight) for c in items],
    )
    ends = db.execute(
        "SELECT min(day), max(day) FROM escalation_points WHERE imposing = ? AND target = ?", list(pair)
    ).fetchone()
    if ends[0] is None:
        db.execute("DELETE FROM escalation_state WHERE imposing = ? AND target = ?", list(pair))
        return 0
    last_value = db.execute(
        "SELECT value FROM escalation_points WHERE imposing = ? AND target = ? AND day = ?", [*pair, ends[1]]
    ).fetchone()[0]
    db.execute(
        "INSERT OR REPLACE INTO escalation_state (imposing, target, first_day, last_day, last_value, through,"
        " computed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [*pair, ends[0], ends[1], last_value, until.isoformat(), stamp],
    )
    return len(rows)


def _full(db: Database, until: date, stamp: str) -> int:
    for table in ("escalation_points", "escalation_contributions", "escalation_state", "escalation_stale"):
        db.execute(f"DELETE FROM {table}")
    found = contributions(db, date.min, until)
    return sum(_recompute(db, pair, date.min, items, until, stamp) for pair, items in sorted(found.items()))


def _incremental(db: Database, through: date, since: str, until: date, stamp: str) -> int:
    changed = {r[0] for r in db.execute(CHANGED, {"since": since})}
    now = document_contributions(db, sorted(changed)) if changed else {}
    starts: dict[Pair, date] = {}  # pairs whose days up to `through` changed, from the earliest such day
    touched = [(pair, c.day) for pair, items in now.items() for c in items]
    if changed:
        touched += [
            ((r[0], r[1]), date.fromisoformat(r[2]))
            for r in db.execute(
                "SELECT imposing, target, day FROM escalation_contributions WHERE document_id IN"
                " (SELECT value FROM json_each(?))",
                [json_list(changed)],
            )
        ]
    touched += [
        ((r[0], r[1]), date.fromisoformat(r[2])) for r in db.execute("SELECT * FROM escalation_stale")
    ]
    for pair, day in touched:
        if day <= through:
            starts[pair] = min(starts.get(pair, day), day)
    ahead = through + timedelta(days=1)
    forward = contributions(db, ahead, until) if ahead <= until else {}
    written = 0
    for pair in sorted(set(starts) | set(forward)):
        begin = starts.get(pair, ahead)
        items = forward.get(pair, [])
        if pair in starts:  # the unchanged documents as stored, the changed ones as they are now
            kept = _stored(db, pair, begin, through, changed)
            items = in_order(kept + [c for c in now.get(pair, []) if begin <= c.day <= through] + items)
        written += _recompute(db, pair, begin, items, until, stamp)
    return written


def json_list(values: set[str]) -> str:
    return json.dumps(sorted(values))


def compute_index(db: Database, *, until: date | None = None, full: bool = False) -> int:
    """Bring every pair's index up to `until` (default today, UTC); returns the points written."""
    until = until or datetime.now(UTC).date()
    with db.conn:  # one transaction: readers see the previous pass or this one, never half of it
        stamp = datetime.now(UTC).isoformat(timespec="seconds")  # under the write lock; tagged_at's format
        rows = db.execute("SELECT DISTINCT through, min(computed_at) FROM escalation_state GROUP BY through")
        state = rows.fetchall()
        if full or len(state) != 1 or date.fromisoformat(state[0][0]) > until:
            written = _full(db, until, stamp)
        else:
            since = (datetime.fromisoformat(state[0][1]) - LOOKBACK).isoformat(timespec="seconds")
            written = _incremental(db, date.fromisoformat(state[0][0]), since, until, stamp)
        db.execute("UPDATE escalation_state SET through = ?, computed_at = ?", [until.isoformat(), stamp])
        db.execute("DELETE FROM escalation_stale")
    return written
