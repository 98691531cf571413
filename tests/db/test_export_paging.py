"""export_rows in two steps (ids in date order from event_dates, then each chunk's columns) returns the
rows, in the order, of the single query it replaced, spelled out here as the reference; on a real store
of notice-length documents, with chunks far smaller than a date's events."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlite_utils import Database

from db import queries
from db.queries import EventFilter, export_rows
from db.store import open_db
from tests.research.test_search_at_scale import build_realistic

REFERENCE = """
    SELECT d.id || ':' || e.event_type AS key, e.id AS event_id, e.event_type, e.direction,
        e.imposing, e.stage, e.confidence, e.model_version, e.created_at,
        (SELECT json_group_array(country) FROM event_targets WHERE event_id = e.id) AS targets,
        (SELECT json_group_array(json_object('name', commodity, 'hs_code', hs_code))
            FROM event_commodities WHERE event_id = e.id) AS commodities,
        (SELECT json_group_array(technology) FROM event_technologies WHERE event_id = e.id)
            AS technologies,
        d.id AS document_id, d.title, d.url, d.notice_number, d.language, d.published, d.fetched,
        d.text, d.source, s.publisher, s.url AS source_url, s.kind AS source_kind
    FROM events e JOIN documents d ON d.id = e.document_id
    JOIN sources s ON s.slug = d.source
    WHERE {where}
    ORDER BY coalesce(d.published, d.fetched), d.id, e.event_type, e.id
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = open_db(build_realistic(tmp_path_factory.mktemp("export") / "store.db"))
    with database.conn:  # one date shared by a fifth of the documents: chunks end inside no date
        database.execute("UPDATE documents SET published = '2024-05-01' WHERE rowid % 5 = 0")
    yield database
    database.conn.close()


def reference(db: Database, flt: EventFilter) -> list[dict[str, Any]]:
    where, params = flt.where()
    found = list(db.query(REFERENCE.format(where=where), params))
    for row in found:
        for key in ("targets", "commodities", "technologies"):
            row[key] = json.loads(row[key])
    return found


FILTERS = [
    EventFilter(),
    EventFilter(since="2024-05-01", until="2024-05-02"),
    EventFilter(since="2019-03", until="2019-09"),
    EventFilter(types=["export_control", "tariff"], imposing=["cn", "US"]),
    EventFilter(targets=["US"], since="2020"),
    EventFilter(since="2999"),
]


@pytest.mark.parametrize("flt", FILTERS, ids=range(len(FILTERS)))
def test_rows_and_order_as_the_single_query(
    db: Database, flt: EventFilter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queries, "EXPORT_CHUNK", 7)
    expected = reference(db, flt)
    got = list(export_rows(db, flt))
    assert got == expected
    assert got or flt.since == "2999"
    assert len({r["event_id"] for r in got}) == len(got)  # every row once
    if flt == EventFilter():
        assert len(got) == db.execute("SELECT count(*) FROM event_dates").fetchone()[0] > 500
        shared = sum(r["published"] == "2024-05-01" for r in got)
        assert shared > 20 * queries.EXPORT_CHUNK  # the shared date spans many chunks' worth of events


def test_without_text_the_same_rows_lack_only_the_text(db: Database) -> None:
    flt = EventFilter(since="2018", until="2021")
    with_text = list(export_rows(db, flt))
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        without = list(export_rows(db, flt, with_text=False))
    finally:
        db.conn.set_trace_callback(None)
    assert with_text and [{k: v for k, v in r.items() if k != "text"} for r in with_text] == without
    reads = [s for s in statements if "FROM events e JOIN documents d" in s]
    assert reads and all("d.text" not in s and "idx_documents_heads" in s for s in reads)


def test_the_first_chunk_needs_no_later_date(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows stream: the first rows arrive whole-date by whole-date, before later dates are read."""
    monkeypatch.setattr(queries, "EXPORT_CHUNK", 5)
    events = queries.events_source(db)
    assert events is queries.DATED
    where, params = EventFilter().where(events)
    chunks = queries._export_chunks(db, events, where, params)
    first, second = next(chunks), next(chunks)
    assert len(first) >= 5 and first[-1][0] < second[0][0]  # a date is never split across chunks
    dates = [d for d, _ in first + second]
    assert dates == sorted(dates)
