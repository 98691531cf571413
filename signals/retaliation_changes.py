"""The change log of the daily retaliation pass (migration 20): what was written since the last pass.

Triggers add a row for every change an event's links can depend on (an event, its roles or stored date; a
document's dates, text or source, or its story's members; a publisher's name; links written by someone
else). A pass reads the rows up to the newest one (`newest`), re-scores only what they reach and deletes
them (`forget`); rows added meanwhile by other writers stay for the next pass. `retaliation_state` holds
what the links were computed with, so a pass knows when only a pass over the whole window will do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlite_utils import Database

FULL_AFTER = 200_000  # log rows past which following each change costs more than one pass over the window
_CHUNK = 500


@dataclass(frozen=True)
class State:
    salt: int  # the constants links depend on (retaliation_passes._salt)
    days: int  # link_recent's `days`: which events are "recent"
    since: str  # the oldest `since` a pass has kept current: an earlier one means events not kept


@dataclass
class Changes:
    rows: int = 0
    everything: bool = False  # a publisher renamed: every stored basis text may change
    events: set[int] = field(default_factory=set)  # changed events (re-score them and whom they reach)
    documents: set[str] = field(default_factory=set)  # documents whose events' public dates may move
    links: set[int] = field(default_factory=set)  # events whose links someone else wrote or dropped


def read_state(db: Database) -> State | None:
    row = db.execute("SELECT salt, days, since FROM retaliation_state WHERE id = 1").fetchone()
    return None if row is None else State(int(row[0]), int(row[1]), str(row[2]))


def write_state(db: Database, state: State) -> None:
    """No commit here."""
    db.execute(
        "INSERT OR REPLACE INTO retaliation_state (id, salt, days, since) VALUES (1, ?, ?, ?)",
        [state.salt, state.days, state.since],
    )


def newest(db: Database) -> int:
    return int(db.execute("SELECT coalesce(max(seq), 0) FROM retaliation_changes").fetchone()[0])


def read_changes(db: Database, upto: int) -> Changes:
    """The log's rows up to `upto`, by kind (only counted when there are more than FULL_AFTER)."""
    found = Changes(rows=int(db.execute("SELECT count(*) FROM retaliation_changes WHERE seq <= ?",
                                        [upto]).fetchone()[0]))  # fmt: skip
    if found.rows == 0 or found.rows > FULL_AFTER:
        return found
    for kind, ref in db.execute(
        "SELECT DISTINCT kind, ref FROM retaliation_changes WHERE seq <= ?", [upto]
    ).fetchall():
        if kind == "all":
            found.everything = True
        elif kind == "event":
            found.events.add(int(ref))
        elif kind == "document":
            found.documents.add(str(ref))
        elif kind == "links":
            found.links.add(int(ref))
    return found


def forget(db: Database, upto: int) -> None:
    """Drop the rows a pass has handled. No commit here."""
    db.execute("DELETE FROM retaliation_changes WHERE seq <= ?", [upto])


def forget_own(db: Database, after: int, event_ids: list[int]) -> None:
    """Drop the 'links' rows the pass's own writes of `event_ids` just added (after `after`): those links are
    what the pass computed, not a change to follow. Call inside the writing transaction."""
    for first in range(0, len(event_ids), _CHUNK):
        chunk = event_ids[first : first + _CHUNK]
        db.execute(
            f"DELETE FROM retaliation_changes WHERE seq > ? AND kind = 'links' AND ref IN ({','.join('?' * len(chunk))})",
            [after, *chunk],
        )


def events_of(db: Database, document_ids: set[str]) -> set[int]:
    """The events of these documents (by the events' UNIQUE (document_id, event_type) index)."""
    return _ids_where(db, "SELECT id FROM events WHERE document_id IN ({})", document_ids)


def linked_to(db: Database, prior_ids: set[int]) -> set[int]:
    """Events holding a link to any of `prior_ids` (idx_retaliation_prior): when a prior changes or leaves,
    only the events that kept it can lose it; a candidate not kept cannot change what was kept."""
    return _ids_where(db, "SELECT event_id FROM retaliation_links WHERE prior_event_id IN ({})", prior_ids)


def _ids_where(db: Database, sql: str, values: set[int] | set[str]) -> set[int]:
    """The integer ids `sql` selects for `values`, bound in chunks ("{}" stands for the placeholders)."""
    ordered, found = sorted(values), set[int]()
    for first in range(0, len(ordered), _CHUNK):
        chunk = ordered[first : first + _CHUNK]
        found.update(int(r[0]) for r in db.execute(sql.format(",".join("?" * len(chunk))), chunk).fetchall())
    return found
