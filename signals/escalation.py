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

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from db.store import event_views
from db.taxonomy import TAXONOMY

HALF_LIFE_DAYS = 30.0
TYPE_WEIGHTS = {t.name: t.escalation_weight for t in TAXONOMY}
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
    for event in event_views(db, "e.imposing IS NOT NULL"):
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


def series(items: list[Contribution], until: date) -> list[dict[str, Any]]:
    """One row per day from the pair's first document to `until`."""
    if not items:
        return []
    decay = 0.5 ** (1.0 / HALF_LIFE_DAYS)
    by_day: dict[date, list[Contribution]] = defaultdict(list)
    for item in items:
        by_day[item.day].append(item)
    rows: list[dict[str, Any]] = []
    value, day = 0.0, min(by_day)
    live: list[Contribution] = []
    while day <= until:
        todays = by_day.get(day, [])
        added = sum(c.weight for c in todays)
        value = max(0.0, value * decay + added)
        live = [c for c in live if (day - c.day).days <= 6 * HALF_LIFE_DAYS] + todays
        now = sorted(
            ((c.weight * 0.5 ** ((day - c.day).days / HALF_LIFE_DAYS), c) for c in live),
            key=lambda pair: -pair[0],
        )
        week_ago = rows[-7]["value"] if len(rows) >= 7 else 0.0
        rows.append(
            {
                "day": day.isoformat(),
                "value": round(value, 4),
                "added": round(added, 4),
                "change_7d": round(100.0 * (value - week_ago) / max(week_ago, CHANGE_FLOOR), 2),
                "top": [
                    {
                        "document_id": c.document_id,
                        "title": c.title[:200],
                        "url": c.url,
                        "since": c.day.isoformat(),
                        "weight": round(w, 3),
                    }
                    for w, c in now[:TOP]
                    if w > 0
                ],
            }
        )
        day += timedelta(days=1)
    return rows


def compute_index(db: Database, *, until: date | None = None) -> int:
    """Recompute and store every pair's series up to `until` (default today, UTC); returns rows written."""
    until = until or datetime.now(UTC).date()
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    written = 0
    pairs = contributions(db)
    with db.conn:  # derived data: replaced as a whole, so readers never see half a recompute
        db.execute("DELETE FROM escalation_index")
        for (imposing, target), items in sorted(pairs.items()):
            rows = series(items, until)
            db.conn.executemany(
                "INSERT INTO escalation_index (imposing, target, day, value, added, change_7d, top, computed_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        imposing,
                        target,
                        r["day"],
                        r["value"],
                        r["added"],
                        r["change_7d"],
                        json.dumps(r["top"]),
                        stamp,
                    )
                    for r in rows
                ],
            )
            written += len(rows)
    return written


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
    rows = list(
        db.query(
            "SELECT day, value, added, change_7d, top FROM escalation_index WHERE imposing = ? AND target = ?"
            " AND day >= ? AND day <= ? ORDER BY day",
            [imposing, target, since or "0000", until or "9999"],
        )
    )
    for row in rows:
        row["top"] = json.loads(row["top"])
    return rows


def top_pairs(db: Database, limit: int = 5) -> list[tuple[str, str, float]]:
    """Pairs with the highest peak index (what the report charts)."""
    return [
        (r[0], r[1], float(r[2]))
        for r in db.execute(
            "SELECT imposing, target, max(value) AS peak FROM escalation_index GROUP BY imposing, target"
            " ORDER BY peak DESC, imposing, target LIMIT ?",
            [limit],
        ).fetchall()
    ]
