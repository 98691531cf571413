"""Retaliation links: for a new restrictive measure by A against B, the earlier restrictive measures by B
against A within the window, ranked as possible causes.

score = 0.35·time + 0.25·sector + 0.25·subject + 0.15·type, each term in [0, 1]:
  time     exp(−days / 30): a response usually follows within days or weeks
  sector   Jaccard overlap of the two measures' sectors (signals/sectors.py)
  subject  Jaccard overlap of their commodities and technologies (exact names)
  type     1 same event type, 0.5 both technology controls (export control / entity listing), else 0
Candidates scoring below MIN_SCORE are not stored. Links are derived data: recomputing replaces them.

Both measures are dated by when they were first made public (signals/public_date.py), not by when a
journal printed them: a rule announced on 2 December and printed on 5 December precedes an answer of
3 December. The dates used and how they were found are stored with the link (components).

The daily pass (link_recent) costs what changed, not the history: public dates are stored per document
(signals/public_cache.py), candidates are read by date range without document rows
(signals/retaliation_pool.py), an event whose inputs digest (its own fields and every measure in its
candidate slices) equals the one stored with its links is skipped, the others are cut with numpy and
ranked exactly, and links equal to the stored ones are not rewritten.
"""

from __future__ import annotations

import hashlib
import json
import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from db.event_scan import event_rows
from db.stories import event_time
from signals.public_cache import by_event
from signals.public_date import STORY_REACH_DAYS, PublicDate
from signals.retaliation_pool import Table, add_public, read_measures
from signals.sectors import SECTOR_OF, sectors

WINDOW_DAYS = 90
TIME_SCALE_DAYS = 30.0
WEIGHTS = {"time": 0.35, "sector": 0.25, "subject": 0.25, "type": 0.15}
MIN_SCORE = 0.1
KEEP = 5
_TECH_CONTROLS = {"export_control", "entity_listing"}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _subjects(event: dict[str, Any]) -> set[str]:
    return {f"c:{c}" for c in event.get("commodities") or []} | {
        f"t:{t}" for t in event.get("technologies") or []
    }


def _when(event: dict[str, Any]) -> datetime:
    public = event.get("public")
    return public.when if isinstance(public, PublicDate) else event_time(event)


def score(new: dict[str, Any], prior: dict[str, Any]) -> tuple[float, dict[str, float]]:
    """The score of `prior` as the cause of `new`, with its terms (for the explanation). Dated by their
    `public` key (a PublicDate) when present, else by publication."""
    days = max((_when(new) - _when(prior)).total_seconds() / 86400.0, 0.0)
    names_new = set(new.get("commodities") or []) | set(new.get("technologies") or [])
    names_prior = set(prior.get("commodities") or []) | set(prior.get("technologies") or [])
    same = new["event_type"] == prior["event_type"]
    both_tech = {new["event_type"], prior["event_type"]} <= _TECH_CONTROLS
    terms = {
        "time": math.exp(-days / TIME_SCALE_DAYS),
        "sector": _jaccard(sectors(names_new), sectors(names_prior)),
        "subject": _jaccard(_subjects(new), _subjects(prior)),
        "type": 1.0 if same else 0.5 if both_tech else 0.0,
    }
    total = sum(WEIGHTS[k] * v for k, v in terms.items())
    return round(total, 4), {**{k: round(v, 4) for k, v in terms.items()}, "days": round(days, 2)}


def _date_range(when: datetime, window_days: int) -> tuple[str, str]:
    """The stored dates (event_dates.date = DOC_DATE) between which every candidate of an event made public
    at `when` lies. A prior's public date is at most STORY_REACH_DAYS before its own date (and never after);
    the range is widened by a day because stored dates carry the publisher's offset."""
    start = when - timedelta(days=window_days)
    return (start - timedelta(days=1)).isoformat(), (when + timedelta(days=STORY_REACH_DAYS + 1)).isoformat()


