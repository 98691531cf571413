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
    db: Database, where: str = "1", params: list[Any] | None = None, *, by_date: bool = False
) -> Iterator[dict[str, Any]]:
    """Like db.store.event_views minus d.text. `where` is a trusted SQL fragment with ? params.

    by_date: `where` bounds DOC_DATE; read documents by that index first (CROSS JOIN fixes the order),
    so the cost follows the documents in the window, not every event of a country in the store."""
    join = (
        "documents d CROSS JOIN events e ON e.document_id = d.id"
        if by_date
        else "events e JOIN documents d ON d.id = e.document_id"
    )
    sql = f"""
        SELECT e.*, d.title, d.url, d.source, d.published, d.language, d.fetched,
            (SELECT json_group_array(country) FROM event_targets WHERE event_id = e.id) AS targets,
            (SELECT json_group_array(commodity) FROM event_commodities WHERE event_id = e.id) AS commodities,
            (SELECT json_group_array(technology) FROM event_technologies WHERE event_id = e.id) AS technologies
        FROM {join}
        WHERE {where} ORDER BY e.id
    """
    for row in db.query(sql, params or []):
        for key in ("targets", "commodities", "technologies"):
            row[key] = json.loads(row[key])
        yield row
