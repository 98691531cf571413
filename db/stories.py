"""Stories: documents about the same measure, so later ones become thread replies instead of new alerts.

An event joins a story when the story has the same event type (export controls and entity listings count as
one: a rule package often adds entities and licence requirements on the same day) and imposing country, was
last seen within the window, and shares a target, commodity or technology; or when its title nearly duplicates the story's
(the same notice re-published by another outlet). Otherwise it starts a new story.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

NEAR_DUPLICATE = 0.8
# Event types whose stories are shared: the entity-list rule and the licensing rule of one technology-control
# package are one story for an analyst (one alert, the other threaded under it).
_TECH_CONTROLS = ("export_control", "entity_listing")


def story_types(event_type: str) -> tuple[str, ...]:
    return _TECH_CONTROLS if event_type in _TECH_CONTROLS else (event_type,)


_WORD = re.compile(r"\w+", re.UNICODE)


def story_keys(event: dict[str, Any]) -> set[str]:
    return (
        {f"target:{c}" for c in event.get("targets") or []}
        | {f"commodity:{c}" for c in event.get("commodities") or []}
        | {f"technology:{t}" for t in event.get("technologies") or []}
    )


def title_similarity(a: str, b: str) -> float:
    """Jaccard similarity of word sets, or of character bigrams for text without spaces (Chinese)."""

    def tokens(text: str) -> set[str]:
        words = _WORD.findall(text.casefold())
        if len(words) <= 2 and len(text) > 8:  # CJK: one long "word"
            joined = "".join(words)
            return {joined[i : i + 2] for i in range(len(joined) - 1)}
        return set(words)

    left, right = tokens(a or ""), tokens(b or "")
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def event_time(event: dict[str, Any]) -> datetime:
    return parse_time(event.get("published")) or parse_time(event.get("fetched")) or datetime.now(UTC)


def assign_story(db: Database, event: dict[str, Any], *, window_days: int = 14) -> int:
    """The story id for this event, creating or extending a story. Call inside the caller's transaction."""
    known = db.execute(
        "SELECT story_id FROM story_members WHERE document_id = ? AND event_type = ?",
        [event["document_id"], event["event_type"]],
    ).fetchone()
    if known:
        return int(known[0])  # re-tagged document: keep its story (and so its thread)
    when = event_time(event)
    keys = story_keys(event)
    story_id = _find_story(db, event, keys, when, window_days)
    stamp = when.isoformat()
    if story_id is None:
        story_id = create_story(db, event, keys, stamp)
    else:
        row = db.execute("SELECT keys, last_seen FROM stories WHERE id = ?", [story_id]).fetchone()
        merged = sorted(set(json.loads(row[0])) | keys)
        last_seen = max(parse_time(row[1]) or when, when).isoformat()
        db.execute(
            "UPDATE stories SET keys = ?, last_seen = ? WHERE id = ?",
            [json.dumps(merged), last_seen, story_id],
        )
    add_member(db, story_id, event)
    return story_id


def create_story(db: Database, event: dict[str, Any], keys: set[str], stamp: str) -> int:
    """A new story whose first document is the event's. Call inside the caller's transaction."""
    cursor = db.execute(
        "INSERT INTO stories (event_type, imposing, keys, title, first_document_id, first_seen,"
        " last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            event["event_type"],
            event.get("imposing"),
            json.dumps(sorted(keys)),
            str(event.get("title") or ""),
            event["document_id"],
            stamp,
            stamp,
        ],
    )
    return int(cursor.lastrowid or 0)


def add_member(db: Database, story_id: int, event: dict[str, Any]) -> None:
    db.execute(
        "INSERT OR IGNORE INTO story_members (story_id, document_id, event_type, added_at)"
        " VALUES (?, ?, ?, ?)",
        [story_id, event["document_id"], event["event_type"], datetime.now(UTC).isoformat()],
    )


def _find_story(
    db: Database, event: dict[str, Any], keys: set[str], when: datetime, window_days: int
) -> int | None:
    window = timedelta(days=window_days)
    # Every story of the type whose last_seen lies in the window, by index (idx_stories_window, migration
    # 11), with no cap. last_seen strings carry the publisher's offset, so the string range is widened by a
    # day (offsets are under 15 h) and the exact window is applied below.
    slack = window + timedelta(days=1)
    types = story_types(event["event_type"])
    marks = ",".join("?" * len(types))
    rows = db.execute(
        f"SELECT id, imposing, keys, title, last_seen FROM stories WHERE event_type IN ({marks})"
        " AND last_seen >= ? AND last_seen <= ? ORDER BY last_seen DESC",
        [*types, (when - slack).isoformat(), (when + slack).isoformat()],
    ).fetchall()
    best: tuple[float, int] | None = None
    for story_id, imposing, story_keys_json, title, last_seen in rows:
        seen = parse_time(last_seen)
        if seen is None or abs(when - seen) > window:
            continue
        if imposing == event.get("imposing") and keys & set(json.loads(story_keys_json)):
            score = 1.0 + len(keys & set(json.loads(story_keys_json)))
        elif title_similarity(title, str(event.get("title") or "")) >= NEAR_DUPLICATE:
            score = 1.0
        else:
            continue
        if best is None or score > best[0]:
            best = (score, int(story_id))
    return best[1] if best else None
