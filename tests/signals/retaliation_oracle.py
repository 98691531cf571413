"""Retaliation links computed the plain way, as main computed them before the pass read candidates by
pair (every event with its text, every other event compared in Python): the test oracle for
signals/retaliation.py."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlite_utils import Database

from db.store import event_views
from signals.public_date import STORY_REACH_DAYS, first_public
from signals.retaliation import WINDOW_DAYS
from signals.retaliation_score import KEEP, MIN_SCORE, score

Link = tuple[int, int, int, float, float, str]  # event, prior event, rank, score, days, components


def _stored_date(event: dict[str, Any]) -> str:
    return str(event["published"] if event["published"] is not None else event["fetched"])


def links(db: Database, event_ids: set[int] | None = None, window_days: int = WINDOW_DAYS) -> set[Link]:
    """The links of every restrictive event (or of `event_ids`) by brute force over all stored events."""
    events = [dict(e) for e in event_views(db, "e.direction = 'restrictive'")]
    for event in events:
        event["public"] = first_public(db, event)
    found: set[Link] = set()
    for new in events:
        if event_ids is not None and int(new["id"]) not in event_ids:
            continue
        when = new["public"].when
        start = when - timedelta(days=window_days)
        # The documented bound of the lookup: a prior stored (by its own date, as the publisher wrote it)
        # more than STORY_REACH_DAYS after the window is not looked at, nor one stored a day before it.
        low = (start - timedelta(days=1)).isoformat()
        high = (when + timedelta(days=STORY_REACH_DAYS + 1)).isoformat()
        best: dict[str, tuple[float, dict[str, Any], int]] = {}
        for prior in events:
            if not new["imposing"] or prior["imposing"] not in new["targets"]:
                continue
            if new["imposing"] not in prior["targets"] or prior["document_id"] == new["document_id"]:
                continue
            if not (low <= _stored_date(prior) <= high and start <= prior["public"].when < when):
                continue
            total, terms = score(new, prior)
            dated = {
                "public": new["public"].day,
                "public_basis": new["public"].basis,
                "prior_public": prior["public"].day,
                "prior_public_basis": prior["public"].basis,
            }
            doc = prior["document_id"]
            if total >= MIN_SCORE and (doc not in best or total > best[doc][0]):
                best[doc] = (total, {**terms, **dated}, int(prior["id"]))
        ranked = sorted(best.values(), key=lambda item: (-item[0], item[1]["days"], item[2]))[:KEEP]
        for rank, (total, terms, prior_id) in enumerate(ranked, start=1):
            found.add(
                (int(new["id"]), prior_id, rank, total, terms["days"], json.dumps(terms, sort_keys=True))
            )
    return found


def stored(db: Database, event_ids: set[int] | None = None) -> set[Link]:
    rows = db.execute(
        "SELECT event_id, prior_event_id, rank, score, days, components FROM retaliation_links"
    ).fetchall()
    return {tuple(r) for r in rows if event_ids is None or r[0] in event_ids}  # type: ignore[misc]
