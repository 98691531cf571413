"""The escalation index per ordered country pair A → B: decaying weighted counts of A's measures against B.

For each document with an event imposed by A and naming B among its targets, its weight is
    w = type weight × stage weight × confidence × (1 for restrictive, −0.5 for liberalizing)
taking the largest type weight when a document has several event types (a ruling that is investigation +
tariff counts once, as a tariff). The stage weight is the case step when the document belongs to a case
(signals/cases.py), else the tagger's stage. The index on day d (the publisher's local date) is
    I(d) = max(0, I(d−1) · 0.5^(1/H) + Σ w of day d's documents),   H = 30-day half-life,
and change_7d = 100 · (I(d) − I(d−7)) / max(I(d−7), 1). See docs/signals.md for the limits.

Stored by change points (migration 15): a point per pair and day with contributions, and a state row per
pair; a quiet day's value is I(point) · 0.5^((d − point)/H) (db/escalation.py derives the series, for every
reader). The daily pass is incremental (signals/escalation_pass.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlite_utils import Database

from db.escalation import HALF_LIFE_DAYS, stored_series, top_pairs
from db.taxonomy import TAXONOMY

__all__ = [
    "HALF_LIFE_DAYS",
    "Contribution",
    "contributions",
    "parse_pair",
    "stored_series",
    "top_pairs",
    "weight",
]

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

Pair = tuple[str, str]


@dataclass(frozen=True)
class Contribution:
    document_id: str
    day: date
    weight: float


# Events with the imposing country's targets and the case step, without the document text.
COLUMNS = """e.id, e.document_id, e.event_type, e.direction, e.stage, e.confidence, e.imposing, t.country, cd.stage"""
ROLES = """JOIN event_targets t ON t.event_id = e.id
LEFT JOIN case_documents cd ON cd.document_id = e.document_id"""
# By date: one range of event_dates (migration 10), which holds each event's document date.
BY_DATE = f"""
SELECT substr(x.date, 1, 10), {COLUMNS}
FROM event_dates x CROSS JOIN events e ON e.id = x.event_id {ROLES}
WHERE x.date >= ? AND x.date < ? AND x.imposing IS NOT NULL AND e.imposing IS NOT NULL AND t.country != e.imposing
"""
# By document (a JSON array of ids): the documents changed since the last pass.
BY_DOCUMENT = f"""
SELECT substr(coalesce(d.published, d.fetched), 1, 10), {COLUMNS}
FROM json_each(?) j CROSS JOIN documents d ON d.id = j.value JOIN events e ON e.document_id = d.id {ROLES}
WHERE e.imposing IS NOT NULL AND t.country != e.imposing
"""

_days: dict[str, date | None] = {}


def _day(value: str | None) -> date | None:
    text = (value or "")[:10]
    if text not in _days:
        try:
            _days[text] = date.fromisoformat(text)
        except ValueError:
            _days[text] = None
    return _days[text]


def weight(
    event_type: str, direction: str | None, stage: str | None, confidence: Any, case_stage: str | None
) -> float:
    if case_stage is not None:
        stage_w = CASE_STAGE_WEIGHTS.get(case_stage, 1.0)
    else:
        stage_w = STAGE_WEIGHTS.get(stage or "", 1.0)
    sign = LIBERALIZING if direction == "liberalizing" else 1.0
    return TYPE_WEIGHTS.get(event_type, 1.0) * stage_w * float(confidence or 0) * sign


def contributions(db: Database, low: date, high: date) -> dict[Pair, list[Contribution]]:
    """Weighted documents per ordered pair (imposing, target) dated in [low, high], in (day, document) order."""
    stop = date.fromordinal(high.toordinal() + 1).isoformat()
    return _collect(db.execute(BY_DATE, [low.isoformat(), stop]))


def document_contributions(db: Database, document_ids: list[str]) -> dict[Pair, list[Contribution]]:
    """The same for the given documents, whatever their dates."""
    return _collect(db.execute(BY_DOCUMENT, [json.dumps(document_ids)]))


def _collect(rows: Iterable[tuple[Any, ...]]) -> dict[Pair, list[Contribution]]:
    # per (pair, document): the largest |weight|, the lowest event id on ties (main read events in id order)
    best: dict[tuple[str, str, str], tuple[float, int, date]] = {}
    for day_text, event_id, doc, etype, direction, stage, conf, imposing, target, case_stage in rows:
        day = _day(day_text)
        if day is None:
            continue
        w = weight(etype, direction, stage, conf, case_stage)
        key = (imposing, target, doc)
        held = best.get(key)
        if held is None or abs(w) > abs(held[0]) or (abs(w) == abs(held[0]) and event_id < held[1]):
            best[key] = (w, event_id, day)
    pairs: dict[Pair, list[Contribution]] = {}
    for (imposing, target, doc), (w, _event_id, day) in best.items():
        pairs.setdefault((imposing, target), []).append(Contribution(doc, day, w))
    return {pair: in_order(items) for pair, items in pairs.items()}


def in_order(items: Iterable[Contribution]) -> list[Contribution]:
    """(day, document) order: a day's sum is then the same float however the contributions were read."""
    return sorted(items, key=lambda c: (c.day, c.document_id))


def parse_pair(text: str) -> tuple[str, str]:
    """'CN-US', 'CN→US' or 'CN>US' → ('CN', 'US')."""
    for sep in ("→", "->", ">", "-", ":"):
        if sep in text:
            left, right = (part.strip().upper() for part in text.split(sep, 1))
            if left and right:
                return left, right
    raise ValueError(f"pair must look like CN-US (imposing-target), got {text!r}")
