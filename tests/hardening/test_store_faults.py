"""Disk full, read-only stores and racing migrations: a clear error, nothing half-written, no corruption.

A full disk is simulated portably with `PRAGMA max_page_count` (SQLite answers exactly as on a full
filesystem: SQLITE_FULL, "database or disk is full"); a read-only store with SQLite's mode=ro handle,
which is what a read-only file or mount gives a writer.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

import db.migrations as migrations
from db import open_db
from db.records import DocumentRecord, EventRecord, SourceMeta
from db.store import store_document, upsert_source, write_events


def _doc(n: int, size: int = 200) -> DocumentRecord:
    return DocumentRecord(source="s", url=f"https://example.gov/{n}", title=f"Notice {n}", text="x" * size,
                          language="en", published=None, fetched="2025-01-01T00:00:00+00:00")  # fmt: skip


def _store(path: Path, docs: int = 5) -> Database:
    db = open_db(path)
    upsert_source(db, SourceMeta("s", "S", "XX", "en", "official"))
    for n in range(docs):
        store_document(db, _doc(n))
    return db


def _check(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.execute("INSERT INTO documents_fts (documents_fts) VALUES ('integrity-check')")
    return conn


def test_disk_full_fails_clearly_and_keeps_the_store_whole(tmp_path: Path) -> None:
    path = tmp_path / "cwatch.db"
    db = _store(path)
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages + 2}")  # the "disk" now has room for two more pages
    with pytest.raises(sqlite3.OperationalError, match="database or disk is full"):
        store_document(db, _doc(99, size=200_000))
    big = [EventRecord("tariff", 0.9, imposing="CN", targets=[f"T{i:03d}" for i in range(3000)])]
    with pytest.raises(sqlite3.OperationalError, match="database or disk is full"):
        write_events(db, _doc(0).id, big, "v")
    # Nothing half-written: the big document is absent, document 0 has no events and is still untagged.
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 5
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 0
    assert db.execute("SELECT tagged_at FROM documents WHERE id = ?", [_doc(0).id]).fetchone()[0] is None
    db.execute("PRAGMA max_page_count = 1073741823")  # space freed: the same connection carries on
    assert store_document(db, _doc(99, size=200_000)) == "new"
    db.conn.close()
    assert _check(path).execute("SELECT count(*) FROM documents").fetchone()[0] == 6


def test_read_only_store_refuses_writes_clearly(tmp_path: Path) -> None:
    path = tmp_path / "cwatch.db"
    _store(path).conn.close()
    ro = open_db(path, read_only=True)
    with pytest.raises(sqlite3.OperationalError, match="attempt to write a readonly database"):
        store_document(ro, _doc(50))
    assert ro.execute("SELECT count(*) FROM documents").fetchone()[0] == 5  # reading still works
    ro.conn.close()
    with pytest.raises(FileNotFoundError, match="no event store at"):
        open_db(tmp_path / "missing.db", read_only=True)
    assert _check(path).execute("SELECT count(*) FROM documents").fetchone()[0] == 5


def test_a_migration_another_process_applied_meanwhile_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "cwatch.db"
    _store(path).conn.close()
    # This process read version 0 just before another one migrated the store to the latest version.
    stale = iter([0])
    real = migrations.schema_version
    monkeypatch.setattr(migrations, "schema_version", lambda db: next(stale, None) or real(db))
    db = Database(sqlite3.connect(path))
    assert migrations.migrate(db) == len(migrations.MIGRATIONS)
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 5
