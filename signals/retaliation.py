"""Retaliation links: for a new restrictive measure by A against B, the earlier restrictive measures by B
against A within the window, ranked as possible causes (the score: signals/retaliation_score.py). Links are
derived data: recomputing replaces them.

Both measures are dated by when they were first made public (signals/public_date.py), not by when a
journal printed them: a rule announced on 2 December and printed on 5 December precedes an answer of
3 December. The dates used and how they were found are stored with the link (components).

The passes over many events (the daily link_recent, link_all) are in signals/retaliation_passes.py.
"""

from __future__ import annotations

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
from signals.retaliation_score import (
    Link,
    Prior,
    Terms,
    links_of,
    prior_of,
    ranked,
)

WINDOW_DAYS = 90


def date_range(when: datetime, window_days: int) -> tuple[str, str]:
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
        low, high = date_range(when, window_days)
        start, found = when - timedelta(days=window_days), []
        for target in dict.fromkeys(targets):
            key = (str(target), str(imposing))
            priors, times = self._pairs.get(key, []), self._times.get(key, [])
            for prior in priors[bisect_left(times, start) : bisect_left(times, when)]:
                if prior.document_id != event["document_id"] and low <= prior.date <= high:
                    found.append(prior)
        return found


def store_links(
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


def stored_links(db: Database, event_ids: list[int]) -> dict[int, set[Link]]:
    marks = ",".join("?" * len(event_ids))
    found: dict[int, set[Link]] = {i: set() for i in event_ids}
    for row in db.execute(
        "SELECT event_id, prior_event_id, rank, score, days, components FROM retaliation_links"
        f" WHERE event_id IN ({marks})",
        event_ids,
    ).fetchall():
        found[int(row[0])].add(tuple(row))  # type: ignore[arg-type]
    return found


def link_stamp() -> str:
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
    return _reverse_pair_rows(db, event, date_range(when, window_days))


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
    return _link_one(db, event, {}, window_days, link_stamp())


def _link_one(
    db: Database, event: dict[str, Any], known: dict[int, PublicDate], window_days: int, stamp: str
) -> int:
    if int(event["id"]) not in known:
        public_dates(db, [event], known)
    event = {**event, "public": known[int(event["id"])]}
    rows = _candidate_rows(db, event, event["public"].when, window_days)
    priors = _Pool(rows, public_dates(db, rows, known)).window(event, window_days)
    return store_links(db, event, ranked(event, priors), stamp)


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
    stamp = link_stamp()
    return sum(_link_one(db, answer, known, window_days, stamp) for answer in later)
