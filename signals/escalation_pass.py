"""The daily escalation pass, incremental: each pair is extended from the day it was computed through.

What changed since the previous pass (its start time is every state row's computed_at):
- days after `through`: read for every pair, whatever their documents' tagged_at (future-dated documents
  are counted once their day is reached);
- documents tagged since (new or re-tagged, also when the tagger set an earlier published date: a late
  arrival) and documents linked to a case since (their stage weight changed): each pair they count for
  now, and each pair they counted for before (escalation_contributions), is recomputed from the earliest
  such day that is not after `through`, starting from its last point before that day;
- deleted documents: the escalation_documents_ad trigger queues their pairs and days in escalation_stale.
A pass with `until` before a pair's `through`, or `full=True`, or a store never computed, recomputes all.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from sqlite_utils import Database

from db.escalation import HALF_LIFE_DAYS
from signals.escalation import Contribution, Pair, _day, contributions

CHANGED = """
WITH changed(id) AS (
    SELECT id FROM documents WHERE tagged_at >= :since
    UNION SELECT document_id FROM case_documents WHERE added_at >= :since
)
SELECT e.imposing, t.country, substr(coalesce(d.published, d.fetched), 1, 10)
FROM changed c JOIN documents d ON d.id = c.id JOIN events e ON e.document_id = d.id
JOIN event_targets t ON t.event_id = e.id
WHERE e.imposing IS NOT NULL AND t.country != e.imposing
UNION
SELECT x.imposing, x.target, x.day FROM changed c JOIN escalation_contributions x ON x.document_id = c.id
UNION
SELECT imposing, target, day FROM escalation_stale
"""


def _touched(db: Database, since: str) -> Iterable[tuple[Pair, date]]:
    for imposing, target, text in db.execute(CHANGED, {"since": since}):
        day = _day(text)
        if day is not None:
            yield (imposing, target), day


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
    for item in items:
        by_day[item.day] = by_day.get(item.day, 0.0) + item.weight
    rows = []
    for day, added in by_day.items():  # items come in day order
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


def compute_index(db: Database, *, until: date | None = None, full: bool = False) -> int:
    """Bring every pair's index up to `until` (default today, UTC); returns the points written."""
    until = until or datetime.now(UTC).date()
    stamp = datetime.now(UTC).isoformat(timespec="seconds")  # tagged_at and added_at use this format
    written = 0
    with db.conn:  # one transaction: readers see the previous pass or this one, never half of it
        state = {
            (r[0], r[1]): (date.fromisoformat(r[2]), r[3])
            for r in db.execute("SELECT imposing, target, through, computed_at FROM escalation_state")
        }
        if full or not state or max(t for t, _ in state.values()) > until:
            for table in (
                "escalation_points",
                "escalation_contributions",
                "escalation_state",
                "escalation_stale",
            ):
                db.execute(f"DELETE FROM {table}")
            state, starts, default = {}, {}, date.min
        else:
            default = min(t for t, _ in state.values()) + timedelta(days=1)
            starts: dict[Pair, date] = {}
            for pair, day in _touched(db, min(c for _, c in state.values())):
                if day < (state[pair][0] + timedelta(days=1) if pair in state else default):
                    starts[pair] = min(starts.get(pair, day), day)
        low = min([default, *starts.values()])
        found = contributions(db, low, until) if low <= until else {}
        for pair in sorted(set(starts) | set(found)):
            begin = starts.get(pair) or (state[pair][0] + timedelta(days=1) if pair in state else default)
            items = [c for c in found.get(pair, []) if c.day >= begin]
            if items or pair in starts:
                written += _recompute(db, pair, begin, items, until, stamp)
        db.execute("UPDATE escalation_state SET through = ?, computed_at = ?", [until.isoformat(), stamp])
        db.execute("DELETE FROM escalation_stale")
    return written