def public_dates(
    db: Database, events: Iterable[dict[str, Any]], known: dict[int, PublicDate] | None = None
) -> dict[int, PublicDate]:
    """The public date of each event by id: its document's stored one (document_public), else computed
    and stored (signals/public_cache.py; no commit here); `known` (filled in place) keeps what a pass
    already has."""
    known = {} if known is None else known
    missing = [e for e in events if int(e["id"]) not in known]
    if missing:
        known.update(by_event(db, missing))
    return known


@dataclass(frozen=True)
class _Prior:
    """A candidate as scoring reads it, prepared once per pass."""

    row: dict[str, Any]  # the event_rows row with its "public" date, as score() takes it
    id: int
    document_id: str
    date: str  # the stored date (DOC_DATE), for the string range of the single-event query
    when: datetime  # public date
    event_type: str
    sectors: frozenset[str]
    subjects: frozenset[str]


def _prior(row: dict[str, Any], public: PublicDate) -> _Prior:
    names = set(row.get("commodities") or []) | set(row.get("technologies") or [])
    row = {**row, "public": public}
    date = row.get("date") or (row["published"] if row.get("published") is not None else row["fetched"])
    return _Prior(row, int(row["id"]), str(row["document_id"]), str(date), public.when, str(row["event_type"]),
                  frozenset(sectors(names)), frozenset(_subjects(row)))  # fmt: skip


class _Pool:
    """Restrictive measures grouped by (imposing, target) and ordered by public date: an event's
    candidates are one bisected slice per target, so scoring touches only measures of the reverse pair
    inside the window."""

    def __init__(self, rows: Iterable[dict[str, Any]], public: dict[int, PublicDate]) -> None:
        pairs: dict[tuple[str, str], list[_Prior]] = defaultdict(list)
        for row in rows:
            prior = _prior(row, public[int(row["id"])])
            for target in row.get("targets") or []:
                pairs[(str(row["imposing"]), target)].append(prior)
        self._pairs = {key: sorted(found, key=lambda p: (p.when, p.id)) for key, found in pairs.items()}
        self._times = {key: [p.when for p in found] for key, found in self._pairs.items()}

    def window(self, event: dict[str, Any], window_days: int) -> list[_Prior]:
        """The event's candidates: measures by its targets against its imposing country, made public in
        [when − window, when), from another document (and stored within the date range of the SQL lookup,
        so a pass finds exactly what the single-event lookup finds)."""
        imposing, targets = event.get("imposing"), event.get("targets") or []
        if not imposing or not targets:
            return []
        when: datetime = event["public"].when
        low, high = _date_range(when, window_days)
        start, found = when - timedelta(days=window_days), []
        for target in dict.fromkeys(targets):
            key = (str(target), str(imposing))
            priors, times = self._pairs.get(key, []), self._times.get(key, [])
            for prior in priors[bisect_left(times, start) : bisect_left(times, when)]:
                if prior.document_id != event["document_id"] and low <= prior.date <= high:
                    found.append(prior)
        return found


def _type_term(kind: str, other: str) -> float:
    return 1.0 if kind == other else 0.5 if {kind, other} <= _TECH_CONTROLS else 0.0


_Terms = tuple[float, float, float, float, float]  # time, sector, subject, type, days: as score() has them


