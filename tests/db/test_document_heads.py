"""Migration 18's covering index (idx_documents_heads): the planner uses it once it has statistics, and
the stored queries that list documents return what they returned without it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from db.store import open_db, refresh_stats
from research import canned
from tests.research.test_search_at_scale import build_realistic

ITEMS = ["gallium", "rare earths", "semiconductors", "a", "unobtainium", ""]


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """The store (1,225 documents, analyzed on open) and a copy without the index."""
    base = tmp_path_factory.mktemp("heads")
    path = build_realistic(base / "store.db")
    db = open_db(path)
    with db.conn:
        db.execute(
            "INSERT INTO alerts (watchlist, document_id, channel, created_at) SELECT 'w' || (rowid % 3),"
            " document_id, '#a', '2025-01-0' || (1 + rowid % 9) || 'T00:00:00+00:00' FROM events WHERE id % 7 = 0"
        )
    without = base / "without.db"
    copy = sqlite3.connect(without)
    db.conn.backup(copy)
    copy.execute("DROP INDEX idx_documents_heads")
    copy.execute("ANALYZE")
    copy.commit()
    copy.close()
    db.conn.close()
    yield path, without


def plan(db: Database, sql: str, params: dict[str, str]) -> str:
    return " | ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall())


@pytest.mark.parametrize("item", ITEMS)
def test_measures_on_item_unchanged(paths: tuple[Path, Path], item: str) -> None:
    with_index, without = (Database(sqlite3.connect(p)) for p in paths)
    assert "COVERING INDEX idx_documents_heads" in plan(
        with_index, canned.MEASURES_ON_ITEM, {"item": "gallium"}
    )
    got = with_index.execute(canned.MEASURES_ON_ITEM, {"item": item}).fetchall()
    assert got == without.execute(canned.MEASURES_ON_ITEM, {"item": item}).fetchall()
    if item in ("gallium", "a"):
        assert len(got) > 20


def test_latest_alerts_unchanged(paths: tuple[Path, Path]) -> None:
    with_index, without = (Database(sqlite3.connect(p)) for p in paths)
    assert "idx_documents_heads" in plan(with_index, canned.LATEST_ALERTS, {})
    got = with_index.execute(canned.LATEST_ALERTS).fetchall()
    assert len(got) == 30  # ten per watchlist
    assert got == without.execute(canned.LATEST_ALERTS).fetchall()


def test_an_index_added_after_analyze_gets_statistics(paths: tuple[Path, Path]) -> None:
    db = open_db(paths[0])
    with db.conn:
        db.execute("DELETE FROM sqlite_stat1 WHERE idx = 'idx_documents_heads'")
    assert refresh_stats(db)  # the documents table did not double: only the new index is analyzed
    stat = db.execute("SELECT stat FROM sqlite_stat1 WHERE idx = 'idx_documents_heads'").fetchone()
    count = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert stat is not None and stat[0].split()[0] == str(count)
    assert not refresh_stats(db)  # nothing left to do
    db.conn.close()


def test_a_small_store_gets_no_statistics(tmp_path: Path) -> None:
    db = open_db(tmp_path / "small.db")  # below STATS_MIN_ROWS nothing is analyzed, as before
    assert db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone() is None
    db.conn.close()
