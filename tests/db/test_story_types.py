"""Stories: the entity-list rule and the licensing rule of one technology-control package share a story;
other event types keep their own (real SQLite store)."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from db.records import DocumentRecord, SourceMeta
from db.store import open_db, store_document, upsert_source
from db.stories import assign_story


def _doc(db: Database, n: int) -> str:
    doc = DocumentRecord(
        source="src",
        url=f"https://example.org/{n}",
        title=f"Rule {n}",
        text="Text.",
        language="en",
        published="2024-12-05T00:00:00+00:00",
        fetched="2024-12-05T00:00:00+00:00",
    )
    store_document(db, doc)
    return doc.id


def _event(doc: str, event_type: str, targets: list[str], day: str = "2024-12-05") -> dict:
    return {
        "document_id": doc,
        "event_type": event_type,
        "imposing": "US",
        "targets": targets,
        "commodities": [],
        "technologies": [],
        "title": f"{event_type} rule {doc}",
        "published": f"{day}T00:00:00-05:00",
    }


def test_export_control_and_entity_listing_of_one_package_share_a_story(tmp_path: Path) -> None:
    db = open_db(tmp_path / "store.db")
    upsert_source(db, SourceMeta("src", "Source", "US", "en", "official"))
    d = [_doc(db, n) for n in range(5)]
    with db.conn:
        controls = assign_story(db, _event(d[0], "export_control", ["CN", "MO"]))
        listing = assign_story(db, _event(d[1], "entity_listing", ["CN", "JP", "KR", "SG"]))
        tariff = assign_story(db, _event(d[2], "tariff", ["CN"]))
        other_target = assign_story(db, _event(d[3], "entity_listing", ["RU"]))
        months_later = assign_story(db, _event(d[4], "entity_listing", ["CN"], day="2025-03-28"))
    assert listing == controls
    assert len({controls, tariff, other_target, months_later}) == 4
