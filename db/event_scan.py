"""Events with their document's dates and role lists but without the document text: what the signals
passes read (retaliation candidates, escalation contributions), where fetching ~6 KB of text per event
made every pass read the whole store."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from sqlite_utils import Database

# documents' date expression, as indexed by idx_documents_date (migration 8; with the id since 21)
DOC_DATE = "coalesce(d.published, d.fetched)"


def event_rows(
    db: Database,
    where: str = "1",
    params: list[Any] | None = None,
    *,
    window: tuple[str, str | None] | None = None,
) -> Iterator[dict[str, Any]]:
    """Like db.store.event_views minus d.text. `where` is a trusted SQL fragment with ? params.

    window (low, high): only events whose DOC_DATE lies in [low, high] (high None: no upper bound), read
    as one range of the date-ordered summary event_dates (migration 10), which also holds the imposing
    country: the cost follows the events in the window, not every event of a country in the store."""
    bounds: list[Any] = []
    if window is None:
        source = "events e JOIN documents d ON d.id = e.document_id"
    else:
        source = (
            "event_dates x CROSS JOIN events e ON e.id = x.event_id CROSS JOIN documents d"
            " ON d.id = e.document_id"
        )
        low, high = window
        bounds = [low] if high is None else [low, high]
        where = f"x.date >= ? AND {'x.date <= ? AND ' if high is not None else ''}{where}"
    sql = f"""
        SELECT e.*, d.title, d.url, d.source, d.published, d.language, d.fetched,
            (SELECT json_group_array(country) FROM event_targets WHERE event_id = e.id) AS targets,
            (SELECT json_group_array(commodity) FROM event_commodities WHERE event_id = e.id) AS commodities,
            (SELECT json_group_array(technology) FROM event_technologies WHERE event_id = e.id) AS technologies
        FROM {source}
        WHERE {where} ORDER BY e.id
    """
    for row in db.query(sql, [*bounds, *(params or [])]):
        for key in ("targets", "commodities", "technologies"):
            row[key] = json.loads(row[key])
        yield row


TEXT_BATCH = 500  # ids per query (SQLite's variable limit is far above; memory per batch stays small)


def texts(db: Database, document_ids: Iterable[str]) -> dict[str, str]:
    """The text of each document, read by primary key in batches (what the public date needs of it)."""
    ids, found = sorted(document_ids), dict[str, Any]()
    for first in range(0, len(ids), TEXT_BATCH):
        chunk = ids[first : first + TEXT_BATCH]
        marks = ",".join("?" * len(chunk))
        found.update(db.execute(f"SELECT id, text FROM documents WHERE id IN ({marks})", chunk).fetchall())
    return {key: str(value or "") for key, value in found.items()}
