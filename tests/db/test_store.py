"""The event store on a real SQLite file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db import open_db
from db.migrations import MIGRATIONS, schema_version
from db.records import DocumentRecord, EventRecord, SourceMeta, document_id
from db.store import (
    event_views,
    finish_crawl_run,
    latest_crawl_runs,
    start_crawl_run,
    store_document,
    untagged_documents,
    upsert_source,
    write_events,
)


def _doc(**overrides: object) -> DocumentRecord:
    fields: dict = dict(
        source="us_federal_register",
        url="https://www.federalregister.gov/d/2024-28270",
        title="Foreign-Produced Direct Product Rule Additions",
        text="BIS revises the EAR.",
        language="en",
        published="2024-12-05T00:00:00-05:00",
        fetched="2024-12-05T12:00:00+00:00",
    )
    fields.update(overrides)
    return DocumentRecord(**fields)


@pytest.fixture()
def db(tmp_path: Path):
    store = open_db(tmp_path / "store.db")
    upsert_source(store, SourceMeta("us_federal_register", "Federal Register", "US", "en", "official"))
    return store


def test_fresh_file_is_migrated_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = open_db(tmp_path / "fresh.db")
    assert schema_version(store) == len(MIGRATIONS)
    assert store.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    for table in (
        "sources",
        "documents",
        "events",
        "event_targets",
        "event_commodities",
        "event_technologies",
        "alerts",
        "crawl_runs",
        "documents_fts",
    ):
        assert store[table].exists(), table
    # Reopening applies nothing twice.
    assert schema_version(open_db(tmp_path / "fresh.db")) == len(MIGRATIONS)


def test_store_document_is_incremental(db) -> None:
    doc = _doc()
    assert store_document(db, doc) == "new"
    assert store_document(db, doc) == "unchanged"
    assert store_document(db, _doc(text="BIS revises the EAR again.")) == "changed"
    row = db["documents"].get(doc.id)
    assert row["text"] == "BIS revises the EAR again." and row["updated"] and row["tagged_at"] is None
    assert db["documents"].count == 1


def test_notice_number_makes_url_aliases_one_document() -> None:
    a = document_id("cn_mofcom", "https://www.mofcom.gov.cn/zcfb/zc/art/2024/a.html", "2024-33")
    b = document_id("cn_mofcom", "https://www.mofcom.gov.cn/zwgk/zcfb/art/2024/a.html", "2024-33")
    c = document_id("cn_mofcom", "https://www.mofcom.gov.cn/zwgk/zcfb/art/2024/a.html")
    assert a == b != c


def test_full_text_search_finds_chinese_and_english(db) -> None:
    store_document(db, _doc())
    store_document(
        db,
        _doc(
            url="https://www.mofcom.gov.cn/x.html",
            title="关于对锑等物项实施出口管制的公告",
            text="商务部 海关总署公告2024年第33号",
            language="zh",
        ),
    )
    hits = [
        r["title"]
        for r in db.query("SELECT title FROM documents_fts WHERE documents_fts MATCH ?", ['"出口管制"'])
    ]
    assert hits == ["关于对锑等物项实施出口管制的公告"]
    # English text is found through the word index; only documents holding CJK text get trigrams (014).
    hits = [
        r["title"]
        for r in db.query("SELECT title FROM documents_words WHERE documents_words MATCH ?", ['"Direct"'])
    ]
    assert hits == ["Foreign-Produced Direct Product Rule Additions"]
    assert not list(db.query("SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?", ['"Direct"']))


def test_write_events_replaces_and_marks_tagged(db) -> None:
    doc = _doc()
    store_document(db, doc)
    assert [d["id"] for d in untagged_documents(db)] == [doc.id]
    event = EventRecord(
        "export_control",
        0.93,
        "restrictive",
        "US",
        "in_force",
        targets=["CN"],
        commodities=[("gallium", "8112.92")],
        technologies=["semiconductors"],
    )
    write_events(db, doc.id, [event], "test-v1")
    write_events(db, doc.id, [event], "test-v2")
    views = list(event_views(db))
    assert len(views) == 1
    assert views[0]["targets"] == ["CN"] and views[0]["commodities"] == ["gallium"]
    assert views[0]["technologies"] == ["semiconductors"] and views[0]["model_version"] == "test-v2"
    assert untagged_documents(db) == []


def test_foreign_keys_are_enforced(db) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        write_events(db, "no-such-document", [EventRecord("tariff", 0.5)], "v")


def test_crawl_runs_record_failure_reason(db) -> None:
    run_id = start_crawl_run(db, "us_federal_register")
    finish_crawl_run(db, run_id, ok=False, reason="HTTP 500 on listing", pages=1, errors=1)
    (run,) = latest_crawl_runs(db, "us_federal_register")
    assert (run["status"], run["reason"], run["errors"]) == ("failed", "HTTP 500 on listing", 1)
    assert run["finished"] is not None


def test_read_only_connection_refuses_writes(db, tmp_path: Path) -> None:
    ro = open_db(tmp_path / "store.db", read_only=True)
    assert ro.execute("SELECT count(*) FROM sources").fetchone()[0] == 1
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        ro.execute("DELETE FROM sources")
