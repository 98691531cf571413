"""The measures a retaliation pass reads, and the vectorised first cut of each event's candidates.

A pass reads restrictive events by a range of event_dates with their role lists and stored public dates
(document_public, migration 19): no document row, no text. Every candidate in an event's window is then
scored at once with numpy (an approximation of score(): float timestamps, numpy's exp), which only
decides what cannot be among the KEEP best: a candidate whose approximate score is more than MARGIN below
the KEEP-th best document's (or below MIN_SCORE) is dropped, and the few left are ranked exactly by
signals/retaliation.py. MARGIN covers the rounding of scores to four places and the float differences,
so the stored links are the same as ranking every candidate exactly (tests/signals/test_retaliation_pass.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from sqlite_utils import Database

from signals.public_cache import public_by_document
from signals.sectors import sectors

SEP = "\x1f"  # group_concat separator: never in a country, commodity or technology name
MARGIN = 2e-4  # > 2 × 5e-5 (rounding to four places) + float error
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)
_POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.int64)


def _list(value: str | None) -> list[str]:
    return value.split(SEP) if value else []


def read_measures(db: Database, low: str, high: str | None) -> list[dict[str, Any]]:
    """Restrictive events whose stored date (event_dates.date, the document's) lies in [low, high], as
    dicts like db.event_scan.event_rows gives minus the document's columns, plus "date" and "cached"
    (document_public's row or None)."""
    bound = "" if high is None else " AND x.date <= ?"
    sql = f"""
        SELECT e.id, e.document_id, e.event_type, e.imposing, x.date,
            (SELECT group_concat(country, char(31)) FROM event_targets WHERE event_id = e.id),
            (SELECT group_concat(commodity, char(31)) FROM event_commodities WHERE event_id = e.id),
            (SELECT group_concat(technology, char(31)) FROM event_technologies WHERE event_id = e.id),
            p.public, p.basis, p.source
        FROM event_dates x CROSS JOIN events e ON e.id = x.event_id
            LEFT JOIN document_public p ON p.document_id = e.document_id
        WHERE x.date >= ?{bound} AND e.direction = 'restrictive'
    """
    out = []
    for row in db.execute(sql, [low] if high is None else [low, high]).fetchall():
        event_id, document_id, kind, imposing, date, targets, commodities, technologies, *cached = row
        out.append({"id": int(event_id), "document_id": str(document_id), "event_type": kind,
                    "imposing": imposing, "direction": "restrictive", "date": str(date),
                    "targets": _list(targets), "commodities": _list(commodities),
                    "technologies": _list(technologies),
                    "cached": None if cached[0] is None else (cached[0], cached[1], cached[2])})  # fmt: skip
    return out


def add_public(db: Database, measures: list[dict[str, Any]]) -> None:
    """Each measure's "public" date: its stored row, else computed (and stored; no commit here)."""
    stored = {m["document_id"]: m["cached"] for m in measures if m["cached"] is not None}
    public = public_by_document(db, [m["document_id"] for m in measures], stored)
    for measure in measures:
        measure["public"] = public[measure["document_id"]]


def micros(when: datetime) -> int:
    """Microseconds since 1970: exact, so window edges compare as datetimes do."""
    return (when - _EPOCH) // _MICRO


class _Bits:
    """Sets of names as rows of bytes, for Jaccard overlaps by popcount."""

    def __init__(self, sets: list[frozenset[str]]) -> None:
        self.index = {name: i for i, name in enumerate(sorted(set().union(*sets)))}
        width = max(1, (len(self.index) + 7) // 8)
        self.rows = np.zeros((len(sets), width), dtype=np.uint8)
        for row, names in enumerate(sets):
            for name in names:
                bit = self.index[name]
                self.rows[row, bit // 8] |= np.uint8(1 << (bit % 8))

    def jaccard(self, row: int, others: np.ndarray) -> np.ndarray:
        mine, theirs = self.rows[row], self.rows[others]
        union = _POPCOUNT[theirs | mine].sum(axis=1)
        shared = _POPCOUNT[theirs & mine].sum(axis=1)
        return np.where(union > 0, shared / np.maximum(union, 1), 0.0)


def subjects(measure: dict[str, Any]) -> frozenset[str]:
    return frozenset({f"c:{c}" for c in measure.get("commodities") or []} | {
        f"t:{t}" for t in measure.get("technologies") or []
    })  # fmt: skip


def sector_set(measure: dict[str, Any]) -> frozenset[str]:
    return frozenset(sectors(set(measure.get("commodities") or []) | set(measure.get("technologies") or [])))


class Table:
    """Measures as arrays (one row each) and, per (imposing, target), their row numbers ordered by public
    date and id: an event's candidates are one searchsorted slice per target."""

    def __init__(self, measures: Iterable[dict[str, Any]], type_term: Callable[[str, str], float]) -> None:
        self.measures = list(measures)
        rows = self.measures
        self.when = np.array([micros(m["public"].when) for m in rows], dtype=np.int64)
        self.date = np.array([m["date"] for m in rows], dtype=str)
        codes: dict[str, int] = defaultdict(lambda: len(codes))
        self.doc = np.array([codes[m["document_id"]] for m in rows], dtype=np.int64)
        self._doc_codes = codes
        kinds = sorted({m["event_type"] for m in rows})
        self._kind_code = {k: i for i, k in enumerate(kinds)}
        self.kind = np.array([self._kind_code[m["event_type"]] for m in rows], dtype=np.int64)
        self._terms = {a: np.array([type_term(a, b) for b in kinds]) for a in kinds}
        self.sectors = _Bits([sector_set(m) for m in rows])
        self.subjects = _Bits([subjects(m) for m in rows])
        pairs: dict[tuple[str, str], list[int]] = defaultdict(list)
        for row, m in enumerate(rows):
            for target in m["targets"]:
                pairs[(str(m["imposing"]), target)].append(row)
        self._pairs: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
        for key, found in pairs.items():
            order = np.array(sorted(found, key=lambda r: (int(self.when[r]), rows[r]["id"])), dtype=np.int64)
            self._pairs[key] = (order, self.when[order])

    def candidates(self, row: int, start: datetime, low: str, high: str) -> np.ndarray:
        """Rows of the measures by the event's targets against its imposing country made public in
        [start, the event's public date), of another document, stored between `low` and `high`."""
        event = self.measures[row]
        until, since = int(self.when[row]), micros(start)
        parts = []
        for target in dict.fromkeys(event["targets"]):
            order, times = self._pairs.get((str(target), str(event["imposing"])), (None, None))
            if order is not None and times is not None:
                parts.append(order[np.searchsorted(times, since) : np.searchsorted(times, until)])
        if not parts:
            return np.zeros(0, dtype=np.int64)
        found = np.concatenate(parts)
        date = self.date[found]
        return found[(self.doc[found] != self.doc[row]) & (date >= low) & (date <= high)]

    def first_cut(
        self, row: int, found: np.ndarray, weights: dict[str, float], scale: float, keep: int, floor: float
    ) -> np.ndarray:
        """The candidates that may be among the `keep` best documents (approximate scores, see MARGIN)."""
        if not found.size:
            return found
        days = np.maximum((self.when[row] - self.when[found]) / 86_400e6, 0.0)
        approx = (
            weights["time"] * np.exp(-days / scale)
            + weights["sector"] * self.sectors.jaccard(row, found)
            + weights["subject"] * self.subjects.jaccard(row, found)
            + weights["type"] * self._terms[self.measures[row]["event_type"]][self.kind[found]]
        )
        cut, seen = floor - MARGIN, set()
        for i in np.argsort(-approx, kind="stable"):
            if approx[i] < cut:
                break
            seen.add(int(self.doc[found[i]]))
            if len(seen) == keep:
                cut = max(cut, float(approx[i]) - MARGIN)
                break
        kept: np.ndarray = found[approx >= cut]
        return kept
