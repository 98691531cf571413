"""The tagging stage against a real SQLite store."""

from __future__ import annotations

from pathlib import Path

from db import open_db
from db.records import DocumentRecord, SourceMeta
from db.store import (
    event_views,
    human_labels,
    low_confidence_documents,
    record_human_label,
    untagged_documents,
    upsert_source,
)
from nlp.stage import tag_new_documents
from nlp.tagger import Tagger


def _doc(n: int, title: str, text: str, source: str = "cn_mofcom", language: str = "en") -> DocumentRecord:
    return DocumentRecord(
        source=source,
        url=f"https://example.org/{n}",
        title=title,
        text=text,
        language=language,
        published="2025-01-01",
        fetched="2025-01-01T00:00:00+00:00",
    )


def test_stage_writes_events_and_marks_documents_tagged(tmp_path: Path, tagger: Tagger) -> None:
    from db.store import store_document

    db = open_db(tmp_path / "store.db")
    upsert_source(db, SourceMeta("cn_mofcom", "MOFCOM", "CN", "zh", "official"))
    docs = [
        _doc(
            1,
            "商务部公告：对原产于美国的进口大豆加征关税",
            "国务院关税税则委员会决定，自2025年3月10日起，对原产于美国的大豆加征10%关税。",
            language="zh",
        ),
        _doc(
            2,
            "Spring trade fair draws record crowds",
            "Organisers reported 25,000 visitors on the first day.",
        ),
        _doc(
            3,
            "MOFCOM adds US defence firms to the Unreliable Entity List",
            "The Ministry of Commerce placed three US defence companies on the Unreliable Entity List.",
        ),
    ]
    for doc in docs:
        store_document(db, doc)
    assert tag_new_documents(db, tagger, batch_size=2) == 3
    assert untagged_documents(db) == []
    events = list(event_views(db))
    by_doc = {docs[i].id: [e for e in events if e["document_id"] == docs[i].id] for i in range(3)}
    assert [e["event_type"] for e in by_doc[docs[0].id]] == ["tariff"]
    tariff = by_doc[docs[0].id][0]
    assert (
        tariff["imposing"] == "CN" and tariff["targets"] == ["US"] and tariff["commodities"] == ["soybeans"]
    )
    assert tariff["model_version"] == tagger.model_version
    assert by_doc[docs[1].id] == []  # none: no events, but tagged
    assert "entity_listing" in [e["event_type"] for e in by_doc[docs[2].id]]
    assert tag_new_documents(db, tagger) == 0  # nothing left

    # Review state: every document got a score; a human label is stored and read back for training.
    listed = low_confidence_documents(db, below=1.01, limit=10)
    assert len(listed) == 3
    record_human_label(db, docs[1].id, {"event_types": ["none"]}, "tester")
    assert docs[1].id not in [r["id"] for r in low_confidence_documents(db, below=1.01)]
    labels = human_labels(db)
    assert labels[0]["event_types"] == ["none"] and labels[0]["source_kind"] == "official"


def test_limit_is_respected(tmp_path: Path, tagger: Tagger) -> None:
    from db.store import store_document

    db = open_db(tmp_path / "store.db")
    upsert_source(db, SourceMeta("cn_mofcom", "MOFCOM", "CN", "zh", "official"))
    for n in range(5):
        store_document(db, _doc(n, f"Notice {n}", "Routine administrative notice."))
    assert tag_new_documents(db, tagger, batch_size=2, limit=3) == 3
    assert len(untagged_documents(db)) == 2
