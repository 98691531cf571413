"""Retaliation links: for a new restrictive measure by A against B, the earlier restrictive measures by B
against A within the window, ranked as possible causes.

score = 0.35·time + 0.25·sector + 0.25·subject + 0.15·type, each term in [0, 1]:
  time     exp(−days / 30): a response usually follows within days or weeks
  sector   Jaccard overlap of the two measures' sectors (signals/sectors.py)
  subject  Jaccard overlap of their commodities and technologies (exact names)
  type     1 same event type, 0.5 both technology controls (export control / entity listing), else 0
Candidates scoring below MIN_SCORE are not stored. Links are derived data: recomputing replaces them.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from alerts.stories import event_time
from db.event_scan import DOC_DATE, event_rows
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


def score(new: dict[str, Any], prior: dict[str, Any]) -> tuple[float, dict[str, float]]:
    """The score of `prior` as the cause of `new`, with its terms (for the explanation)."""
    days = max((event_time(new) - event_time(prior)).total_seconds() / 86400.0, 0.0)
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
    when = event_time(event)
    start = when - timedelta(days=window_days)
    # The window is applied in SQL (a range of event_dates, migration 10), widened by a day
    # because stored dates carry the publisher's offset; the exact bounds are checked below. No text read.
    rows = event_rows(
        db,
        f"x.imposing IN ({marks}) AND e.direction = 'restrictive' AND e.document_id != ?"
        " AND EXISTS (SELECT 1 FROM event_targets t WHERE t.event_id = e.id AND t.country = ?)",
        [*targets, event["document_id"], imposing],
        window=((start - timedelta(days=1)).isoformat(), (when + timedelta(days=1)).isoformat()),
    )
    return [r for r in rows if start <= event_time(r) < when]


def link_responses(db: Database, event: dict[str, Any], *, window_days: int = WINDOW_DAYS) -> int:
    """Store the ranked links of one event (replacing earlier ones); returns how many. No commit here."""
    if event.get("direction") != "restrictive":
        return 0
    best: dict[str, tuple[float, dict[str, float], int]] = {}
    for prior in candidates(db, event, window_days):
        total, terms = score(event, prior)
        doc = prior["document_id"]
        if total >= MIN_SCORE and (doc not in best or total > best[doc][0]):
            best[doc] = (total, terms, int(prior["id"]))  # one link per earlier document
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


def link_recent(db: Database, *, days: int = WINDOW_DAYS, window_days: int = WINDOW_DAYS) -> int:
    """Recompute links for events of the last `days` (late-arriving earlier measures get their chance)."""
    since = (datetime.now(UTC) - timedelta(days=days)).isoformat()
    linked = 0
    for event in list(event_rows(db, f"{DOC_DATE} >= ?", [since])):
        with db.conn:
            linked += link_responses(db, event, window_days=window_days)
    return linked


def link_all(db: Database, *, window_days: int = WINDOW_DAYS) -> int:
    linked = 0
    for event in list(event_rows(db)):
        with db.conn:
            linked += link_responses(db, event, window_days=window_days)
    return linked


def responses_of(db: Database, event_id: int, limit: int = 3) -> list[dict[str, Any]]:
    """The stored links of an event, best first, with the earlier measure's title, URL and roles."""
    rows = list(
        db.query(
            "SELECT r.rank, r.score, r.days, r.components, e.id AS prior_event_id, e.event_type, e.imposing,"
            " d.title, d.url, coalesce(d.published, d.fetched) AS published FROM retaliation_links r"
            " JOIN events e ON e.id = r.prior_event_id JOIN documents d ON d.id = e.document_id"
            " WHERE r.event_id = ? ORDER BY r.rank LIMIT ?",
            [event_id, limit],
        )
    )
    for row in rows:
        row["components"] = json.loads(row["components"])
    return rows
