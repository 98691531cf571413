"""Signals as a producer for matching: before alerts match the queued events, store each one's retaliation
links and put a step of a known proceeding into its case's story. alerts/matching.py then finds that story
in story_members (db/stories.py `assign_story`), so every step of a case threads under its first alert."""

from __future__ import annotations

from sqlite_utils import Database

from db.store import event_views
from signals.cases import case_story
from signals.retaliation import link_responses, relink_later

BATCH = 200


def prepare_queued(db: Database) -> int:
    """Signal facts for every event waiting in alert_match_queue; returns how many events were prepared.

    Idempotent (a document already in a case keeps its story, links are replaced), so a crash between this
    and matching only repeats work. One transaction per event, like matching."""
    prepared, after = 0, -1
    while True:
        ids = [
            r[0]
            for r in db.execute(
                "SELECT event_id FROM alert_match_queue WHERE event_id > ? ORDER BY event_id LIMIT ?",
                [after, BATCH],
            ).fetchall()
        ]
        if not ids:
            return prepared
        after = ids[-1]
        marks = ",".join("?" * len(ids))
        for event in list(event_views(db, f"e.id IN ({marks})", ids)):
            with db.conn:
                link_responses(db, event)
                relink_later(db, event)  # measures published earlier that may answer this one
                case_story(db, event)
            prepared += 1
