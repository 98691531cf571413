"""Events with their document's dates and role lists but without the document text: what the signals
passes read (retaliation candidates, escalation contributions), where fetching ~6 KB of text per event
made every pass read the whole store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

# documents' date expression, as indexed by idx_documents_date (migration 8)
DOC_DATE = "coalesce(d.published, d.fetched)"


def event_rows(
    db: Database, where: str = "1", params: list[Any] | None = None, *, window: tuple[str, str] | None = None
) -> Iterator[dict[str, Any]]:
    """Like db.store.event_views minus d.text. `where` is a trusted SQL fragment with ? params.

    window (low, high): only events whose DOC_DATE lies in [low, high], read as one range of the
    date-ordered summary event_dates (migration 10), which also holds the imposing country: the cost
    follows the events in the window, not every event of a country in the store."""
    if window is None:
        source, bounds = "events e JOIN documents d ON d.id = e.document_id", []
    else:
        source = (
            "event_dates x CROSS JOIN events e ON e.id = x.event_id CROSS JOIN documents d"
            " ON d.id = e.document_id"
        )
        where, bounds = f"x.date >= ? AND x.date <= ? AND {where}", list(window)
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
