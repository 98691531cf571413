"""The daily retaliation pass follows the change log (migration 20): on a real store of a few hundred
events, a change re-scores exactly the events it reaches (computed here by brute force: the changed event,
the events that kept it as a link, the recent events whose window holds it now), a pass with nothing new
writes nothing, and after edits, deletions, re-tagging and other writers' links the kept links equal the
plain computation (tests/signals/retaliation_oracle.py) and a pass from scratch."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

import signals.retaliation_passes as passes
from db.store import event_views, open_db, write_events
from db.stories import add_member, create_story
from signals.public_date import first_public
from signals.retaliation import WINDOW_DAYS, link_responses
from signals.retaliation_passes import link_recent
from tests.signals import retaliation_oracle as oracle
from tests.signals.test_retaliation_pass import NOW, _add, _restrictive, random_store


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return random_store(tmp_path / "store.db", 200, seed=41, story_seed=43)


@pytest.fixture
def rescored(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[set[int]]]:
    """The events each pass hands to scoring, one set per pass."""
    seen: list[set[int]] = []
    real = passes._link_pass

    def spy(db: Database, events: list[dict[str, Any]], table: Any, window_days: int) -> int:
        seen[-1].update(int(e["id"]) for e in events)
        return real(db, events, table, window_days)

    monkeypatch.setattr(passes, "_link_pass", spy)
    yield seen


def _pass(db: Database, seen: list[set[int]]) -> set[int]:
    seen.append(set())
    link_recent(db)
    assert oracle.stored(db, _recent(db)) == oracle.links(db, _recent(db))
    assert db.execute("SELECT count(*) FROM retaliation_changes").fetchone()[0] == 0
    return seen[-1]


def _events(db: Database) -> dict[int, dict[str, Any]]:
    found = {}
    for event in event_views(db, "e.direction = 'restrictive'"):
        row = dict(event)
        row["public"] = first_public(db, row)
        row["date"] = str(row["published"] if row["published"] is not None else row["fetched"])
        found[int(row["id"])] = row
    return found


def _recent(db: Database) -> set[int]:
    since = (datetime.now(UTC) - timedelta(days=WINDOW_DAYS)).isoformat()
    return {i for i, e in _events(db).items() if e["date"] >= since}


def _kept(db: Database, prior_ids: set[int]) -> set[int]:
    return {link[0] for link in oracle.stored(db) if link[1] in prior_ids}


def _reach(db: Database, changed: set[int], kept: set[int]) -> set[int]:
    """By brute force: the recent restrictive events among the changed ones, those that kept one of them
    as a link (`kept`, read before the change) and those whose window holds one as it is now."""
    events, recent = _events(db), _recent(db)
    found = (changed | kept) & recent
    for x in (events[i] for i in changed if i in events):
        for y_id in recent:
            y = events[y_id]
            pair = y["imposing"] in x["targets"] and x["imposing"] in y["targets"]
            if pair and y["public"].when - timedelta(days=WINDOW_DAYS) <= x["public"].when < y["public"].when:
                found.add(y_id)
    return found


def _ids(db: Database, document_id: str) -> set[int]:
    return {int(r[0]) for r in db.execute("SELECT id FROM events WHERE document_id = ?", [document_id])}


def test_a_pass_with_nothing_new_writes_nothing(db: Database, rescored: list[set[int]]) -> None:
    first = _pass(db, rescored)
    assert first == _recent(db) and len(first) > 40  # the store's first pass: the whole window
    changes = db.conn.total_changes
    assert _pass(db, rescored) == set()
    assert db.conn.total_changes == changes
    assert link_recent(db) == 0


def test_a_changed_event_re_scores_exactly_what_it_reaches(db: Database, rescored: list[set[int]]) -> None:
    t = NOW - timedelta(days=12)
    answer = _add(db, "answer", t, [_restrictive("US", ["CN"], "export_control", ["gallium"])])
    cause = _add(
        db, "cause", t - timedelta(days=3), [_restrictive("CN", ["US"], "export_control", ["steel"])]
    )
    _pass(db, rescored)
    (x,) = _ids(db, cause)
    kept = _kept(db, {x})
    # one commodity more on the cause: only its own links and its answers' can move
    with db.conn:
        db.execute("INSERT INTO event_commodities (event_id, commodity) VALUES (?, 'gallium')", [x])
    again = _pass(db, rescored)
    assert again == _reach(db, {x}, kept)
    assert _ids(db, answer) <= again and len(again) < len(_recent(db)) // 2
    assert any(link[1] == x for link in oracle.stored(db, _ids(db, answer)))
    # the answer itself changed: it and the events that answer it
    (y,) = _ids(db, answer)
    kept = _kept(db, {y})
    with db.conn:
        db.execute("DELETE FROM event_targets WHERE event_id = ? AND country = 'CN'", [y])
        db.execute("INSERT INTO event_targets (event_id, country) VALUES (?, 'JP')", [y])
    assert _pass(db, rescored) == _reach(db, {y}, kept)
    assert not oracle.stored(db, {y}) or all(link[1] != x for link in oracle.stored(db, {y}))


def test_deletions_and_re_tagging_re_score_the_events_that_kept_them(
    db: Database, rescored: list[set[int]]
) -> None:
    t = NOW - timedelta(days=20)
    answer = _add(db, "answer", t, [_restrictive("US", ["CN"], "entity_listing", [], ["drones"])])
    late = _add(
        db, "late", t - timedelta(days=4), [_restrictive("CN", ["US"], "entity_listing", [], ["drones"])]
    )
    _pass(db, rescored)
    old = _ids(db, late)
    assert {link[1] for link in oracle.stored(db, _ids(db, answer))} & old
    kept = _kept(db, old)
    # re-tagged: new event ids, the old ones deleted with their links (cascade)
    write_events(db, late, [_restrictive("CN", ["JP"], "entity_listing", [], ["drones"])], "test")
    new = _ids(db, late)
    assert _pass(db, rescored) == _reach(db, old | new, kept)
    assert not {link[1] for link in oracle.stored(db, _ids(db, answer))} & (old | new)
    write_events(db, late, [_restrictive("CN", ["US"], "entity_listing", [], ["drones"])], "test")
    _pass(db, rescored)
    old = _ids(db, late)
    kept = _kept(db, old)
    assert kept
    with db.conn:
        db.execute("DELETE FROM documents WHERE id = ?", [late])
    assert _pass(db, rescored) == _reach(db, old, kept)


def test_other_writers_links_and_renamed_publishers(db: Database, rescored: list[set[int]]) -> None:
    _pass(db, rescored)
    recent = sorted(_recent(db))
    one = next(i for i in recent if oracle.stored(db, {i}))
    with db.conn:  # an alert's matching stores one event's links: only that event is looked at again
        (event,) = event_views(db, "e.id = ?", [one])
        link_responses(db, dict(event))
    assert _pass(db, rescored) == {one}
    with db.conn:  # a deleted link (as by hand): re-scored and back
        db.execute("DELETE FROM retaliation_links WHERE event_id = ? AND rank = 1", [one])
    assert _pass(db, rescored) == {one}
    with db.conn:  # every basis text may name the publisher: the whole window
        db.execute("UPDATE sources SET publisher = 'Trade wire' WHERE slug = 'news_wire'")
    assert _pass(db, rescored) == set(recent)
    assert any("Trade wire" in link[5] for link in oracle.stored(db))


def test_a_story_gaining_an_earlier_report_re_dates_its_members(
    db: Database, rescored: list[set[int]]
) -> None:
    t = NOW - timedelta(days=8)
    report = _add(db, "report", t, [_restrictive("CN", ["US"], "tariff", ["pork"])])
    _add(db, "answer", t + timedelta(days=2), [_restrictive("US", ["CN"], "tariff", ["pork"])])
    _pass(db, rescored)
    early = _add(db, "early", t - timedelta(days=5), [_restrictive("JP", ["EU"], "tariff", ["pork"])])
    _pass(db, rescored)
    moved = _ids(db, report)
    kept = _kept(db, moved)
    with db.conn:
        (first,) = event_views(db, "e.document_id = ?", [early])
        story = create_story(db, first, set(), first["published"])
        add_member(db, story, first)
        (member,) = event_views(db, "e.document_id = ?", [report])
        add_member(db, story, member)
    assert _pass(db, rescored) == _reach(db, moved | _ids(db, early), kept)


def _scratch(db: Database, path: Path) -> set[oracle.Link]:
    """The recent events' links of a pass from nothing, on a copy."""
    copy = sqlite3.connect(path)
    db.conn.backup(copy)
    copy.close()
    fresh = open_db(path)
    with fresh.conn:
        for table in ("retaliation_links", "retaliation_inputs", "retaliation_state", "retaliation_changes"):
            fresh.execute(f"DELETE FROM {table}")
    link_recent(fresh)
    return oracle.stored(fresh, _recent(fresh))


def test_the_kept_links_equal_a_pass_from_scratch(
    db: Database, rescored: list[set[int]], tmp_path: Path
) -> None:
    rng = random.Random(7)
    _pass(db, rescored)
    for day in range(4):
        docs = [str(r[0]) for r in db.execute("SELECT id FROM documents ORDER BY id").fetchall()]
        for i in range(6):  # new measures, some dated weeks back
            when = NOW - timedelta(days=rng.choice([0, 1, 3, 30, 100]), hours=rng.randint(0, 20))
            imposing, target = rng.sample(["CN", "US", "EU", "JP"], 2)
            _add(
                db,
                f"new-{day}-{i}",
                when,
                [_restrictive(imposing, [target], "tariff", [rng.choice(["steel", "pork"])])],
            )
        victim, retag = rng.sample(docs, 2)
        with db.conn:
            db.execute("DELETE FROM documents WHERE id = ?", [victim])
        write_events(db, retag, [_restrictive("US", ["CN", "EU"], "export_control", ["gallium"])], "test")
        assert len(_pass(db, rescored)) < len(_recent(db))
    assert _scratch(db, tmp_path / "scratch.db") == oracle.stored(db, _recent(db))
