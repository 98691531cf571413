"""Summary tables of migration 10 and the stored queries rewritten for scale (issue 9): after any sequence
of writes, they return exactly what the straightforward queries over the base tables return."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from db import migrations, open_db, queries
from db.bulk import insert_documents, write_events_many
from db.queries import EventFilter, monthly_counts_by_type, pair_counts, top_items
from db.records import DocumentRecord, EventRecord, SourceMeta
from db.store import store_document, upsert_source, write_events
from research import canned

COUNTRIES = ["CN", "US", "EU", "JP", "", None]  # '' and NULL imposing must stay apart
TYPES = ["export_control", "tariff", "entity_listing", "none"]
ITEMS = ["gallium", "germanium", "semiconductors", "rare earths"]
FILTERS = [
    EventFilter(),
    EventFilter(types=["tariff", "none"]),
    EventFilter(imposing=["cn", "us"]),
    EventFilter(since="2024-03", until="2024-06"),  # month bounds: still the summaries
    EventFilter(since="2024"),
    EventFilter(since="2024-03-15", until="2024-05-02T12"),  # finer: the events
    EventFilter(targets=["US"], types=["tariff"]),
]
PAIRS = [("", ""), ("cn", ""), (" CN ", "us"), ("", "US"), ("JP", "EU"), ("XX", "")]
SEARCHED = ["gallium", "GERMAN", "semi", "rare earths", "e", "", "nothing"]
FEW_ITEM_ROWS = 3000  # research/canned.py: more matches than this are read in date order

# The same summaries, computed from the base tables.
MONTH = "substr(coalesce(d.published, d.fetched), 1, 7)"
BASE = {
    "event_month_counts": f"""
        SELECT {MONTH}, e.event_type, e.imposing, count(*)
        FROM events e JOIN documents d ON d.id = e.document_id
        WHERE e.event_type != 'none' GROUP BY 1, 2, 3""",
    "event_pair_counts": f"""
        SELECT {MONTH}, e.imposing, t.country, e.event_type, count(*)
        FROM events e JOIN documents d ON d.id = e.document_id JOIN event_targets t ON t.event_id = e.id
        WHERE e.event_type != 'none' GROUP BY 1, 2, 3, 4""",
    "event_dates": """
        SELECT coalesce(d.published, d.fetched), e.id, e.event_type, e.imposing
        FROM events e JOIN documents d ON d.id = e.document_id""",
    "event_items": """
        SELECT coalesce(d.published, d.fetched), e.id, m.kind, m.name FROM (
            SELECT event_id, 'commodity' AS kind, commodity AS name FROM event_commodities
            UNION ALL SELECT event_id, 'technology', technology FROM event_technologies
        ) m JOIN events e ON e.id = m.event_id JOIN documents d ON d.id = e.document_id""",
    "event_item_counts": """
        SELECT m.kind, m.name, count(*) FROM (
            SELECT event_id, 'commodity' AS kind, commodity AS name FROM event_commodities
            UNION ALL SELECT event_id, 'technology', technology FROM event_technologies
        ) m JOIN events e ON e.id = m.event_id JOIN documents d ON d.id = e.document_id GROUP BY 1, 2""",
}
STORED = {
    "event_month_counts": "SELECT month, event_type, imposing, n FROM event_month_counts",
    "event_pair_counts": "SELECT month, imposing, target, event_type, n FROM event_pair_counts",
    "event_dates": "SELECT date, event_id, event_type, imposing FROM event_dates",
    "event_items": "SELECT date, event_id, kind, name FROM event_items",
    "event_item_counts": "SELECT kind, name, n FROM event_item_counts",
}
# The ten newest alerts of each watchlist, as the console asked for them before (a window over all alerts).
LATEST_ALERTS = """
    SELECT watchlist, created_at, status, channel, event_type, title, url, slack_ts FROM (
        SELECT a.watchlist, a.created_at, a.status, a.channel, e.event_type, d.title, d.url, a.slack_ts,
            row_number() OVER (PARTITION BY a.watchlist ORDER BY a.created_at DESC, a.id DESC) AS rank
        FROM alerts a JOIN documents d ON d.id = a.document_id LEFT JOIN events e ON e.id = a.event_id
    ) WHERE rank <= 10 ORDER BY watchlist, created_at DESC"""


def _rows(db: Database, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in db.execute(sql, params).fetchall()]


def _doc(rng: random.Random, i: int, **overrides: Any) -> DocumentRecord:
    day = f"2024-{rng.randint(1, 7):02d}-{rng.randint(1, 28):02d}"
    fields: dict[str, Any] = dict(
        source="src",
        url=f"https://example.org/{i}",
        title=f"Notice {i}",
        text=f"Text {i}",
        language="en",
        published=None if rng.random() < 0.2 else f"{day}T09:00:00+00:00",  # undated: counted when fetched
        fetched=f"{day}T10:00:00+00:00",
    )
    fields.update(overrides)
    return DocumentRecord(**fields)


def _events(rng: random.Random) -> list[EventRecord]:
    return [
        EventRecord(
            event_type=etype,
            confidence=0.9,
            imposing=rng.choice(COUNTRIES),
            targets=rng.sample([c for c in COUNTRIES if c], rng.randint(0, 3)),
            commodities=[(name, None) for name in rng.sample(ITEMS[:2] + ITEMS[3:], rng.randint(0, 2))],
            technologies=rng.sample(ITEMS[1:3], rng.randint(0, 2)),
        )
        for etype in rng.sample(TYPES, rng.randint(0, 3))
    ]


def _assert_same(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    for table, base in BASE.items():
        assert sorted(_rows(db, STORED[table]), key=repr) == sorted(_rows(db, base), key=repr), table
    got = [_aggregates(db, f) for f in FILTERS]
    with monkeypatch.context() as m:  # the same functions on a store without summaries: GROUP BY over events
        m.setattr(queries, "table_exists", lambda db, name: False)
        assert got == [_aggregates(db, f) for f in FILTERS]
    for imposing, target in PAIRS:
        params = {"imposing": imposing, "target": target}
        expected = _rows(db, canned.EVENTS_BY_PAIR_MONTH_FROM_EVENTS, params)
        assert _rows(db, canned.EVENTS_BY_PAIR_MONTH, params) == expected
    # Both ways of listing an item: from the name index (few rows) and in date order (many; the store is
    # small, so a threshold of 0 takes that branch).
    threshold = f"<= {FEW_ITEM_ROWS}"
    assert threshold in canned.MEASURES_ON_ITEM
    for sql in (canned.MEASURES_ON_ITEM, canned.MEASURES_ON_ITEM.replace(threshold, "<= 0")):
        for item in SEARCHED:
            found = _rows(db, sql, {"item": item})
            expected = _rows(db, canned.MEASURES_ON_ITEM_FROM_EVENTS, {"item": item})
            # ORDER BY date, event id: the order of one event's items (commodity, technology) is unspecified
            _assert_same_order(found, expected, key=lambda r: (r[0], r[-1]))
    # created_at ties: the order was unspecified; it is now newest id first
    _assert_same_order(_rows(db, canned.LATEST_ALERTS), _rows(db, LATEST_ALERTS), key=lambda r: r[:2])


def _aggregates(db: Database, flt: EventFilter) -> list[list[dict[str, Any]]]:
    return [
        monthly_counts_by_type(db, flt),
        pair_counts(db, flt),
        top_items(db, "commodity", flt, limit=100),
        top_items(db, "technology", flt, limit=100),
    ]


def _assert_same_order(found: list[tuple[Any, ...]], expected: list[tuple[Any, ...]], key: Any) -> None:
    """Equal rows, in the same order as far as the query's ORDER BY (`key`) defines it."""
    assert [key(r) for r in found] == [key(r) for r in expected]
    assert sorted(found, key=repr) == sorted(expected, key=repr)


