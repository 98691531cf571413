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

import hashlib
from bisect import bisect_left
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
_MOD = 2**64
_MICRO = timedelta(microseconds=1)
_POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.int64)


def _list(value: str | None) -> list[str]:
    return value.split(SEP) if value else []


_COLUMNS = """
        SELECT e.id, e.document_id, e.event_type, e.imposing, {date},
            (SELECT group_concat(country, char(31)) FROM event_targets WHERE event_id = e.id),
            (SELECT group_concat(commodity, char(31)) FROM event_commodities WHERE event_id = e.id),
            (SELECT group_concat(technology, char(31)) FROM event_technologies WHERE event_id = e.id),
            p.public, p.basis, p.source
"""


def _measures(db: Database, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    out = []
    for row in db.execute(sql, params).fetchall():
        event_id, document_id, kind, imposing, date, targets, commodities, technologies, *cached = row
        out.append({"id": int(event_id), "document_id": str(document_id), "event_type": kind,
                    "imposing": imposing, "direction": "restrictive", "date": str(date),
                    "targets": _list(targets), "commodities": _list(commodities),
                    "technologies": _list(technologies),
                    "cached": None if cached[0] is None else (cached[0], cached[1], cached[2])})  # fmt: skip
    return out


def read_measures(
    db: Database, low: str, high: str | None, imposing: str | None = None
) -> list[dict[str, Any]]:
    """Restrictive events whose stored date (event_dates.date, the document's) lies in [low, high] (and, with
    `imposing`, imposed by that country: one range of idx_event_dates_imposing), as dicts like
    db.event_scan.event_rows gives minus the document's columns, plus "date" and "cached" (document_public's
    row or None)."""
    bound = "" if high is None else " AND x.date <= ?"
    country = "" if imposing is None else "x.imposing = ? AND "
    sql = (
        _COLUMNS.format(date="x.date")
        + f"""
        FROM event_dates x CROSS JOIN events e ON e.id = x.event_id
            LEFT JOIN document_public p ON p.document_id = e.document_id
        WHERE {country}x.date >= ?{bound} AND e.direction = 'restrictive'
    """
    )
    params = ([] if imposing is None else [imposing]) + ([low] if high is None else [low, high])
    return _measures(db, sql, params)


def read_events(db: Database, event_ids: list[int]) -> list[dict[str, Any]]:
    """The restrictive events among `event_ids` (the others and the deleted ones are left out), as
    read_measures gives them; the stored date is the document's, as event_dates holds it."""
    out: list[dict[str, Any]] = []
    for first in range(0, len(event_ids), 500):
        chunk = event_ids[first : first + 500]
        sql = (
            _COLUMNS.format(date="coalesce(d.published, d.fetched)")
            + f"""
            FROM events e JOIN documents d ON d.id = e.document_id
                LEFT JOIN document_public p ON p.document_id = e.document_id
            WHERE e.id IN ({",".join("?" * len(chunk))}) AND e.direction = 'restrictive'
        """
        )
        out.extend(_measures(db, sql, chunk))
    return out


def read_answers(db: Database, imposing: str, low: str) -> list[tuple[int, str | None, list[str]]]:
    """(event id, stored public instant or None, targets) of the restrictive events by `imposing` stored
    from `low` on: what finding the events a changed measure reaches needs, without their subjects."""
    sql = """
        SELECT e.id, p.public, (SELECT group_concat(country, char(31)) FROM event_targets WHERE event_id = e.id)
        FROM event_dates x CROSS JOIN events e ON e.id = x.event_id
            LEFT JOIN document_public p ON p.document_id = e.document_id
        WHERE x.imposing = ? AND x.date >= ? AND e.direction = 'restrictive'
    """
    return [
        (int(i), public, _list(targets)) for i, public, targets in db.execute(sql, [imposing, low]).fetchall()
    ]


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
        index = {name: i for i, name in enumerate(sorted(set().union(*sets)))}
        self.rows = np.zeros((len(sets), max(1, (len(index) + 7) // 8)), dtype=np.uint8)
        for row, names in enumerate(sets):
            for name in names:
                bit = index[name]
                self.rows[row, bit // 8] |= np.uint8(1 << (bit % 8))
        self.sizes = np.array([len(names) for names in sets], dtype=np.int64)

    def jaccard(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Jaccard overlap of rows left[i] and right[i]; 0 where both are empty."""
        shared = _POPCOUNT[self.rows[left] & self.rows[right]].sum(axis=1)
        union = self.sizes[left] + self.sizes[right] - shared
        result: np.ndarray = np.where(union > 0, shared / np.maximum(union, 1), 0.0)
        return result


def _digest(measure: dict[str, Any], when: int) -> int:
    """64 bits of everything a link reads of a measure (stable across processes, unlike hash()); the
    sector map is in the pass's salt."""
    text = repr((measure["id"], measure["document_id"], measure["date"], measure["event_type"],
                 measure["imposing"], sorted(measure["targets"]), sorted(measure["commodities"]),
                 sorted(measure["technologies"]), when, measure["public"].basis))  # fmt: skip
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


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
        # stored dates as ranks of the sorted distinct strings: range checks compare integers
        self._dates, self._date_code = np.unique(
            np.array([m["date"] for m in rows], dtype=str), return_inverse=True
        )
        codes: dict[str, int] = defaultdict(lambda: len(codes))
        self.doc = np.array([codes[m["document_id"]] for m in rows], dtype=np.int64)
        kinds = sorted({m["event_type"] for m in rows})
        self._kind_code = {k: i for i, k in enumerate(kinds)}
        self.kind = np.array([self._kind_code[m["event_type"]] for m in rows], dtype=np.int64)
        self._terms = np.array([[type_term(a, b) for b in kinds] for a in kinds])
        whens = self.when.tolist()
        digest = [_digest(m, w) for m, w in zip(rows, whens, strict=True)]
        pairs: dict[tuple[str, str], list[int]] = defaultdict(list)
        for row, m in enumerate(rows):
            for target in m["targets"]:
                pairs[(str(m["imposing"]), target)].append(row)
        self._pairs: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
        # per pair, the public dates in order and the running sums of the digests (mod 2**64), as Python
        # lists: a slice's digest is two bisections and a subtraction
        self._sums: dict[tuple[str, str], tuple[list[int], list[int]]] = {}
        for key, found in pairs.items():
            found.sort(key=lambda r: (whens[r], rows[r]["id"]))
            order = np.array(found, dtype=np.int64)
            self._pairs[key] = (order, self.when[order])
            sums, total = [0], 0
            for r in found:
                total = (total + digest[r]) % _MOD
                sums.append(total)
            self._sums[key] = ([whens[r] for r in found], sums)
        self._own = digest
        self._features: tuple[_Bits, _Bits] | None = None

    def _bits(self) -> tuple[_Bits, _Bits]:
        """Sectors and subjects as bit rows, built when an event is first scored (not on a pass that
        skips every event)."""
        if self._features is None:
            rows = self.measures
            self._features = (_Bits([sector_set(m) for m in rows]), _Bits([subjects(m) for m in rows]))
        return self._features

    def _slices(self, row: int, since: int) -> list[np.ndarray]:
        """Rows of the measures by the event's targets against its imposing country made public in
        [since, the event's public date) (microseconds)."""
        event, until, parts = self.measures[row], int(self.when[row]), []
        for target in dict.fromkeys(event["targets"]):
            order, times = self._pairs.get((str(target), str(event["imposing"])), (None, None))
            if order is not None and times is not None:
                parts.append(order[np.searchsorted(times, since) : np.searchsorted(times, until)])
        return parts

    def digests(self, events: list[tuple[int, datetime]], salt: int) -> list[int]:
        """For each (row, window start): a digest of the event's own digest, `salt` and every measure in
        its candidate slices (as signed 64-bit integers, for SQLite). Equal digests, equal links."""
        out = []
        for row, start in events:
            event, until, since = self.measures[row], int(self.when[row]), micros(start)
            total = salt + 3 * self._own[row]
            for target in dict.fromkeys(event["targets"]):
                found = self._sums.get((str(target), str(event["imposing"])))
                if found is not None:
                    times, sums = found
                    total += sums[bisect_left(times, until)] - sums[bisect_left(times, since)]
            total %= _MOD
            out.append(total - _MOD if total >= 2**63 else total)
        return out

    def first_cut(
        self, events: list[tuple[int, datetime, str, str]], weights: dict[str, float], scale: float, keep: int,
        floor: float,
    ) -> list[np.ndarray]:  # fmt: skip
        """For each (row, window start, low, high): the rows of its candidates (see _slices; of another
        document, stored between low and high) that may be among the `keep` best documents by
        approximate score (see MARGIN). One vectorised computation for all the events."""
        cands, owners = [], []
        for position, (row, start, _low, _high) in enumerate(events):
            for part in self._slices(row, micros(start)):
                cands.append(part)
                owners.append(np.full(part.size, position, dtype=np.int64))
        out = [np.zeros(0, dtype=np.int64) for _ in events]
        if not cands:
            return out
        cand, owner = np.concatenate(cands), np.concatenate(owners)
        rows = np.array([e[0] for e in events], dtype=np.int64)
        lows = np.searchsorted(self._dates, [e[2] for e in events], side="left")
        highs = np.searchsorted(self._dates, [e[3] for e in events], side="right")
        me, code = rows[owner], self._date_code[cand]
        ok = (self.doc[cand] != self.doc[me]) & (code >= lows[owner]) & (code < highs[owner])
        cand, owner, me = cand[ok], owner[ok], me[ok]
        days = np.maximum((self.when[me] - self.when[cand]) / 86_400e6, 0.0)
        sector_bits, subject_bits = self._bits()
        approx = (
            weights["time"] * np.exp(-days / scale)
            + weights["sector"] * sector_bits.jaccard(me, cand)
            + weights["subject"] * subject_bits.jaccard(me, cand)
            + weights["type"] * self._terms[self.kind[me], self.kind[cand]]
        )
        order = np.lexsort((-approx, owner))  # by event, best first
        bounds = np.searchsorted(owner[order], np.arange(len(events) + 1)).tolist()
        ranked_score, ranked_doc = approx[order].tolist(), self.doc[cand[order]].tolist()
        ranked_cand = cand[order]
        for position in range(len(events)):
            i, end, cut = bounds[position], bounds[position + 1], floor - MARGIN
            seen: set[int] = set()
            while i < end and ranked_score[i] >= cut:
                if len(seen) < keep:
                    seen.add(ranked_doc[i])
                    if len(seen) == keep:
                        cut = max(cut, ranked_score[i] - MARGIN)
                i += 1
            out[position] = ranked_cand[bounds[position] : i]
        return out
