"""What the alert matcher asks of signals, inside its transaction (alerts/matching.py `_match_one`)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from signals.cases import case_story
from signals.retaliation import link_responses, relink_later


def story_for(db: Database, event: dict[str, Any]) -> int | None:
    """Store the event's retaliation links (and those of measures that may answer it), and return its
    case's story (None: use ordinary stories)."""
    link_responses(db, event)
    relink_later(db, event)
    return case_story(db, event)