def _ranked(event: dict[str, Any], priors: list[_Prior]) -> list[tuple[_Prior, float, _Terms]]:
    """The KEEP best candidates, one per earlier document, as score() ranks them: by score, then fewer days,
    then event id; a document's best event wins (the lowest id among equal scores). Each with its score
    and unrounded terms, computed as score() computes them (same operations in the same order)."""
    when: datetime = event["public"].when
    kind = event["event_type"]
    names = set(event.get("commodities") or []) | set(event.get("technologies") or [])
    mine_sectors, mine_subjects = sectors(names), _subjects(event)
    w_time, w_sector, w_subject, w_type = (WEIGHTS[k] for k in ("time", "sector", "subject", "type"))
    best: dict[str, tuple[float, float, int, _Prior, _Terms]] = {}
    for prior in priors:
        days = max((when - prior.when).total_seconds() / 86400.0, 0.0)
        either = mine_sectors | prior.sectors
        sector = len(mine_sectors & prior.sectors) / len(either) if either else 0.0
        either = mine_subjects | prior.subjects
        subject = len(mine_subjects & prior.subjects) / len(either) if either else 0.0
        same = kind == prior.event_type
        kind_term = 1.0 if same else 0.5 if {kind, prior.event_type} <= _TECH_CONTROLS else 0.0
        time_term = math.exp(-days / TIME_SCALE_DAYS)
        total = round(w_time * time_term + w_sector * sector + w_subject * subject + w_type * kind_term, 4)
        if total < MIN_SCORE:
            continue
        held = best.get(prior.document_id)
        if held is None or total > held[0] or (total == held[0] and prior.id < held[2]):
            best[prior.document_id] = (total, round(days, 2), prior.id, prior, (time_term, sector, subject,
                                                                                  kind_term, days))  # fmt: skip
    ranked = sorted(best.values(), key=lambda item: (-item[0], item[1], item[2]))[:KEEP]
    return [(item[3], item[0], item[4]) for item in ranked]


Link = tuple[int, int, int, float, float, str]  # event, prior event, rank, score, days, components
_QUOTED: dict[str, str] = {}  # JSON string literals of dates and bases, made once


def _quoted(text: str) -> str:
    if text not in _QUOTED:
        if len(_QUOTED) > 10_000:
            _QUOTED.clear()
        _QUOTED[text] = json.dumps(text)
    return _QUOTED[text]


def components(terms: _Terms, public: PublicDate, prior_public: PublicDate) -> str:
    """json.dumps(score()'s terms + the two dates, sort_keys=True), written out: the keys are fixed and
    every value is a float (repr, as json writes floats) or a string."""
    time_term, sector, subject, kind_term, days = terms
    return (
        f'{{"days": {round(days, 2)!r}, "prior_public": {_quoted(prior_public.day)},'
        f' "prior_public_basis": {_quoted(prior_public.basis)}, "public": {_quoted(public.day)},'
        f' "public_basis": {_quoted(public.basis)}, "sector": {round(sector, 4)!r},'
        f' "subject": {round(subject, 4)!r}, "time": {round(time_term, 4)!r}, "type": {round(kind_term, 4)!r}}}'
    )


def _links(event: dict[str, Any], ranked: list[tuple[_Prior, float, _Terms]]) -> list[Link]:
    public = event["public"]
    return [
        (
            int(event["id"]),
            prior.id,
            rank,
            total,
            round(terms[4], 2),
            components(terms, public, prior.row["public"]),
        )
        for rank, (prior, total, terms) in enumerate(ranked, start=1)
    ]


def _store_links(
    db: Database,
    event: dict[str, Any],
    ranked: list[tuple[_Prior, float, _Terms]],
    stamp: str,
    stored: set[Link] | None = None,
) -> int:
    """Replace the event's links, unless they equal `stored` (what the store holds, when the caller read
    it): a daily pass then writes only the events whose links changed."""
    links = _links(event, ranked)
    if stored is not None and set(links) == stored:
        return len(links)
    db.execute("DELETE FROM retaliation_links WHERE event_id = ?", [event["id"]])
    db.conn.executemany(
        "INSERT INTO retaliation_links (event_id, prior_event_id, rank, score, days, components, computed_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(*link, stamp) for link in links],
    )
    return len(links)


def _stored_links(db: Database, event_ids: list[int]) -> dict[int, set[Link]]:
    marks = ",".join("?" * len(event_ids))
    found: dict[int, set[Link]] = {i: set() for i in event_ids}
    for row in db.execute(
        "SELECT event_id, prior_event_id, rank, score, days, components FROM retaliation_links"
        f" WHERE event_id IN ({marks})",
        event_ids,
    ).fetchall():
        found[int(row[0])].add(tuple(row))  # type: ignore[arg-type]
    return found


