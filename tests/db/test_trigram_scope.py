"""Migration 14: only documents holding CJK text are in the trigram index, and the index stays consistent
through inserts, updates between scripts, tagging and deletes (real SQLite store in tmp_path)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from db.records import DocumentRecord, SourceMeta
from db.store import open_db, store_document, upsert_source
from db.textnorm import has_cjk


@pytest.fixture()
def db(tmp_path: Path) -> Database:
    database = open_db(tmp_path / "store.db")
    upsert_source(database, SourceMeta("src", "Source", "XX", "en", "official"))
    return database


def _store(db: Database, n: int, title: str, text: str) -> str:
    doc = DocumentRecord(
        source="src",
        url=f"https://example.org/{n}",
        title=title,
        text=text,
        language="und",
        published="2025-01-01T00:00:00+00:00",
        fetched="2025-01-01T00:00:00+00:00",
    )
    store_document(db, doc)
    return doc.id


def _trigram_rowids(db: Database) -> set[int]:
    # Every test document holds "公告" or "not": the rows that match either are the indexed ones.
    found = db.execute('SELECT rowid FROM documents_fts WHERE documents_fts MATCH \'"公告" OR "not"\'')
    return {row[0] for row in found.fetchall()}


def _rowid(db: Database, doc_id: str) -> int:
    return int(db.execute("SELECT rowid FROM documents WHERE id = ?", [doc_id]).fetchone()[0])


def _check_index(db: Database) -> None:
    db.execute("INSERT INTO documents_fts (documents_fts) VALUES ('integrity-check')")  # raises if torn


def test_has_cjk() -> None:
    assert has_cjk("商务部公告") and has_cjk("Notice", "한국 무역위원회") and has_cjk("ニュース")
    assert not has_cjk("Notice on exports", "Règlement (UE) 2024/1") and not has_cjk("")


def test_only_cjk_documents_get_trigrams_and_updates_keep_the_index_consistent(db: Database) -> None:
    en = _store(db, 1, "Export notice", "This is not a Chinese notice.")
    zh = _store(db, 2, "商务部公告", "关于出口管制的公告, not in English.")
    assert _trigram_rowids(db) == {_rowid(db, zh)}
    # A document whose new version switches script moves in or out of the index.
    _store(db, 1, "出口公告", "现在是中文公告, not English.")
    _store(db, 2, "Export notice", "Now it is not Chinese.")
    assert _trigram_rowids(db) == {_rowid(db, en)}
    _check_index(db)
    with db.conn:
        db.execute("DELETE FROM documents WHERE id IN (?, ?)", [en, zh])
    assert _trigram_rowids(db) == set()
    _check_index(db)


def test_tagging_a_document_does_not_rewrite_its_trigrams(db: Database) -> None:
    zh = _store(db, 1, "商务部公告", "关于出口管制的公告。")
    segments = db.execute("SELECT count(*), total(length(block)) FROM documents_fts_data").fetchone()
    with db.conn:  # what write_events does when a document is tagged
        db.execute("UPDATE documents SET tagged_at = '2025-01-02T00:00:00+00:00' WHERE id = ?", [zh])
    assert db.execute("SELECT count(*), total(length(block)) FROM documents_fts_data").fetchone() == segments


def test_rows_stored_before_the_migration_stay_indexed(db: Database) -> None:
    en = _store(db, 1, "Export notice", "This is not a Chinese notice.")
    with db.conn:  # `cjk` is NULL for rows stored before migration 14: they keep their trigrams
        db.execute("UPDATE documents SET cjk = NULL WHERE id = ?", [en])
    assert _trigram_rowids(db) == {_rowid(db, en)}
    with db.conn:
        db.execute("DELETE FROM documents WHERE id = ?", [en])
    assert _trigram_rowids(db) == set()
    _check_index(db)


def test_marking_old_rows_drops_the_trigrams_of_non_cjk_documents_in_bounded_batches(db: Database) -> None:
    from db.script_marks import UNMARKED, mark_unmarked, unmarked_count

    en1 = _store(db, 1, "Export notice", "This is not a Chinese notice.")
    zh = _store(db, 2, "商务部公告", "关于出口管制的公告, not in English.")
    en2 = _store(db, 3, "Tariff notice", "Duties are not changed.")
    with db.conn:  # as stored before migration 14
        db.execute("UPDATE documents SET cjk = NULL")
    assert _trigram_rowids(db) == {_rowid(db, en1), _rowid(db, zh), _rowid(db, en2)}
    plan = " ".join(str(row[-1]) for row in db.execute(f"EXPLAIN QUERY PLAN {UNMARKED}", [1]).fetchall())
    assert "documents_script_unmarked" in plan  # the partial index, not a scan of every document
    assert mark_unmarked(db, limit=2, batch=1) == 2 and unmarked_count(db) == 1
    assert mark_unmarked(db) == 1 and mark_unmarked(db) == 0 and unmarked_count(db) == 0
    assert _trigram_rowids(db) == {_rowid(db, zh)}
    marks = dict(db.execute("SELECT id, cjk FROM documents").fetchall())
    assert marks == {en1: 0, zh: 1, en2: 0}
    _check_index(db)


def test_editing_a_cjk_document_keeps_it_in_the_trigram_index(db: Database) -> None:
    zh = _store(db, 1, "商务部公告", "关于出口管制的公告, not in English.")
    with db.conn:
        db.execute("UPDATE documents SET title = '商务部公告第1号' WHERE id = ?", [zh])
    with db.conn:
        db.execute("UPDATE documents SET text = '关于出口管制的公告（修订）, not final.' WHERE id = ?", [zh])
    hits = db.execute("SELECT rowid FROM documents_fts WHERE documents_fts MATCH '\"出口管制\" AND \"第1号\"'")
    assert [row[0] for row in hits.fetchall()] == [_rowid(db, zh)]
    _check_index(db)


def test_migration_17_repairs_documents_dropped_by_the_014_triggers(tmp_path: Path) -> None:
    from db import migrations

    store = Database(tmp_path / "old.db")
    up_to_16 = [m for m in migrations.MIGRATIONS if m[0] < "017"]
    migrations.migrate(store, up_to_16)
    with store.conn:
        store.execute(
            "INSERT INTO documents (id, source, url, title, text, language, fetched, content_hash, cjk)"
            " VALUES ('d1', 'src', 'https://e.org/1', '商务部公告', '关于出口管制的公告', 'zh', '2025-01-01', 'h1', 1)"
        )
        store.execute("UPDATE documents SET title = '商务部公告第2号'")  # torn by the two 014 triggers
    match = "SELECT rowid FROM documents_fts WHERE documents_fts MATCH '\"出口管制\"'"
    assert store.execute(match).fetchall() == []
    migrations.migrate(store)
    assert [row[0] for row in store.execute(match).fetchall()] == [1]
    _check_index(store)