@pytest.fixture()
def db(tmp_path: Path) -> Iterator[Database]:
    store = open_db(tmp_path / "store.db")
    upsert_source(store, SourceMeta("src", "Source", "XX", "en", "official"))
    yield store
    store.conn.close()


def test_summaries_follow_every_kind_of_write(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(9)
    docs = [_doc(rng, i) for i in range(60)]
    insert_documents(db, docs[:40])
    write_events_many(db, [(d.id, _events(rng)) for d in docs[:40]], "m1")
    for d in docs[40:]:  # the per-document path crawls use
        store_document(db, d)
        write_events(db, d.id, _events(rng), "m1")
    with db.conn:  # three watchlists, many alerts created at the same time
        db.execute(
            "INSERT INTO alerts (watchlist, document_id, event_id, channel, created_at)"
            " SELECT 'w' || (rowid % 3), id, (SELECT min(id) FROM events WHERE document_id = d.id), '#c',"
            " '2025-01-0' || (rowid % 4 + 1) FROM documents d"
        )
    _assert_same(db, monkeypatch)

    # Re-tagging: a document's events are deleted and written again, in bulk and one by one.
    write_events_many(db, [(d.id, _events(rng)) for d in docs[:20]], "m2")
    for d in docs[20:30]:
        write_events(db, d.id, _events(rng), "m2")
    _assert_same(db, monkeypatch)

    # Role changes on existing events, directly in the role tables, and edits of the events themselves.
    with db.conn:
        db.execute("DELETE FROM event_targets WHERE rowid % 3 = 0")
        db.execute("UPDATE OR IGNORE event_targets SET country = 'KR' WHERE rowid % 4 = 1")
        db.execute("INSERT OR IGNORE INTO event_targets SELECT id, 'GB' FROM events WHERE id % 5 = 0")
        db.execute("DELETE FROM event_commodities WHERE rowid % 3 = 0")
        db.execute("UPDATE OR IGNORE event_technologies SET technology = 'gallium' WHERE rowid % 2 = 0")
        db.execute(
            "INSERT OR IGNORE INTO event_technologies SELECT id, 'drones' FROM events WHERE id % 4 = 0"
        )
        db.execute("UPDATE events SET imposing = NULL WHERE id % 7 = 0")
        db.execute("UPDATE events SET imposing = '' WHERE id % 7 = 1")
        db.execute("UPDATE OR IGNORE events SET event_type = 'none' WHERE id % 6 = 0")
        db.execute(
            "UPDATE OR IGNORE events SET event_type = 'tariff' WHERE event_type = 'none' AND id % 6 = 1"
        )
        db.execute("DELETE FROM events WHERE id % 9 = 0")  # cascades to its roles
    _assert_same(db, monkeypatch)

    # A changed document (new publication date, so other months) and deleted documents (cascades).
    for i in range(30, 40):  # same URL, so the same document
        store_document(db, _doc(rng, i, text="Revised", published=f"2023-12-0{1 + i % 9}T00:00:00Z"))
    with db.conn:
        db.execute("UPDATE documents SET published = NULL WHERE rowid % 8 = 0")
        db.execute("DELETE FROM documents WHERE rowid % 5 = 0")
    _assert_same(db, monkeypatch)

    # Without foreign keys (a raw import), children may come before their event and document.
    late = _doc(rng, 999)
    db.execute("PRAGMA foreign_keys = OFF")
    with db.conn:
        db.execute("INSERT INTO event_targets VALUES (100000, 'JP')")
        db.execute("INSERT INTO event_commodities VALUES (100000, 'gallium', NULL)")
        db.execute(
            "INSERT INTO events (id, document_id, event_type, imposing, confidence, model_version,"
            " created_at) VALUES (100000, ?, 'tariff', 'CN', 0.9, 'm3', 'now')",
            [late.id],
        )
    _assert_same(db, monkeypatch)
    store_document(db, late)
    _assert_same(db, monkeypatch)
    db.execute("PRAGMA foreign_keys = ON")

    # Everything gone: no zero rows are left behind.
    with db.conn:
        db.execute("DELETE FROM documents")
    assert [_rows(db, f"SELECT count(*) FROM {table}")[0][0] for table in STORED] == [0] * len(STORED)


def test_migration_backfills_an_existing_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store filled before migration 10 gets summaries equal to its events, and re-running the
    migration's script (idempotent) leaves them so."""
    before = [name for name, _sql in migrations.MIGRATIONS].index("010_summary_tables.sql")
    with monkeypatch.context() as m:
        m.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS[:before])
        db = open_db(tmp_path / "store.db")
    assert migrations.schema_version(db) == before
    upsert_source(db, SourceMeta("src", "Source", "XX", "en", "official"))
    rng = random.Random(10)
    docs = [_doc(rng, i) for i in range(40)]
    with db.conn:  # the columns documents had at version 9 (insert_documents writes today's)
        db.conn.executemany(
            "INSERT INTO documents (id, source, url, title, text, language, published, fetched, content_hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (d.id, d.source, d.url, d.title, d.text, d.language, d.published, d.fetched, d.content_hash)
                for d in docs
            ],
        )
    write_events_many(db, [(d.id, _events(rng)) for d in docs], "m1")
    assert migrations.migrate(db) == len(migrations.MIGRATIONS)
    _assert_same(db, monkeypatch)
    db.conn.executescript(f"BEGIN;\n{migrations.script('summary_tables')}\nCOMMIT;")
    _assert_same(db, monkeypatch)
    db.conn.close()
