"""The escalation index stored by change points (migration 15) on a real SQLite file: the derived daily
series equals main's from-scratch daily recursion (tests/signals/escalation_oracle.py), the incremental
pass equals a full recompute (also for late, re-tagged, case-linked and deleted documents), and the store
keeps far fewer rows than days."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from db.escalation import stored_series, top_pairs
from db.records import DocumentRecord, EventRecord
from db.store import open_db, store_document, utcnow, write_events
from signals.escalation import STAGE_WEIGHTS, TYPE_WEIGHTS
from signals.escalation_pass import compute_index
from tests.signals.escalation_oracle import daily_index

COUNTRIES = ["CN", "US", "EU", "JP", "KR"]
START, UNTIL = date(2023, 1, 1), date(2024, 6, 30)
TABLES = ("escalation_points", "escalation_contributions", "escalation_state")


@pytest.fixture
def db(tmp_path: Path) -> Database:
    store = open_db(tmp_path / "store.db")
    with store.conn:
        store.execute(
            "INSERT INTO sources (slug, publisher, jurisdiction, language, kind) VALUES"
            " ('src', 'Ministry', 'CN', 'en', 'official')"
        )
    return store


def add_document(db: Database, rng: random.Random, n: int, day: date, imposing: str | None = None) -> str:
    hour = rng.randrange(24)
    published = None if rng.random() < 0.1 else f"{day.isoformat()}T{hour:02d}:00:00+08:00"
    doc = DocumentRecord(
        source="src",
        url=f"https://example.org/{n}-{rng.random()}",
        title=f"Notice {n}",
        text="text " * 50,
        language="en",
        published=published,
        fetched=f"{day.isoformat()}T{hour:02d}:30:00+00:00",
    )
    store_document(db, doc)
    events = [
        EventRecord(
            event_type=etype,
            confidence=round(rng.uniform(0.3, 1.0), 2),
            direction="liberalizing" if rng.random() < 0.2 else "restrictive",
            imposing=imposing or rng.choice([*COUNTRIES, None]),
            stage=rng.choice([*STAGE_WEIGHTS, None]),
            targets=rng.sample(COUNTRIES, rng.randint(0, 3)),
        )
        for etype in rng.sample(sorted(TYPE_WEIGHTS), rng.randint(1, 2))
    ]
    write_events(db, doc.id, events, "test")
    return doc.id


def add_documents(db: Database, rng: random.Random, count: int, low: date, high: date) -> list[str]:
    span = (high - low).days
    return [
        add_document(db, rng, rng.randrange(10**9), low + timedelta(days=rng.randint(0, span)))
        for _ in range(count)
    ]


def link_case(db: Database, document_id: str, stage: str) -> None:
    with db.conn:
        case = db.execute(
            "INSERT INTO cases (imposing, remedy, product, title, stage, stage_rank, first_document_id, opened_at,"
            " updated_at) VALUES ('CN', 'anti_dumping', 'steel', 't', ?, 1, ?, ?, ?)",
            [stage, document_id, utcnow(), utcnow()],
        ).lastrowid
        db.execute(
            "INSERT INTO case_documents (document_id, case_id, stage, linked_by, added_at) VALUES (?, ?, ?, 'key', ?)",
            [document_id, case, stage, utcnow()],
        )


def tables(db: Database) -> dict[str, list[Any]]:
    return {
        t: db.execute(f"SELECT * FROM {t} ORDER BY 1, 2, 3").fetchall()
        for t in TABLES
        if t != "escalation_state"
    } | {
        "escalation_state": db.execute(
            "SELECT imposing, target, first_day, last_day, last_value, through FROM escalation_state ORDER BY 1, 2"
        ).fetchall()
    }


def assert_matches_oracle(db: Database, until: date) -> None:
    expected = daily_index(db, until)
    pairs = {tuple(r) for r in db.execute("SELECT imposing, target FROM escalation_state").fetchall()}
    assert pairs == set(expected)
    for (imposing, target), rows in expected.items():
        got = stored_series(db, imposing, target)
        assert [r["day"] for r in got] == [r["day"] for r in rows]
        for mine, old in zip(got, rows, strict=True):
            assert mine["value"] == pytest.approx(old["value"], abs=1.01e-4), mine["day"]
            assert mine["added"] == pytest.approx(old["added"], abs=1.01e-4)
            assert mine["change_7d"] == pytest.approx(old["change_7d"], abs=0.0201)
            assert [t["weight"] for t in mine["top"]] == pytest.approx(
                [t["weight"] for t in old["top"]], abs=1.01e-3
            )
            if len({t["weight"] for t in old["top"]}) == len(old["top"]) and len(old["top"]) < 3:
                assert mine["top"] == old["top"]  # no ties to order differently: the same documents
        view = db.execute(
            "SELECT day, value, added, change_7d FROM escalation_index WHERE imposing = ? AND target = ?"
            " ORDER BY day",
            [imposing, target],
        ).fetchall()
        assert [r[0] for r in view] == [r["day"] for r in got]
        for (_day, value, added, change), mine in zip(view, got, strict=True):
            # SQLite's round() and Python's may differ by one unit in the last place kept
            assert (value, added) == pytest.approx((mine["value"], mine["added"]), abs=1.01e-4)
            assert change == pytest.approx(mine["change_7d"], abs=0.0101)


def test_series_derived_from_points_equals_the_daily_recursion(db: Database) -> None:
    rng = random.Random(16)
    ids = add_documents(
        db, rng, 300, START, UNTIL + timedelta(days=20)
    )  # some after `until`: not yet counted
    for doc in rng.sample(ids, 20):
        link_case(db, doc, rng.choice(["initiation", "final", "lifted", "expiry"]))
    written = compute_index(db, until=UNTIL)
    assert_matches_oracle(db, UNTIL)
    days = sum(len(rows) for rows in daily_index(db, UNTIL).values())
    stored = sum(
        db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("escalation_points", "escalation_state")
    )
    assert written == db.execute("SELECT count(*) FROM escalation_points").fetchone()[0]
    assert stored * 5 < days  # a few hundred points against thousands of daily rows
    # peaks are points; the top pairs agree with the daily series
    expected = daily_index(db, UNTIL)
    peaks = sorted(((-max(r["value"] for r in rows), pair) for pair, rows in expected.items()))[:3]
    assert [(i, t) for i, t, _ in top_pairs(db, 3)] == [pair for _peak, pair in peaks]
    since = "2024-03-01"
    late = {pair: max(r["value"] for r in rows if r["day"] >= since) for pair, rows in expected.items()}
    assert {(i, t): p for i, t, p in top_pairs(db, 99, since=since)} == pytest.approx(late, abs=1.01e-4)


def test_incremental_passes_equal_a_full_recompute(db: Database, tmp_path: Path) -> None:
    rng = random.Random(5)
    add_documents(db, rng, 150, START, UNTIL)
    compute_index(db, until=UNTIL)
    day = UNTIL
    for _ in range(3):  # the daily job: a few new documents dated the last days, then the next day's pass
        add_documents(db, rng, 10, day - timedelta(days=2), day + timedelta(days=1))
        day += timedelta(days=1)
        compute_index(db, until=day)
    compute_index(db, until=day + timedelta(days=10))  # quiet days only extend `through`
    incremental = tables(db)
    compute_index(db, until=day + timedelta(days=10), full=True)
    assert tables(db) == incremental
    assert_matches_oracle(db, day + timedelta(days=10))


def test_late_retagged_case_linked_and_deleted_documents(db: Database) -> None:
    rng = random.Random(7)
    ids = add_documents(db, rng, 150, START, UNTIL)
    compute_index(db, until=UNTIL)
    # late arrivals: published long ago, tagged now, on an existing pair and on a pair never seen
    add_document(db, rng, 1, UNTIL - timedelta(days=200), imposing="US")
    late = DocumentRecord(
        "src", "https://example.org/late", "Late", "x", "en", "2023-03-05T09:00:00+01:00", utcnow()
    )
    store_document(db, late)
    write_events(db, late.id, [EventRecord("tariff", 0.9, "restrictive", "BR", "in_force", ["AR"])], "test")
    # a re-tag that moves a document to another imposing country; a case link; a deletion
    moved = next(
        i
        for i in ids
        if db.execute("SELECT 1 FROM escalation_contributions WHERE document_id = ?", [i]).fetchone()
    )
    write_events(
        db, moved, [EventRecord("export_control", 0.8, "restrictive", "KR", "announced", ["JP"])], "test"
    )
    link_case(db, ids[3], "final")
    gone = next(
        i
        for i in reversed(ids)
        if db.execute("SELECT 1 FROM escalation_contributions WHERE document_id = ?", [i]).fetchone()
    )
    with db.conn:
        db.execute("DELETE FROM documents WHERE id = ?", [gone])
    assert db.execute("SELECT count(*) FROM escalation_stale").fetchone()[0] > 0
    compute_index(db, until=UNTIL)
    assert ("BR", "AR") in {(i, t) for i, t, _ in top_pairs(db, 99)}
    assert db.execute("SELECT count(*) FROM escalation_stale").fetchone()[0] == 0
    incremental = tables(db)
    compute_index(db, until=UNTIL, full=True)
    assert tables(db) == incremental
    assert_matches_oracle(db, UNTIL)
