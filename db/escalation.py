"""Reading the escalation index stored by change points (migration 15; signals/escalation.py writes it).

A pair has a point on each day it had contributions: the value after that day's additions. On a quiet day d
    I(d) = I(p) · 0.5^((d − p)/H)   for p the latest point on or before d
(exact: the max(0, …) clamp only acts on days with negative additions, and those are points). change_7d
compares with the value 7 days earlier, and "top" ranks the positive contributions of the last 6·H days by
their decayed weight. Every reader (CLI, notices, report, the escalation_index view) derives the same series.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from datetime import date, timedelta
from math import log2
from typing import Any

from sqlite_utils import Database

HALF_LIFE_DAYS = 30.0  # also written into the escalation_index view (migration 15)
CHANGE_FLOOR = 1.0
TOP = 3
TOP_WINDOW_DAYS = int(6 * HALF_LIFE_DAYS)  # a contribution stays among the "top" this long


def decayed(value: float, days: int) -> float:
    return value * 0.5 ** (days / HALF_LIFE_DAYS)


class Points:
    """One pair's points, for the value on any day."""

    def __init__(self, rows: list[tuple[str, float, float]]) -> None:
        self.days = [date.fromisoformat(r[0]) for r in rows]
        self.values = [float(r[1]) for r in rows]
        self.added = {d: float(r[2]) for d, r in zip(self.days, rows, strict=True)}

    def value(self, day: date) -> float | None:
        """None before the first point."""
        i = bisect_right(self.days, day) - 1
        return None if i < 0 else decayed(self.values[i], (day - self.days[i]).days)


def state(db: Database, imposing: str, target: str) -> tuple[date, date] | None:
    """(first day, computed through) of a pair, None when the pair has no index."""
    row = db.execute(
        "SELECT first_day, through FROM escalation_state WHERE imposing = ? AND target = ?",
        [imposing, target],
    ).fetchone()
    return (date.fromisoformat(row[0]), date.fromisoformat(row[1])) if row else None


def points(db: Database, imposing: str, target: str, until: date) -> Points:
    return Points(
        db.execute(
            "SELECT day, value, added FROM escalation_points WHERE imposing = ? AND target = ? AND day <= ?"
            " ORDER BY day",
            [imposing, target, until.isoformat()],
        ).fetchall()
    )


def _contributions(db: Database, imposing: str, target: str, low: date, high: date) -> list[dict[str, Any]]:
    return list(
        db.query(
            "SELECT c.day, c.document_id, c.weight, coalesce(d.title, '') AS title, coalesce(d.url, '') AS url"
            " FROM escalation_contributions c LEFT JOIN documents d ON d.id = c.document_id"
            " WHERE c.imposing = ? AND c.target = ? AND c.day >= ? AND c.day <= ? AND c.weight > 0"
            " ORDER BY c.day, c.document_id",
            [imposing, target, low.isoformat(), high.isoformat()],
        )
    )


def _top_row(c: dict[str, Any], day: date) -> dict[str, Any]:
    return {
        "document_id": c["document_id"],
        "title": c["title"][:200],
        "url": c["url"],
        "since": c["day"],
        "weight": round(decayed(c["weight"], (day - c["since"]).days), 3),
    }


def stored_series(
    db: Database,
    imposing: str,
    target: str,
    *,
    since: str | None = None,
    until: str | None = None,
    top: bool = True,
) -> list[dict[str, Any]]:
    """One row per day (day, value, added, change_7d, top) from the pair's first point, or `since`, to the
    day it was computed through, or `until`."""
    bounds = state(db, imposing, target)
    if bounds is None:
        return []
    first, through = bounds
    low = max(first, date.fromisoformat(since[:10])) if since else first
    high = min(through, date.fromisoformat(until[:10])) if until else through
    if low > high:
        return []
    pts = points(db, imposing, target, high)
    contribs = (
        _contributions(db, imposing, target, low - timedelta(days=TOP_WINDOW_DAYS), high) if top else []
    )
    for c in contribs:
        c["since"] = date.fromisoformat(c["day"])
    # Decay is the same for every live contribution, so their ranking never changes: keep them sorted by
    # log2(weight) + days since `low` / H (larger = larger decayed weight), the day's order breaking ties.
    live: list[tuple[float, int, dict[str, Any]]] = []
    enter, leave = 0, 0
    rows: list[dict[str, Any]] = []
    day = low
    while day <= high:
        value = pts.value(day) or 0.0
        week = day - timedelta(days=7)
        week_ago = round(pts.value(week) or 0.0, 4) if week >= first else 0.0
        row: dict[str, Any] = {
            "day": day.isoformat(),
            "value": round(value, 4),
            "added": round(pts.added.get(day, 0.0), 4),
            "change_7d": round(100.0 * (value - week_ago) / max(week_ago, CHANGE_FLOOR), 2),
        }
        if top:
            while leave < enter and (day - contribs[leave]["since"]).days > TOP_WINDOW_DAYS:
                live.remove(contribs[leave]["rank"])
                leave += 1
            while enter < len(contribs) and contribs[enter]["since"] <= day:
                c = contribs[enter]
                c["rank"] = (-(log2(c["weight"]) + (c["since"] - low).days / HALF_LIFE_DAYS), enter, c)
                insort(live, c["rank"])
                enter += 1
            row["top"] = [_top_row(c, day) for _key, _seq, c in live[:TOP]]
        rows.append(row)
        day += timedelta(days=1)
    return rows


def top_pairs(db: Database, limit: int = 5, *, since: str | None = None) -> list[tuple[str, str, float]]:
    """Pairs with the highest peak index (on days from `since`): peaks are points, or the value on `since`."""
    peaks: dict[tuple[str, str], float] = {}
    low = (since or "0000")[:10]
    for imposing, target, peak in db.execute(
        "SELECT p.imposing, p.target, max(p.value) FROM escalation_points p JOIN escalation_state s"
        " ON s.imposing = p.imposing AND s.target = p.target WHERE p.day >= ? AND p.day <= s.through"
        " GROUP BY p.imposing, p.target",
        [low],
    ):
        peaks[(imposing, target)] = round(float(peak), 4)
    if since:  # a pair quiet since then peaks on `since` itself, decayed from its last earlier point
        day = date.fromisoformat(low)
        for imposing, target, point_day, value in db.execute(
            "SELECT s.imposing, s.target, p.day, p.value FROM escalation_state s"
            " JOIN escalation_points p ON p.imposing = s.imposing AND p.target = s.target AND p.day = ("
            "   SELECT max(q.day) FROM escalation_points q"
            "   WHERE q.imposing = s.imposing AND q.target = s.target AND q.day < ?)"
            " WHERE s.through >= ?",
            [low, low],
        ):
            at = round(decayed(float(value), (day - date.fromisoformat(point_day)).days), 4)
            peaks[(imposing, target)] = max(peaks.get((imposing, target), at), at)
    ranked = sorted(peaks.items(), key=lambda item: (-item[1], item[0]))
    return [(imposing, target, peak) for (imposing, target), peak in ranked[:limit]]
