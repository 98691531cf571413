"""Retaliation links: for a new restrictive measure by A against B, the earlier restrictive measures by B
against A within the window, ranked as possible causes (the score: signals/retaliation_score.py). Links are
derived data: recomputing replaces them.

Both measures are dated by when they were first made public (signals/public_date.py), not by when a
journal printed them: a rule announced on 2 December and printed on 5 December precedes an answer of
3 December. The dates used and how they were found are stored with the link (components).

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
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from db.event_scan import event_rows
from db.stories import event_time
from signals.public_cache import by_event
from signals.public_date import STORY_REACH_DAYS, PublicDate
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
    Link,
    Prior,
    Terms,
    links_of,
    prior_of,
    ranked,
    type_term,
)
from signals.sectors import SECTOR_OF

WINDOW_DAYS = 90


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


class _Pool:
    """Restrictive measures grouped by (imposing, target) and ordered by public date: an event's
    candidates are one bisected slice per target, so scoring touches only measures of the reverse pair
    inside the window."""

    def __init__(self, rows: Iterable[dict[str, Any]], public: dict[int, PublicDate]) -> None:
        pairs: dict[tuple[str, str], list[Prior]] = defaultdict(list)
        for row in rows:
            prior = prior_of(row, public[int(row["id"])])
            for target in row.get("targets") or []:
                pairs[(str(row["imposing"]), target)].append(prior)
        self._pairs = {key: sorted(found, key=lambda p: (p.when, p.id)) for key, found in pairs.items()}
        self._times = {key: [p.when for p in found] for key, found in self._pairs.items()}

    def window(self, event: dict[str, Any], window_days: int) -> list[Prior]:
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


def _store_links(
    db: Database,
    event: dict[str, Any],
    best: list[tuple[Prior, float, Terms]],
    stamp: str,
    stored: set[Link] | None = None,
) -> int:
    """Replace the event's links, unless they equal `stored` (what the store holds, when the caller read
    it): a daily pass then writes only the events whose links changed."""
    links = links_of(event, best)
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


def _reverse_pair_rows(db: Database, event: dict[str, Any], window: tuple[str, str]) -> list[dict[str, Any]]:
    """Restrictive measures by the event's targets against its imposing country (other documents), stored
    within `window`: per target one range of idx_event_dates_pair (migration 16), no text."""
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
            window=window,
        )
    )


def _candidate_rows(
    db: Database, event: dict[str, Any], when: datetime, window_days: int
) -> list[dict[str, Any]]:
    """The event's possible causes, stored within the date range of its window."""
    return _reverse_pair_rows(db, event, _date_range(when, window_days))


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
    return _store_links(db, event, ranked(event, priors), stamp)


def relink_later(db: Database, event: dict[str, Any], *, window_days: int = WINDOW_DAYS) -> int:
    """Recompute the links of measures that may answer `event` (by its targets against its imposing
    country, dated up to the window after it): a measure crawled after its answer still gets linked as
    the cause. No commit here."""
    if event.get("direction") != "restrictive":
        return 0
    when = event_time(event)
    low = (when - timedelta(days=STORY_REACH_DAYS + 1)).isoformat()
    high = (when + timedelta(days=window_days + 1)).isoformat()
    later = _reverse_pair_rows(db, event, (low, high))
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
    priors: dict[int, Prior] = {}

    def prior(row: int) -> Prior:
        if row not in priors:
            measure = table.measures[row]
            priors[row] = prior_of(measure, measure["public"])
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
        after = newest(db)
        with db.conn:
            for k, cut in zip(todo, cuts, strict=True):
                event = batch[k]
                best = ranked(event, [prior(r) for r in cut.tolist()])
                linked += _store_links(db, event, best, stamp, stored[int(event["id"])])
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
    # their candidates are stored from a day before the earliest window on (_date_range); the recent
    # events themselves cover the rest
    low = _date_range(min(m["public"].when for m in recent), window_days)[0]
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
        low = _date_range(m["public"].when, window_days)[0]
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
