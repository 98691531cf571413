"""The escalation index stored as change points and updated from the last computed day must give exactly
the rows of the from-scratch daily computation (real SQLite file, migrated store)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from sqlite_utils import Database

from db.records import DocumentRecord, EventRecord, SourceMeta
from db.store import open_db, store_document, upsert_source, write_events
from signals.escalation import compute_index, contributions, series, stored_series, top_pairs

COUNTRIES = ["CN", "US", "JP", "EU"]
START = date(2024, 1, 1)


def _add(db: Database, rng: random.Random, n: int, first: int, days: range) -> None:
    for i in range(first, first + n):
        day = START + timedelta(days=rng.choice(days))
        imposing, target = rng.sample(COUNTRIES, 2)
        doc = DocumentRecord("src", f"https://example.org/{i}", f"measure {i}", "t", "en",
                             f"{day.isoformat()}T09:00:00+00:00", f"{day.isoformat()}T10:00:00+00:00")  # fmt: skip
        store_document(db, doc)
        events = [
            EventRecord(
                rng.choice(["tariff", "export_control", "investigation"]),
                round(rng.uniform(0.3, 0.99), 3),
                "liberalizing" if rng.random() < 0.15 else "restrictive",
                imposing,
                rng.choice(["announced", "proposed", "in_force"]),
                [target],
            )
        ]
        write_events(db, doc.id, events, "t")


def _assert_equal_to_scratch(db: Database, until: date) -> int:
    pairs = contributions(db)
    daily_rows = 0
    for (imposing, target), items in pairs.items():
        expected = series(items, until)
        assert stored_series(db, imposing, target) == expected, (imposing, target)
        daily_rows += len(expected)
        middle = expected[len(expected) // 2]["day"]
        assert stored_series(db, imposing, target, since=middle) == [
            r for r in expected if r["day"] >= middle
        ]
    peaks = sorted(
        ((i, t, max(r["value"] for r in series(items, until))) for (i, t), items in pairs.items()),
        key=lambda p: (-p[2], p[0], p[1]),
    )
    assert top_pairs(db, limit=5) == peaks[:5]
    return daily_rows


def test_change_points_reconstruct_the_daily_index_across_incremental_updates(tmp_path: Path) -> None:
    db = open_db(tmp_path / "store.db")
    upsert_source(db, SourceMeta("src", "src", "XX", "en", "official"))
    rng = random.Random(5)
    _add(db, rng, 120, 0, range(0, 300))  # sparse: most pair-days are quiet
    first_until = START + timedelta(days=320)
    compute_index(db, until=first_until)
    daily_rows = _assert_equal_to_scratch(db, first_until)
    stored = db.execute("SELECT count(*) FROM escalation_points").fetchone()[0]
    assert stored < daily_rows / 3  # change points, not a row per pair per day

    # The next days: a pass with nothing new, then new documents, then a late one dated in the past.
    compute_index(db, until=first_until + timedelta(days=1))
    _assert_equal_to_scratch(db, first_until + timedelta(days=1))
    _add(db, rng, 10, 1000, range(321, 330))
    _add(db, rng, 6, 1500, range(332, 333))  # on the last computed day: it must stay live when resuming
    compute_index(db, until=first_until + timedelta(days=12))
    _assert_equal_to_scratch(db, first_until + timedelta(days=12))
    compute_index(db, until=first_until + timedelta(days=12 + 200))  # long enough for them to age out
    _assert_equal_to_scratch(db, first_until + timedelta(days=12 + 200))
    _add(db, rng, 3, 2000, range(10, 50))
    compute_index(db, until=first_until + timedelta(days=213))
    _assert_equal_to_scratch(db, first_until + timedelta(days=213))
    # a pass for an earlier day than the last one recomputes rather than extending
    compute_index(db, until=first_until)
    _assert_equal_to_scratch(db, first_until)


def test_resumed_pass_writes_only_the_new_days(tmp_path: Path) -> None:
    db = open_db(tmp_path / "store.db")
    upsert_source(db, SourceMeta("src", "src", "XX", "en", "official"))
    _add(db, random.Random(9), 200, 0, range(0, 200))
    until = START + timedelta(days=200)
    full = compute_index(db, until=until)
    assert compute_index(db, until=until) == 0  # nothing new, same day: nothing to do
    pairs = len(contributions(db))
    # one quiet day more: at most one point per pair (a top contributor ageing out), far fewer than full
    assert compute_index(db, until=until + timedelta(days=1)) <= pairs < full