def _stamp() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _candidate_rows(
    db: Database, event: dict[str, Any], when: datetime, window_days: int
) -> list[dict[str, Any]]:
    """Restrictive measures by the event's targets against its imposing country stored within the date
    range of its window: per target one range of idx_event_dates_pair (migration 16), no text."""
    imposing, targets = event.get("imposing"), list(dict.fromkeys(event.get("targets") or []))
    if not imposing or not targets:
        return []
    marks = ",".join("?" * len(targets))
    return list(
        event_rows(
            db,
            f"x.imposing IN ({marks}) AND e.direction = 'restrictive' AND e.document_id != ?"
            " AND EXISTS (SELECT 1 FROM event_targets t WHERE t.event_id = e.id AND t.country = ?)",
            [*targets, event["document_id"], imposing],
            window=_date_range(when, window_days),
        )
    )


def candidates(
    db: Database,
    event: dict[str, Any],
    window_days: int = WINDOW_DAYS,
    known: dict[int, PublicDate] | None = None,
) -> list[dict[str, Any]]:
    """Restrictive measures by any of the event's targets against its imposing country, made public in the
    window before the event (rows without text, with their "public" date)."""
    event = (
        event if isinstance(event.get("public"), PublicDate) else {**event, "public": _own_public(db, event)}
    )
    rows = _candidate_rows(db, event, event["public"].when, window_days)
    public = public_dates(db, rows, known)
    return [prior.row for prior in _Pool(rows, public).window(event, window_days)]


def _own_public(db: Database, event: dict[str, Any]) -> PublicDate:
    return public_dates(db, [event])[int(event["id"])]


def link_responses(db: Database, event: dict[str, Any], *, window_days: int = WINDOW_DAYS) -> int:
    """Store the ranked links of one event (replacing earlier ones); returns how many. No commit here."""
    if event.get("direction") != "restrictive":
        return 0
    return _link_one(db, event, {}, window_days, _stamp())


def _link_one(
    db: Database, event: dict[str, Any], known: dict[int, PublicDate], window_days: int, stamp: str
) -> int:
    if int(event["id"]) not in known:
        public_dates(db, [event], known)
    event = {**event, "public": known[int(event["id"])]}
    rows = _candidate_rows(db, event, event["public"].when, window_days)
    priors = _Pool(rows, public_dates(db, rows, known)).window(event, window_days)
    return _store_links(db, event, _ranked(event, priors), stamp)


def relink_later(db: Database, event: dict[str, Any], *, window_days: int = WINDOW_DAYS) -> int:
    """Recompute the links of measures that may answer `event` (by its targets against its imposing
    country, dated up to the window after it): a measure crawled after its answer still gets linked as
    the cause. No commit here."""
    imposing, targets = event.get("imposing"), list(dict.fromkeys(event.get("targets") or []))
    if event.get("direction") != "restrictive" or not imposing or not targets:
        return 0
    when = event_time(event)
    low = (when - timedelta(days=STORY_REACH_DAYS + 1)).isoformat()
    high = (when + timedelta(days=window_days + 1)).isoformat()
    marks = ",".join("?" * len(targets))
    later = list(
        event_rows(
            db,
            f"x.imposing IN ({marks}) AND e.direction = 'restrictive' AND e.document_id != ?"
            " AND EXISTS (SELECT 1 FROM event_targets t WHERE t.event_id = e.id AND t.country = ?)",
            [*targets, event["document_id"], imposing],
            window=(low, high),
        )
    )
    known = public_dates(db, later)
    stamp = _stamp()
    return sum(_link_one(db, answer, known, window_days, stamp) for answer in later)


BATCH = 500  # events per transaction in a pass: short write locks, few commits


def _salt(window_days: int) -> int:
    """The constants links depend on, so a change of weights, window or format recomputes every event."""
    sector_map = sorted((name, sorted(found)) for name, found in SECTOR_OF.items())
    text = repr((2, window_days, sorted(WEIGHTS.items()), TIME_SCALE_DAYS, MIN_SCORE, KEEP, STORY_REACH_DAYS,
                 sector_map))  # fmt: skip
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


