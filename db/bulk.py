"""Batched writes for backfills, imports and the store benchmark: many rows per transaction.

`store_document` / `write_events` (db/store.py) commit once per document, which is right for a crawl (a
crash loses at most the document in hand) but costs a WAL commit and sqlite-utils' per-call table
introspection on every row. These functions take a batch, write it with `executemany` in ONE transaction,
and keep the same invariants: a document is new or left alone (INSERT OR IGNORE on its stable id), and a
document's events, roles and `tagged_at` are written together or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlite_utils import Database

from db.records import DocumentRecord, EventRecord
from db.store import utcnow
from db.textnorm import has_cjk

DOC_COLUMNS = "id, source, url, notice_number, title, text, language, published, fetched, content_hash, attachments, cjk"


def insert_documents(db: Database, docs: Sequence[DocumentRecord]) -> int:
    """Insert new documents in one transaction; ones already stored (same id or URL) are skipped.
    Returns how many were inserted."""
    rows = [
        (
            d.id,
            d.source,
            d.url,
            d.notice_number,
            d.title,
            d.text,
            d.language,
            d.published,
            d.fetched,
            d.content_hash,
            json.dumps(d.attachments),
            int(has_cjk(d.title, d.text)),
        )
        for d in docs
    ]
    with db.conn:
        cursor = db.conn.executemany(
            f"INSERT OR IGNORE INTO documents ({DOC_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    return int(cursor.rowcount)  # summed over the batch; trigger writes (FTS) are not counted


def write_events_many(
    db: Database, tagged: Sequence[tuple[str, Sequence[EventRecord]]], model_version: str
) -> int:
    """`write_events` for many documents in one transaction: each document's old events are replaced and
    it is marked tagged. Event ids are assigned here (max(id) + n) under the write lock, so role rows can
    be batched too. Returns the number of events written."""
    now = utcnow()
    events: list[tuple[object, ...]] = []
    targets: list[tuple[int, str]] = []
    commodities: list[tuple[int, str, str | None]] = []
    technologies: list[tuple[int, str]] = []
    with db.conn:
        # open_db's connection begins IMMEDIATE: the max(id) read below cannot race another writer
        db.conn.executemany("DELETE FROM events WHERE document_id = ?", [(doc_id,) for doc_id, _ in tagged])
        next_id = int(db.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]) + 1
        for doc_id, records in tagged:
            for event in records:
                events.append(
                    (
                        next_id,
                        doc_id,
                        event.event_type,
                        event.direction,
                        event.imposing,
                        event.stage,
                        float(event.confidence),
                        model_version,
                        now,
                    )
                )
                targets += [(next_id, c) for c in event.targets]
                commodities += [(next_id, name, hs) for name, hs in event.commodities]
                technologies += [(next_id, t) for t in event.technologies]
                next_id += 1
        db.conn.executemany(
            "INSERT INTO events (id, document_id, event_type, direction, imposing, stage, confidence,"
            " model_version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            events,
        )
        db.conn.executemany("INSERT OR IGNORE INTO event_targets (event_id, country) VALUES (?, ?)", targets)
        db.conn.executemany(
            "INSERT OR IGNORE INTO event_commodities (event_id, commodity, hs_code) VALUES (?, ?, ?)",
            commodities,
        )
        db.conn.executemany(
            "INSERT OR IGNORE INTO event_technologies (event_id, technology) VALUES (?, ?)", technologies
        )
        db.conn.executemany(
            "UPDATE documents SET tagged_at = ?, tag_version = ? WHERE id = ?",
            [(now, model_version, doc_id) for doc_id, _ in tagged],
        )
    return len(events)
