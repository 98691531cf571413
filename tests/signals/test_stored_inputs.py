"""What the daily retaliation pass keeps between runs (migration 19) stays true to the store: the stored
public dates (document_public) and the digests of each event's inputs (retaliation_inputs). After every
kind of change (an edited text, a story gaining an earlier report, a late measure, a deleted document, a
re-tagged document, a renamed publisher) the next pass stores exactly the plain links of
tests/signals/retaliation_oracle.py; near-ties beyond the five kept links survive the first cut."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlite_utils import Database

from db.event_scan import DOC_DATE
from db.records import DocumentRecord, SourceMeta
from db.store import event_views, open_db, store_document, upsert_source, write_events
from db.stories import add_member, create_story
from signals.public_date import described, first_public
from signals.retaliation import link_responses
from signals.retaliation_passes import link_recent
from tests.signals import retaliation_oracle as oracle
from tests.signals.test_retaliation_pass import NOW, _add, _restrictive, random_store


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return random_store(tmp_path / "store.db", 150, seed=19, story_seed=23)


def _recent(db: Database) -> set[int]:
    since = (datetime.now(UTC) - timedelta(days=90)).isoformat()
    sql = f"SELECT e.id FROM events e JOIN documents d ON d.id = e.document_id WHERE {DOC_DATE} >= ?"
    return {int(r[0]) for r in db.execute(sql, [since]).fetchall()}


def _pass_matches_the_oracle(db: Database) -> set[oracle.Link]:
    link_recent(db)
    stored = oracle.stored(db, _recent(db))
    assert stored == oracle.links(db, _recent(db))
    return stored


def _cached(db: Database, document_id: str) -> tuple[str, str, str | None] | None:
    row = db.execute(
        "SELECT public, basis, source FROM document_public WHERE document_id = ?", [document_id]
    ).fetchone()
    return None if row is None else (row[0], row[1], row[2])


def _edit(db: Database, key: str, published: datetime, text: str) -> str:
    """Store the document of `_add(db, key, ...)` again with a new text (a changed page)."""
    doc = DocumentRecord("us_federal_register", f"https://example.org/{key}", f"notice {key}", text, "en",
                         published.isoformat(), published.astimezone(UTC).isoformat())  # fmt: skip
    assert store_document(db, doc) == "changed"
    return doc.id


def test_stored_public_dates_are_first_public(db: Database) -> None:
    _pass_matches_the_oracle(db)
    rows = db.execute("SELECT document_id, public, basis, source FROM document_public").fetchall()
    assert len(rows) > 100
    bases = set()
    for doc, public, basis, source in rows:
        event = next(event_views(db, "e.document_id = ?", [doc]))
        stored = described(db, datetime.fromisoformat(public), basis, source)
        assert stored == first_public(db, event)
        bases.add(basis)
    assert bases == {"own", "filed", "signed", "story"}
    # a second pass with nothing new computes nothing: every recent event keeps its digest
    digests = db.execute("SELECT event_id, digest FROM retaliation_inputs ORDER BY event_id").fetchall()
    assert len(digests) == len(_recent(db) & {r[0] for r in digests}) > 50
    assert _pass_matches_the_oracle(db)
    assert (
        db.execute("SELECT event_id, digest FROM retaliation_inputs ORDER BY event_id").fetchall() == digests
    )


def test_an_edited_text_is_dated_again(db: Database) -> None:
    t = NOW - timedelta(days=10)
    answer = _add(db, "answer", t, [_restrictive("US", ["CN"], "export_control", ["gallium"])])
    cause = _add(db, "cause", t + timedelta(days=2), [_restrictive("CN", ["US"], "export_control", ["gallium"])],
                 "Rule.", "us_federal_register")  # fmt: skip
    before = _pass_matches_the_oracle(db)
    assert _cached(db, cause) is not None and _cached(db, answer) is not None
    assert not any(link[1] in _event_ids(db, cause) for link in before if link[0] in _event_ids(db, answer))
    # the rule's page now shows it went on public inspection 3 days before the answer
    filed = (t - timedelta(days=3)).astimezone(ZoneInfo("America/New_York"))
    _edit(
        db,
        "cause",
        t + timedelta(days=2),
        f"Rule.\n[FR Doc. 2025-1 Filed {filed.month}-{filed.day}-{filed.year % 100}; 4:15 pm]",
    )
    assert _cached(db, cause) is None  # dropped by the trigger, recomputed by the next reader
    after = _pass_matches_the_oracle(db)
    assert any(link[1] in _event_ids(db, cause) for link in after if link[0] in _event_ids(db, answer))
    assert _cached(db, cause) is not None and _cached(db, cause)[1] == "filed"  # type: ignore[index]


def _event_ids(db: Database, document_id: str) -> set[int]:
    return {int(r[0]) for r in db.execute("SELECT id FROM events WHERE document_id = ?", [document_id])}


def test_a_story_gaining_an_earlier_report_dates_its_members_again(db: Database) -> None:
    t = NOW - timedelta(days=6)
    late = _add(db, "late-report", t, [_restrictive("CN", ["US"], "tariff", ["pork"])], source="news_wire")
    _pass_matches_the_oracle(db)
    assert _cached(db, late) == (t.astimezone(UTC).isoformat(), "own", "news_wire")
    early = _add(db, "early-report", t - timedelta(days=4), [_restrictive("CN", ["US"], "tariff", ["pork"])],
                 source="cn_mofcom")  # fmt: skip
    with db.conn:
        (first,) = event_views(db, "e.document_id = ?", [late])
        story = create_story(db, first, set(), t.isoformat())
        add_member(db, story, first)
        (other,) = event_views(db, "e.document_id = ?", [early])
        add_member(db, story, other)
    assert _cached(db, late) is None
    _pass_matches_the_oracle(db)
    assert _cached(db, late) == ((t - timedelta(days=4)).astimezone(UTC).isoformat(), "story", "cn_mofcom")


def test_late_measures_deletions_and_re_tagging_reach_the_links(db: Database) -> None:
    t = NOW - timedelta(days=5)
    answer = _add(db, "answer", t, [_restrictive("US", ["CN"], "entity_listing", [], ["drones"])])
    before = _pass_matches_the_oracle(db)
    # a measure of 20 days earlier crawled only now (dated by its own date)
    late = _add(
        db, "late", t - timedelta(days=20), [_restrictive("CN", ["US"], "entity_listing", [], ["drones"])]
    )
    after = _pass_matches_the_oracle(db)
    answers = _event_ids(db, answer)
    assert {link[1] for link in after if link[0] in answers} & _event_ids(db, late)
    assert after != before
    # re-tagged: the late measure now targets Japan only, so it answers nothing of the US
    write_events(db, late, [_restrictive("CN", ["JP"], "entity_listing", [], ["drones"])], "test")
    retagged = _pass_matches_the_oracle(db)
    assert not {link[1] for link in retagged if link[0] in answers} & _event_ids(db, late)
    # deleted: its links go with it (cascade), and the answers' digests with their links
    write_events(db, late, [_restrictive("CN", ["US"], "entity_listing", [], ["drones"])], "test")
    _pass_matches_the_oracle(db)
    with db.conn:
        db.execute("DELETE FROM documents WHERE id = ?", [late])
    assert _pass_matches_the_oracle(db) == before


def test_other_writes_to_the_links_drop_the_digest(db: Database) -> None:
    _pass_matches_the_oracle(db)
    linked = db.execute(
        "SELECT l.event_id FROM retaliation_links l JOIN retaliation_inputs i ON i.event_id = l.event_id LIMIT 2"
    ).fetchall()
    first, second = int(linked[0][0]), int(linked[1][0])
    with db.conn:
        (event,) = event_views(db, "e.id = ?", [first])
        link_responses(db, event)
        db.execute("DELETE FROM retaliation_links WHERE event_id = ? AND rank = 1", [second])
    held = {int(r[0]) for r in db.execute("SELECT event_id FROM retaliation_inputs WHERE event_id IN (?, ?)",
                                         [first, second])}  # fmt: skip
    assert held == set()
    _pass_matches_the_oracle(db)  # both recomputed: the deleted link is back


def test_a_renamed_publisher_is_said_with_its_new_name(db: Database) -> None:
    _pass_matches_the_oracle(db)
    upsert_source(db, SourceMeta("news_wire", "Wire service", "XX", "en", "news"))
    stored = _pass_matches_the_oracle(db)
    assert any("published by Wire service" in link[5] for link in stored)
    assert not any("Trade news wire" in link[5] for link in stored)


def test_near_ties_beyond_the_five_kept_are_ranked_exactly(tmp_path: Path) -> None:
    """Twenty causes whose scores differ by less than the first cut's margin (seconds apart, same subjects)
    and by nothing at all (same instant): the kept five are the plain computation's."""
    db = open_db(tmp_path / "ties.db")
    upsert_source(db, SourceMeta("news_wire", "Trade news wire", "XX", "en", "news"))
    t = NOW - timedelta(days=3)
    _add(db, "new", t, [_restrictive("US", ["CN"], "tariff", ["steel"])])
    for i in range(12):
        _add(
            db,
            f"apart-{i}",
            t - timedelta(days=2, seconds=i * 7),
            [_restrictive("CN", ["US"], "tariff", ["steel"])],
        )
    for i in range(8):
        _add(
            db,
            f"same-{i}",
            t - timedelta(days=2, seconds=40),
            [_restrictive("CN", ["US"], "tariff", ["steel"])],
        )
    stored = _pass_matches_the_oracle(db)
    assert len(stored) == 5 and len({link[3] for link in stored}) == 1  # five equal scores, by days and id
