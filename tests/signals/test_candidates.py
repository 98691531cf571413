"""Candidate searches that used to stop at a LIMIT: a case or story still inside its window but older
than the newest 2,000 cases / 500 stories must be found (real SQLite file, migrated store)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from db.records import DocumentRecord, EventRecord, SourceMeta
from db.store import open_db, store_document, upsert_source, write_events
from db.stories import assign_story
from signals.cases import _find_case
from signals.retaliation import candidates

WHEN = datetime(2025, 3, 1, 9, tzinfo=UTC)


def _add_cases(db, count: int, *, product: str, updated: datetime) -> None:
    rows = [
        ("CN", "anti_dumping", product, '["US"]', json.dumps([f"NEW-{i}"]), "t", "initiation", 1, f"d{i}",
         updated.isoformat(), (updated + timedelta(minutes=i)).isoformat())
        for i in range(count)
    ]  # fmt: skip
    with db.conn:
        db.conn.executemany(
            "INSERT INTO cases (imposing, remedy, product, targets, refs, title, stage, stage_rank,"
            " first_document_id, opened_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def _old_case(db, refs: list[str], product: str) -> int:
    with db.conn:
        cursor = db.execute(
            "INSERT INTO cases (imposing, remedy, product, targets, refs, title, stage, stage_rank,"
            " first_document_id, opened_at, updated_at) VALUES ('CN', 'anti_dumping', ?, '[\"US\"]', ?,"
            " 'old', 'initiation', 1, 'old', ?, ?)",
            [
                product,
                json.dumps(refs),
                (WHEN - timedelta(days=400)).isoformat(),
                "2020-01-01T00:00:00+00:00",
            ],
        )
    return int(cursor.lastrowid or 0)


def test_case_found_by_reference_beyond_the_newest_2000(tmp_path: Path) -> None:
    db = open_db(tmp_path / "store.db")
    old = _old_case(db, ["商务部公告2024年第1号", "AD-2024-07"], "steel")
    _add_cases(db, 2100, product="steel", updated=WHEN)
    found = _find_case(db, "CN", "anti_dumping", ["steel"], ["US"], {"AD-2024-07"}, WHEN)
    assert found == (old, "ref:AD-2024-07")
    # refs added later (UPDATE) are indexed too
    with db.conn:
        db.execute("UPDATE cases SET refs = ? WHERE id = ?", [json.dumps(["AD-2024-99"]), old])
    assert _find_case(db, "CN", "anti_dumping", ["tiles"], ["US"], {"AD-2024-99"}, WHEN) == (
        old,
        "ref:AD-2024-99",
    )
    assert _find_case(db, "CN", "anti_dumping", ["tiles"], ["US"], {"AD-2024-07"}, WHEN) == (None, "")


def test_case_found_by_key_beyond_the_newest_2000(tmp_path: Path) -> None:
    db = open_db(tmp_path / "store.db")
    old = _old_case(db, [], "gallium")
    _add_cases(db, 2100, product="steel", updated=WHEN)
    assert _find_case(db, "CN", "anti_dumping", ["gallium"], ["US"], set(), WHEN) == (old, "key")
    assert _find_case(db, "CN", "countervailing", ["gallium"], ["US"], set(), WHEN) == (None, "")


def _event(doc_id: str, when: datetime, title: str) -> dict:
    return {
        "document_id": doc_id,
        "event_type": "investigation",
        "imposing": "GB",
        "targets": ["CN"],
        "commodities": ["ceramic tiles"],
        "technologies": [],
        "title": title,
        "published": when.isoformat(),
    }


def _doc(db, i: int, when: datetime) -> str:
    doc = DocumentRecord(
        "src", f"https://example.org/{i}", f"notice {i}", "text", "en", when.isoformat(), when.isoformat()
    )
    store_document(db, doc)
    return doc.id


def test_story_found_in_window_beyond_the_newest_500(tmp_path: Path) -> None:
    db = open_db(tmp_path / "store.db")
    upsert_source(db, SourceMeta("src", "src", "GB", "en", "official"))
    backfilled = WHEN - timedelta(days=365)
    with db.conn:
        first = assign_story(db, _event(_doc(db, 0, backfilled), backfilled, "TRA opens tiles case"))
        # 600 newer stories of the same type (other subjects), all after the old one's window
        for i in range(1, 601):
            when = WHEN + timedelta(hours=i)
            event = {**_event(_doc(db, i, when), when, f"{i} unrelated measure {i * 7} published"), "commodities": [f"item {i}"],
                     "imposing": f"X{i}", "targets": [f"Y{i}"]}  # fmt: skip
            assert assign_story(db, event) != first
    assert db.execute("SELECT count(*) FROM stories").fetchone()[0] == 601
    # a late-arriving document from 3 days after the old one joins the old story
    later = backfilled + timedelta(days=3)
    with db.conn:
        joined = assign_story(db, _event(_doc(db, 700, later), later, "TRA tiles case: questionnaire"))
    assert joined == first
    # outside the 14-day window it starts a new story
    far = backfilled + timedelta(days=40)
    with db.conn:
        assert assign_story(db, _event(_doc(db, 701, far), far, "TRA tiles case: final")) != first


def test_retaliation_candidates_use_the_window_and_carry_no_text(tmp_path: Path) -> None:
    db = open_db(tmp_path / "store.db")
    upsert_source(db, SourceMeta("src", "src", "XX", "en", "official"))
    ids = {}
    for name, days_before in (("inside", 10), ("edge", 89), ("outside", 91), ("after", -1)):
        when = WHEN - timedelta(days=days_before)
        doc = DocumentRecord("src", f"https://example.org/{name}", name, "long text " * 500, "en",
                             when.isoformat(), when.isoformat())  # fmt: skip
        store_document(db, doc)
        write_events(db, doc.id, [EventRecord("tariff", 0.9, "restrictive", "CN", "announced", ["US"])], "t")
        ids[name] = doc.id
    new = {"id": -1, "document_id": "new", "imposing": "US", "targets": ["CN"], "published": WHEN.isoformat()}
    found = candidates(db, new)
    assert sorted(r["title"] for r in found) == ["edge", "inside"]
    assert all("text" not in r for r in found)
