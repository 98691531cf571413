"""The escalation index as main computed it before change points (a row per pair per day, from scratch,
through db.store.event_views): the test oracle for the stored points and the incremental pass."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlite_utils import Database

from db.store import event_views
from signals.escalation import CASE_STAGE_WEIGHTS, LIBERALIZING, STAGE_WEIGHTS, TYPE_WEIGHTS

HALF_LIFE_DAYS = 30.0
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


def daily_index(db: Database, until: date) -> dict[tuple[str, str], list[dict[str, Any]]]:
    return {pair: rows for pair, items in contributions(db).items() if (rows := series(items, until))}
