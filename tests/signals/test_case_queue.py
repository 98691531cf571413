"""Case linking reads its backlog from the case_pending queue (migration 16) instead of scanning every
document: the queue's documents are exactly those the plain query finds, through tagging, linking,
re-tagging, re-scanning and deletion, on a new store and on one migrated from version 15 (real files)."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from db import migrations
from db.records import DocumentRecord, EventRecord, SourceMeta
from db.store import open_db, store_document, upsert_source, write_events
from signals.cases import PENDING, link_pending

PLAIN = (
    "SELECT d.id FROM documents d WHERE d.tagged_at IS NOT NULL AND d.id NOT IN"
    " (SELECT document_id FROM case_scan) ORDER BY coalesce(d.published, d.fetched), d.rowid"
)
TEXT = "The Ministry initiates an anti-dumping investigation into {item} originating in the United States."


def _doc(db: Database, i: int, *, tag: bool = True, text: str = TEXT) -> str:
    day = f"2025-03-{1 + i % 28:02d}T09:00:00+08:00"
    doc = DocumentRecord("src", f"https://example.org/{i}", f"Notice {i}", text.format(item=f"item{i % 3}"), "en",
                         day, day)  # fmt: skip
    store_document(db, doc)
    if tag:
        write_events(db, doc.id, [EventRecord("investigation", 0.9, "restrictive", "CN", "initiated", ["US"],
                                              [(f"item{i % 3}", None)])], "t")  # fmt: skip
    return doc.id


def _same(db: Database) -> list[str]:
    plain = [r[0] for r in db.execute(PLAIN).fetchall()]
    assert [r[0] for r in db.execute(PENDING, [10**6]).fetchall()] == plain
    return plain


def test_the_queue_follows_tagging_linking_and_deletion(tmp_path: Path) -> None:
    db = open_db(tmp_path / "store.db")
    upsert_source(db, SourceMeta("src", "src", "CN", "en", "official"))
    ids = [_doc(db, i) for i in range(30)]
    untagged = _doc(db, 99, tag=False)
    assert sorted(_same(db)) == sorted(ids) and untagged not in _same(db)
    assert link_pending(db, limit=10) > 0  # the earliest ten by date
    left = _same(db)
    assert len(left) == 20
    with db.conn:
        db.execute("UPDATE documents SET tagged_at = '2025-04-01T00:00:00+00:00' WHERE id = ?", [untagged])
    assert untagged in _same(db)
    # a scanned document tagged again stays scanned; one whose scan is forgotten is pending again
    scanned = next(i for i in ids if i not in left)
    with db.conn:
        db.execute("UPDATE documents SET tagged_at = '2025-04-02T00:00:00+00:00' WHERE id = ?", [scanned])
    assert scanned not in _same(db)
    with db.conn:
        db.execute("DELETE FROM case_scan WHERE document_id = ?", [scanned])
    assert scanned in _same(db)
    with db.conn:
        db.execute("DELETE FROM documents WHERE id = ?", [left[0]])
    assert left[0] not in _same(db)
    while link_pending(db, limit=7) or db.execute(PLAIN).fetchone():
        _same(db)
    assert _same(db) == []
    assert db.execute("SELECT count(*) FROM case_pending").fetchone()[0] == 0  # nothing left behind


def test_an_existing_store_gets_its_backlog_queued_and_the_script_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = Database(path)
    assert migrations.migrate(db, migrations.MIGRATIONS[:15]) == 15
    upsert_source(db, SourceMeta("src", "src", "CN", "en", "official"))
    ids = [_doc(db, i) for i in range(12)]
    with db.conn:
        db.execute("INSERT INTO case_scan (document_id) VALUES (?)", [ids[0]])
    db.conn.close()
    db = open_db(path)
    assert migrations.schema_version(db) == len(migrations.MIGRATIONS)
    assert sorted(_same(db)) == sorted(ids[1:])
    db.conn.executescript(migrations.script("016_"))  # again: nothing changes, nothing fails
    assert sorted(_same(db)) == sorted(ids[1:])
    assert db.execute("SELECT count(*) FROM case_pending").fetchone()[0] == 11
    plan = " ".join(str(r[3]) for r in db.execute("EXPLAIN QUERY PLAN " + PENDING, [5]).fetchall())
    assert "SCAN p" in plan and "SCAN d" not in plan  # the backlog is read, not the documents
