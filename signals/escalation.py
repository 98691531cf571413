"""The escalation index per ordered country pair A → B: decaying weighted counts of A's measures against B.

For each document with an event imposed by A and naming B among its targets, its weight is
    w = type weight × stage weight × confidence × (1 for restrictive, −0.5 for liberalizing)
taking the largest type weight when a document has several event types (a ruling that is investigation +
tariff counts once, as a tariff). The stage weight is the case step when the document belongs to a case
(signals/cases.py), else the tagger's stage. The index on day d (the publisher's local date) is
    I(d) = max(0, I(d−1) · 0.5^(1/H) + Σ w of day d's documents),   H = 30-day half-life,
and change_7d = 100 · (I(d) − I(d−7)) / max(I(d−7), 1). See docs/signals.md for the limits.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from db import escalation_store
from db.event_scan import event_rows

HALF_LIFE_DAYS = 30.0
TYPE_WEIGHTS = {
    "export_control": 3.0,
    "entity_listing": 2.0,
    "investment_restriction": 2.0,
    "market_access": 2.0,
    "tariff": 2.0,
    "investigation": 1.0,
}
STAGE_WEIGHTS = {"proposed": 0.5, "announced": 1.0, "in_force": 1.0, "lifted": -1.0}
CASE_STAGE_WEIGHTS = {
    "application": 0.5,
    "initiation": 1.0,
    "preliminary": 1.5,
    "final": 2.0,
    "review": 1.0,
    "expiry": 0.5,
    "lifted": -1.0,
}
LIBERALIZING = -0.5
CHANGE_FLOOR = 1.0
TOP = 3


@dataclass(frozen=True)
class Contribution:
    document_id: str
    day: date
    weight: float
    title: str
    url: str


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def contributions(db: Database) -> dict[tuple[str, str], list[Contribution]]:
    """Weighted documents per ordered pair (imposing, target)."""
    case_stage = dict(db.execute("SELECT document_id, stage FROM case_documents").fetchall())
    best: dict[tuple[str, str, str], Contribution] = {}
    for event in event_rows(db, "e.imposing IS NOT NULL"):
        day = _day(event.get("published") or event.get("fetched"))
        if day is None:
            continue
        doc = event["document_id"]
        if doc in case_stage:
            stage_w = CASE_STAGE_WEIGHTS.get(case_stage[doc], 1.0)
        else:
            stage_w = STAGE_WEIGHTS.get(event.get("stage") or "", 1.0)
        sign = LIBERALIZING if event.get("direction") == "liberalizing" else 1.0
        weight = TYPE_WEIGHTS.get(event["event_type"], 1.0) * stage_w * float(event["confidence"] or 0) * sign
        for target in event["targets"]:
            if target == event["imposing"]:
                continue
            key = (event["imposing"], target, doc)
            if key not in best or abs(weight) > abs(best[key].weight):
                best[key] = Contribution(
                    doc, day, weight, str(event.get("title") or ""), str(event.get("url") or "")
                )
    pairs: dict[tuple[str, str], list[Contribution]] = defaultdict(list)
    for (imposing, target, _doc), item in best.items():
        pairs[(imposing, target)].append(item)
    return dict(pairs)


def _top_entry(c: Contribution, day: date) -> dict[str, Any]:
    return {
        "document_id": c.document_id,
        "title": c.title[:200],
        "url": c.url,
        "since": c.day.isoformat(),
        "weight": round(c.weight * 0.5 ** ((day - c.day).days / HALF_LIFE_DAYS), 3),
    }


def _walk(
    by_day: dict[date, list[Contribution]],
    day: date,
    until: date,
    value: float,
    recent: list[float],
    live: list[Contribution],
) -> Iterator[tuple[dict[str, Any], float, list[Contribution]]]:
    """Daily rows from `day` to `until`, continuing from the state of the day before (`value`, the last
    seven rounded values `recent`, the live contributions). Yields (row, unrounded value, top)."""
    decay = 0.5 ** (1.0 / HALF_LIFE_DAYS)
    recent = list(recent)
    while day <= until:
        todays = by_day.get(day, [])
        added = sum(c.weight for c in todays)
        value = max(0.0, value * decay + added)
        live = [c for c in live if (day - c.day).days <= 6 * HALF_LIFE_DAYS] + todays
        now = sorted(
            ((c.weight * 0.5 ** ((day - c.day).days / HALF_LIFE_DAYS), c) for c in live),
            key=lambda pair: -pair[0],
        )
        week_ago = recent[-7] if len(recent) >= 7 else 0.0
        top = [c for w, c in now[:TOP] if w > 0]
        rounded = round(value, 4)
        row: dict[str, Any] = {
            "day": day.isoformat(),
            "value": rounded,
            "added": round(added, 4),
            "change_7d": round(100.0 * (value - week_ago) / max(week_ago, CHANGE_FLOOR), 2),
            "top": [_top_entry(c, day) for c in top],
        }
        recent = [*recent[-6:], rounded]
        yield row, value, top
        day += timedelta(days=1)


def _by_day(items: list[Contribution]) -> dict[date, list[Contribution]]:
    by_day: dict[date, list[Contribution]] = defaultdict(list)
    for item in items:
        by_day[item.day].append(item)
    return by_day


def series(items: list[Contribution], until: date) -> list[dict[str, Any]]:
    """One row per day from the pair's first document to `until` (the from-scratch computation)."""
    if not items:
        return []
    by_day = _by_day(items)
    return [row for row, _value, _top in _walk(by_day, min(by_day), until, 0.0, [], [])]


