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
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from db.event_scan import DOC_DATE, event_rows
from db.store import event_views
from db.stories import event_time
from signals.public_date import STORY_REACH_DAYS, PublicDate, first_public
from signals.sectors import sectors

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


def candidates(db: Database, event: dict[str, Any], window_days: int = WINDOW_DAYS) -> list[dict[str, Any]]:
    """Restrictive measures by any of the event's targets against its imposing country, in the window."""
    imposing, targets = event.get("imposing"), list(event.get("targets") or [])
    if not imposing or not targets:
        return []
    marks = ",".join("?" * len(targets))
    when = _when(event)
    start = when - timedelta(days=window_days)
    # A prior's public date is at most STORY_REACH_DAYS before its own date (and never after), so its
    # publication lies in this span: one range of event_dates (migration 10) in SQL, widened by a day
    # because stored dates carry the publisher's offset. Text is read only for the events in the window
    # (the public date reads the Federal Register filing line).
    rows = event_rows(
        db,
        f"x.imposing IN ({marks}) AND e.direction = 'restrictive' AND e.document_id != ?"
        " AND EXISTS (SELECT 1 FROM event_targets t WHERE t.event_id = e.id AND t.country = ?)",
        [*targets, event["document_id"], imposing],
        window=(
            (start - timedelta(days=1)).isoformat(),
            (when + timedelta(days=STORY_REACH_DAYS + 1)).isoformat(),
        ),
    )
    found = []
    for row in rows:
        row["public"] = first_public(db, _with_text(db, row))
        if start <= row["public"].when < when:
            found.append(row)
    return found


def _with_text(db: Database, event: dict[str, Any]) -> dict[str, Any]:
    """The event with its document's text, which the public date reads (rows of event_rows carry none)."""
    if "text" in event:
        return event
    row = db.execute("SELECT text FROM documents WHERE id = ?", [event["document_id"]]).fetchone()
    return {**event, "text": row[0] if row else ""}


def link_responses(db: Database, event: dict[str, Any], *, window_days: int = WINDOW_DAYS) -> int:
    """Store the ranked links of one event (replacing earlier ones); returns how many. No commit here."""
    if event.get("direction") != "restrictive":
        return 0
    event = {**event, "public": first_public(db, _with_text(db, event))}
    best: dict[str, tuple[float, dict[str, Any], int]] = {}
    for prior in candidates(db, event, window_days):
        total, terms = score(event, prior)
        doc = prior["document_id"]
        dated = {
            "public": event["public"].day,
            "public_basis": event["public"].basis,
            "prior_public": prior["public"].day,
            "prior_public_basis": prior["public"].basis,
        }
        if total >= MIN_SCORE and (doc not in best or total > best[doc][0]):
            best[doc] = (total, {**terms, **dated}, int(prior["id"]))  # one link per earlier document
    ranked = sorted(best.values(), key=lambda item: (-item[0], item[1]["days"], item[2]))[:KEEP]
    db.execute("DELETE FROM retaliation_links WHERE event_id = ?", [event["id"]])
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    for rank, (total, terms, prior_id) in enumerate(ranked, start=1):
        db.execute(
            "INSERT INTO retaliation_links (event_id, prior_event_id, rank, score, days, components, computed_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [event["id"], prior_id, rank, total, terms["days"], json.dumps(terms, sort_keys=True), stamp],
        )
    return len(ranked)


def relink_later(db: Database, event: dict[str, Any], *, window_days: int = WINDOW_DAYS) -> int:
    """Recompute the links of measures that may answer `event` (by its targets against its imposing
    country, dated up to the window after it): a measure crawled after its answer still gets linked as
    the cause. No commit here."""
    imposing, targets = event.get("imposing"), list(event.get("targets") or [])
    if event.get("direction") != "restrictive" or not imposing or not targets:
        return 0
    when = event_time(event)
    low = (when - timedelta(days=STORY_REACH_DAYS + 1)).isoformat()
    high = (when + timedelta(days=window_days + 1)).isoformat()
    marks = ",".join("?" * len(targets))
    later = event_views(
        db,
        f"e.imposing IN ({marks}) AND e.direction = 'restrictive' AND e.document_id != ?"
        " AND e.id IN (SELECT event_id FROM event_targets WHERE country = ?)"
        " AND coalesce(d.published, d.fetched) BETWEEN ? AND ?",
        [*targets, event["document_id"], imposing, low, high],
    )
    return sum(link_responses(db, answer, window_days=window_days) for answer in list(later))


def link_recent(db: Database, *, days: int = WINDOW_DAYS, window_days: int = WINDOW_DAYS) -> int:
    """Recompute links for events of the last `days` (late-arriving earlier measures get their chance)."""
    since = (datetime.now(UTC) - timedelta(days=days)).isoformat()
    linked = 0
    for event in list(event_rows(db, f"{DOC_DATE} >= ?", [since])):
        with db.conn:
            linked += link_responses(db, event, window_days=window_days)
    return linked


def link_all(db: Database, *, window_days: int = WINDOW_DAYS) -> int:
    """Links for every stored event: a fresh store (the demo, a rebuilt one) and tests."""
    linked = 0
    for event in list(event_rows(db)):
        with db.conn:
            linked += link_responses(db, event, window_days=window_days)
    return linked
