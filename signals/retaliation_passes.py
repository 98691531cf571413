"""Retaliation link passes over many events (the per-event linking and scoring: signals/retaliation.py).

The daily pass (link_recent) costs what changed, not what the window holds: it follows the change log
(signals/retaliation_changes.py, migration 20) and re-scores only the logged events and those their
changes reach; with nothing logged it reads nothing else. Public dates are stored per document
(signals/public_cache.py), candidates are read by date range without document rows
(signals/retaliation_pool.py), an event whose inputs digest (its own fields and every measure in its
candidate slices) equals the one stored with its links is skipped, the others are cut with numpy and
ranked exactly, and links equal to the stored ones are not rewritten.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from signals.public_date import STORY_REACH_DAYS
from signals.retaliation import WINDOW_DAYS, date_range, link_stamp, store_links, stored_links
from signals.retaliation_changes import (
    FULL_AFTER,
    Changes,
    State,
    events_of,
    forget,
    forget_own,
    linked_to,
    newest,
    read_changes,
    read_state,
    write_state,
)
from signals.retaliation_pool import Table, add_public, read_answers, read_events, read_measures
from signals.retaliation_score import (
    KEEP,
    MIN_SCORE,
    TIME_SCALE_DAYS,
    WEIGHTS,
    Prior,
    prior_of,
    ranked,
    type_term,
)
from signals.sectors import SECTOR_OF

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
    priors: dict[int, Prior] = {}

    def prior(row: int) -> Prior:
        if row not in priors:
            measure = table.measures[row]
            priors[row] = prior_of(measure, measure["public"])
        return priors[row]

    linked, stamp, salt = 0, link_stamp(), _salt(window_days)
    for first in range(0, len(events), BATCH):
        batch = events[first : first + BATCH]
        windows = []
        for event in batch:
            when = event["public"].when
            windows.append(
                (rows[int(event["id"])], when - timedelta(days=window_days), *date_range(when, window_days))
            )
        digests = table.digests([(w[0], w[1]) for w in windows], salt)
        known = _stored_digests(db, [int(e["id"]) for e in batch])
        todo = [k for k, event in enumerate(batch) if known.get(int(event["id"])) != digests[k]]
        skipped = set(range(len(batch))) - set(todo)
        linked += _link_counts(db, [int(batch[k]["id"]) for k in sorted(skipped)])
        cuts = table.first_cut([windows[k] for k in todo], WEIGHTS, TIME_SCALE_DAYS, KEEP, MIN_SCORE)
        stored = stored_links(db, [int(batch[k]["id"]) for k in todo]) if todo else {}
        after = newest(db)
        with db.conn:
            for k, cut in zip(todo, cuts, strict=True):
                event = batch[k]
                best = ranked(event, [prior(r) for r in cut.tolist()])
                linked += store_links(db, event, best, stamp, stored[int(event["id"])])
                db.execute(
                    "INSERT OR REPLACE INTO retaliation_inputs (event_id, digest) VALUES (?, ?)",
                    [event["id"], digests[k]],
                )
            forget_own(db, after, [int(batch[k]["id"]) for k in todo])
    return linked


def _read(db: Database, low: str, high: str | None, imposing: str | None = None) -> list[dict[str, Any]]:
    with db.conn:  # public dates computed for the first time are stored
        measures = read_measures(db, low, high, imposing)
        add_public(db, measures)
    return measures


def _read_events(db: Database, event_ids: list[int]) -> list[dict[str, Any]]:
    with db.conn:
        measures = read_events(db, event_ids)
        add_public(db, measures)
    return measures


def link_recent(db: Database, *, days: int = WINDOW_DAYS, window_days: int = WINDOW_DAYS) -> int:
    """Keep the links of the events of the last `days` current (late-arriving earlier measures get their
    chance) and return how many links the events it re-scored hold.

    It follows the change log (signals/retaliation_changes.py): with nothing logged since the last pass it
    reads the log and the state row only; otherwise it re-scores the logged events and those their changes
    reach, reading only their candidates' date ranges. The first pass on a store, and one after the
    constants, `days` or the clock changed or a publisher was renamed, goes over the whole window."""
    since = (datetime.now(UTC) - timedelta(days=days)).isoformat()
    salt, upto = _salt(window_days) % 2**63, newest(db)  # fits SQLite's signed 64 bits
    state, found = read_state(db), read_changes(db, upto)
    if (state is None or (state.salt, state.days) != (salt, days) or since < state.since or found.everything
            or found.rows > FULL_AFTER):  # fmt: skip
        linked = _window_pass(db, since, window_days)
        with db.conn:
            forget(db, upto)
            write_state(db, State(salt, days, since))
        return linked
    if found.rows == 0:
        return 0
    linked = _changed_pass(db, found, since, window_days)
    with db.conn:
        forget(db, upto)
    return linked


def _window_pass(db: Database, since: str, window_days: int) -> int:
    """Every event stored since `since`: each skipped when its inputs digest is unchanged."""
    # DOC_DATE >= since as a range of event_dates: a scan of the events table would grow with history
    recent = _read(db, since, None)
    if not recent:
        return 0
    # their candidates are stored from a day before the earliest window on (date_range); the recent
    # events themselves cover the rest
    low = date_range(min(m["public"].when for m in recent), window_days)[0]
    older = [m for m in _read(db, low, since) if m["date"] < since] if low < since else []
    table = Table(older + recent, type_term)
    return _link_pass(db, sorted(recent, key=lambda m: m["id"]), table, window_days)


def _reached(db: Database, changed: list[dict[str, Any]], since: str, window_days: int) -> set[int]:
    """Recent events (stored since `since`) whose candidate windows hold a changed measure as it is now:
    by the measure's targets against its imposing country, made public in the window after it. One range
    of idx_event_dates_imposing per answering country, from two days before its earliest changed measure
    (a stored date is never before its public date, give or take the publisher's offset)."""
    groups: dict[tuple[str, str], list[datetime]] = defaultdict(list)
    bounds: dict[str, str] = {}
    for x in changed:
        when = x["public"].when
        for target in x["targets"]:
            groups[(str(target), str(x["imposing"]))].append(when)
            bound = max(since, (when - timedelta(days=2)).isoformat())
            bounds[str(target)] = min(bounds.get(str(target), bound), bound)
    for whens in groups.values():
        whens.sort()
    found: set[int] = set()
    for country, bound in sorted(bounds.items()):
        answers = read_answers(db, country, bound)
        unknown = [i for i, public, _ in answers if public is None]  # computed (and stored) once
        computed = {m["id"]: m["public"].when for m in _read_events(db, unknown)} if unknown else {}
        for event_id, public, targets in answers:
            when = datetime.fromisoformat(public) if public is not None else computed.get(event_id)
            if when is None:
                continue
            start = when - timedelta(days=window_days)
            for target in targets:
                whens = groups.get((country, str(target)), [])
                i = bisect_left(whens, start)
                if i < len(whens) and whens[i] < when:
                    found.add(event_id)
                    break
    return found


def _changed_pass(db: Database, found: Changes, since: str, window_days: int) -> int:
    """Re-score the logged events, the events whose links held a changed measure (it may have left their
    windows or scored lower) and those whose windows now hold one (it may score higher); every other
    event's inputs are unchanged. Candidates are read per answering country from the earliest window
    among them, so each event's slices (and its digest) are what a pass over the whole window has."""
    changed_ids = found.events | events_of(db, found.documents)
    changed = _read_events(db, sorted(changed_ids))
    todo = changed_ids | found.links | linked_to(db, changed_ids) | _reached(db, changed, since, window_days)
    events = [m for m in _read_events(db, sorted(todo)) if m["date"] >= since]
    if not events:
        return 0
    lows: dict[str, str] = {}
    for m in events:
        low = date_range(m["public"].when, window_days)[0]
        for target in m["targets"]:
            lows[str(target)] = min(lows.get(str(target), low), low)
    measures: dict[int, dict[str, Any]] = {}
    for country, low in sorted(lows.items()):
        measures.update((m["id"], m) for m in _read(db, low, None, country))
    for m in events:
        measures.setdefault(m["id"], m)
    table = Table(measures.values(), type_term)
    return _link_pass(
        db, sorted((measures[m["id"]] for m in events), key=lambda m: m["id"]), table, window_days
    )


def link_all(db: Database, *, window_days: int = WINDOW_DAYS) -> int:
    """Links for every stored event: a fresh store (the demo, a rebuilt one) and tests."""
    measures = _read(db, "", None)
    return _link_pass(db, sorted(measures, key=lambda m: m["id"]), Table(measures, type_term), window_days)
