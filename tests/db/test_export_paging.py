"""export_rows streams: its plan walks a period's events in date order (event_dates, migration 10),
finds each document by (date, id) in the date index (migration 21) and sorts only within one date, so a
caller reading the first rows reads only their events and documents (a month's first 1,000 rows at
1,000,000 documents read ~1,000 documents, not the month's ~6,000, and no index keyed by a hash). Checked
on a real store, with one date shared by a fifth of the documents, against the rows sorted in Python."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlite_utils import Database

from db.queries import EventFilter, export_rows
from db.store import open_db
from tests.research.test_search_at_scale import build_realistic


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = open_db(build_realistic(tmp_path_factory.mktemp("export") / "store.db"))
    with database.conn:
        database.execute("UPDATE documents SET published = '2024-05-01' WHERE rowid % 5 = 0")
    yield database
    database.conn.close()


def test_the_plan_sorts_within_a_date_only(db: Database) -> None:
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    try:
        first = next(export_rows(db, EventFilter(since="2019")))
    finally:
        db.conn.set_trace_callback(None)
    assert first["published"] >= "2019"
    sql = next(s for s in statements if "FROM event_dates x" in s)
    plan = [row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}")]
    assert plan[:3] == [
        "SEARCH x USING PRIMARY KEY (date>?)",
        "SEARCH e USING INTEGER PRIMARY KEY (rowid=?)",
        "SEARCH d USING INDEX idx_documents_date (<expr>=? AND id=?)",
    ], plan
    assert plan[-1] == "USE TEMP B-TREE FOR RIGHT PART OF ORDER BY", plan


@pytest.mark.parametrize("flt", [EventFilter(), EventFilter(since="2024-05-01", until="2024-05-02")])
def test_every_event_once_in_date_order(db: Database, flt: EventFilter) -> None:
    rows = list(export_rows(db, flt))
    where, params = flt.where()
    count = db.execute(
        f"SELECT count(*) FROM events e JOIN documents d ON d.id = e.document_id WHERE {where}", params
    )
    assert len(rows) == count.fetchone()[0] > 50
    assert len({r["event_id"] for r in rows}) == len(rows)
    keys = [((r["published"] or r["fetched"]), r["document_id"], r["event_type"]) for r in rows]
    assert keys == sorted(keys)