def _key(top: list[Contribution]) -> list[Any]:
    return [[c.document_id, c.day.isoformat(), c.weight, c.title[:200], c.url] for c in top]


def _digest(items: list[Contribution], last: date) -> str:
    """Fingerprint of a pair's contributions up to `last`, in order (order breaks ties in the top list)."""
    text = json.dumps(
        [[c.document_id, c.day.isoformat(), c.weight, c.title, c.url] for c in items if c.day <= last]
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _update_pair(
    db: Database, imposing: str, target: str, items: list[Contribution], until: date, state: Any
) -> int:
    """Extend the pair from its last computed day when its history is unchanged, else recompute it;
    store change points only. Returns the points written."""
    by_day = _by_day(items)
    first = min(by_day)
    if first > until:
        escalation_store.delete_pair(db, imposing, target)
        return 0
    resume = (
        state is not None
        and state.last_day <= until.isoformat()
        and state.digest == _digest(items, date.fromisoformat(state.last_day))
    )
    if resume:
        last = date.fromisoformat(state.last_day)
        if last == until:
            return 0
        day, value, recent, prev = last + timedelta(days=1), state.value, state.recent, state.top_key
        live = [
            c
            for d in sorted(by_day)
            if d <= last and (last - d).days <= 6 * HALF_LIFE_DAYS
            for c in by_day[d]
        ]
    else:
        escalation_store.delete_pair(db, imposing, target)
        day, value, recent, prev, live = first, 0.0, [], None, []
    rows: list[tuple[str, str, str, float, float, str]] = []
    for row, exact, top in _walk(by_day, day, until, value, recent, live):
        key = _key(top)
        current = date.fromisoformat(row["day"])
        if prev is None or current in by_day or key != prev:
            tops = [{**_top_entry(c, c.day), "weight": c.weight} for c in top]  # undecayed weights
            rows.append((imposing, target, row["day"], exact, row["added"], json.dumps(tops)))
        prev, value = key, exact
        recent = [*recent[-6:], row["value"]]
    escalation_store.write_points(db, rows)
    state = escalation_store.PairState(until.isoformat(), value, recent, _digest(items, until), prev or [])
    escalation_store.save_state(db, imposing, target, state, datetime.now(UTC).isoformat(timespec="seconds"))
    return len(rows)


def compute_index(db: Database, *, until: date | None = None) -> int:
    """Bring every pair's index up to `until` (default today, UTC); returns change points written.

    A pair whose contributions up to its last computed day are unchanged continues from that day; one
    whose history changed (a late or re-tagged document) is recomputed. Stored as change points
    (db/escalation_store.py); stored_series reconstructs every day."""
    until = until or datetime.now(UTC).date()
    written = 0
    pairs = contributions(db)
    with db.conn:  # one transaction, so readers never see half an update
        states = escalation_store.load_states(db)
        for gone in set(states) - set(pairs):
            escalation_store.delete_pair(db, *gone)
        for (imposing, target), items in sorted(pairs.items()):
            written += _update_pair(db, imposing, target, items, until, states.get((imposing, target)))
    return written


def _expand(db: Database, imposing: str, target: str) -> list[dict[str, Any]]:
    """Every day's row of a pair from its change points, with the arithmetic of _walk."""
    last = escalation_store.last_day(db, imposing, target)
    marks = escalation_store.points(db, imposing, target)
    if last is None or not marks:
        return []
    decay = 0.5 ** (1.0 / HALF_LIFE_DAYS)
    by_day = {p[0]: p for p in marks}
    day, end = date.fromisoformat(marks[0][0]), date.fromisoformat(last)
    rows: list[dict[str, Any]] = []
    value, top = 0.0, list[dict[str, Any]]()
    while day <= end:
        iso = day.isoformat()
        point = by_day.get(iso)
        if point is not None:
            _day, value, added, top = point
        else:
            value, added = max(0.0, value * decay + 0), 0.0
        week_ago = rows[-7]["value"] if len(rows) >= 7 else 0.0
        rows.append(
            {
                "day": iso,
                "value": round(value, 4),
                "added": added,
                "change_7d": round(100.0 * (value - week_ago) / max(week_ago, CHANGE_FLOOR), 2),
                "top": [
                    {
                        **t,
                        "weight": round(
                            t["weight"]
                            * 0.5 ** ((day - date.fromisoformat(t["since"])).days / HALF_LIFE_DAYS),
                            3,
                        ),
                    }
                    for t in top
                ],
            }
        )
        day += timedelta(days=1)
    return rows


def parse_pair(text: str) -> tuple[str, str]:
    """'CN-US', 'CN→US' or 'CN>US' → ('CN', 'US')."""
    for sep in ("→", "->", ">", "-", ":"):
        if sep in text:
            left, right = (part.strip().upper() for part in text.split(sep, 1))
            if left and right:
                return left, right
    raise ValueError(f"pair must look like CN-US (imposing-target), got {text!r}")


def stored_series(
    db: Database, imposing: str, target: str, *, since: str | None = None, until: str | None = None
) -> list[dict[str, Any]]:
    if not escalation_store.has_tables(db):
        return []
    low, high = since or "0000", until or "9999"
    return [r for r in _expand(db, imposing, target) if low <= r["day"] <= high]


def top_pairs(db: Database, limit: int = 5) -> list[tuple[str, str, float]]:
    """Pairs with the highest peak index (what the report charts)."""
    if not escalation_store.has_tables(db):
        return []
    peaks = [(imposing, target, round(peak, 4)) for imposing, target, peak in escalation_store.peaks(db)]
    return sorted(peaks, key=lambda p: (-p[2], p[0], p[1]))[:limit]
