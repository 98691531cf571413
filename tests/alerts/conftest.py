"""Shared fixtures for the alerts tests: a real store with helpers to add tagged documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from db import open_db
from db.records import DocumentRecord, EventRecord, SourceMeta
from db.store import store_document, upsert_source, write_events
from tests.support.fake_slack import fake_slack  # noqa: F401  (fixture)

SOURCE = SourceMeta(slug="cn_mofcom", publisher="MOFCOM", jurisdiction="CN", language="en", kind="official")


@pytest.fixture
def store(tmp_path: Path) -> Database:
    db = open_db(tmp_path / "cwatch.db")
    upsert_source(db, SOURCE)
    return db


def add_event(
    db: Database,
    n: int,
    *,
    title: str | None = None,
    text: str = "",
    event_type: str = "export_control",
    imposing: str = "CN",
    targets: list[str] | None = None,
    commodities: list[str] | None = None,
    technologies: list[str] | None = None,
    confidence: float = 0.9,
    stage: str = "announced",
    published: str = "2025-01-16T09:00:00+00:00",
    url: str | None = None,
) -> str:
    doc = DocumentRecord(
        source=SOURCE.slug,
        url=url or f"https://www.mofcom.gov.cn/notice/{n}.html",
        title=title or f"Announcement No. {n} on export controls on gallium and germanium items",
        text=text
        or "The Ministry of Commerce announces export controls on gallium-related items, effective"
        " December 1, 2025. Exporters must apply for licences.",
        language="en",
        published=published,
        fetched="2025-01-16T10:00:00+00:00",
    )
    store_document(db, doc)
    write_events(
        db,
        doc.id,
        [
            EventRecord(
                event_type=event_type,
                confidence=confidence,
                direction="restrictive",
                imposing=imposing,
                stage=stage,
                targets=targets if targets is not None else ["US"],
                commodities=[(c, None) for c in (commodities if commodities is not None else ["gallium"])],
                technologies=technologies or [],
            )
        ],
        "test",
    )
    return doc.id