def _stored_digests(db: Database, event_ids: list[int]) -> dict[int, int]:
    marks = ",".join("?" * len(event_ids))
    rows = db.execute(
        f"SELECT event_id, digest FROM retaliation_inputs WHERE event_id IN ({marks})", event_ids
    ).fetchall()
    return {int(a): int(b) for a, b in rows}


def _link_counts(db: Database, event_ids: list[int]) -> int:
    if not event_ids:
        return 0
    marks = ",".join("?" * len(event_ids))
    sql = f"SELECT count(*) FROM retaliation_links WHERE event_id IN ({marks})"
    return int(db.execute(sql, event_ids).fetchone()[0])


def _link_pass(db: Database, events: list[dict[str, Any]], table: Table, window_days: int) -> int:
    """Links for `events` (restrictive, rows of `table`): an event whose inputs (its digest over its
    candidate slices) are what its stored links were computed from is skipped; the others get candidates
    by reverse pair and public date, a vectorised first cut, the few left ranked exactly, and only
    changed links are written."""
    rows = {m["id"]: i for i, m in enumerate(table.measures)}
    priors: dict[int, _Prior] = {}

    def prior(row: int) -> _Prior:
        if row not in priors:
            measure = table.measures[row]
            priors[row] = _prior(measure, measure["public"])
        return priors[row]

    linked, stamp, salt = 0, _stamp(), _salt(window_days)
    for first in range(0, len(events), BATCH):
        batch = events[first : first + BATCH]
        windows = []
        for event in batch:
            when = event["public"].when
            windows.append(
                (rows[int(event["id"])], when - timedelta(days=window_days), *_date_range(when, window_days))
            )
        digests = table.digests([(w[0], w[1]) for w in windows], salt)
        known = _stored_digests(db, [int(e["id"]) for e in batch])
        todo = [k for k, event in enumerate(batch) if known.get(int(event["id"])) != digests[k]]
        skipped = set(range(len(batch))) - set(todo)
        linked += _link_counts(db, [int(batch[k]["id"]) for k in sorted(skipped)])
        cuts = table.first_cut([windows[k] for k in todo], WEIGHTS, TIME_SCALE_DAYS, KEEP, MIN_SCORE)
        stored = _stored_links(db, [int(batch[k]["id"]) for k in todo]) if todo else {}
        with db.conn:
            for k, cut in zip(todo, cuts, strict=True):
                event = batch[k]
                ranked = _ranked(event, [prior(r) for r in cut.tolist()])
                linked += _store_links(db, event, ranked, stamp, stored[int(event["id"])])
                db.execute(
                    "INSERT OR REPLACE INTO retaliation_inputs (event_id, digest) VALUES (?, ?)",
                    [event["id"], digests[k]],
                )
    return linked


def _read(db: Database, low: str, high: str | None) -> list[dict[str, Any]]:
    with db.conn:  # public dates computed for the first time are stored
        measures = read_measures(db, low, high)
        add_public(db, measures)
    return measures


def link_recent(db: Database, *, days: int = WINDOW_DAYS, window_days: int = WINDOW_DAYS) -> int:
    """Recompute links for events of the last `days` (late-arriving earlier measures get their chance)."""
    since = (datetime.now(UTC) - timedelta(days=days)).isoformat()
    # DOC_DATE >= since as a range of event_dates: a scan of the events table would grow with history
    recent = _read(db, since, None)
    if not recent:
        return 0
    # their candidates are stored from a day before the earliest window on (_date_range); the recent
    # events themselves cover the rest
    low = _date_range(min(m["public"].when for m in recent), window_days)[0]
    older = [m for m in _read(db, low, since) if m["date"] < since] if low < since else []
    table = Table(older + recent, _type_term)
    return _link_pass(db, sorted(recent, key=lambda m: m["id"]), table, window_days)


def link_all(db: Database, *, window_days: int = WINDOW_DAYS) -> int:
    """Links for every stored event: a fresh store (the demo, a rebuilt one) and tests."""
    measures = _read(db, "", None)
    return _link_pass(db, sorted(measures, key=lambda m: m["id"]), Table(measures, _type_term), window_days)
