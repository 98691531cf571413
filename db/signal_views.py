"""Signal facts as other stages read them (signals/ writes them): the case step a document reports and the
measures an event may respond to. alerts/render.py shows both."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database


def responses_of(db: Database, event_id: int, limit: int = 3) -> list[dict[str, Any]]:
    """The stored links of an event, best first, with the earlier measure's title, URL and roles."""
    rows = list(
        db.query(
            "SELECT r.rank, r.score, r.days, r.components, e.id AS prior_event_id, e.event_type, e.imposing,"
            " d.title, d.url, d.source, coalesce(d.published, d.fetched) AS published FROM retaliation_links r"
            " JOIN events e ON e.id = r.prior_event_id JOIN documents d ON d.id = e.document_id"
            " WHERE r.event_id = ? ORDER BY r.rank LIMIT ?",
            [event_id, limit],
        )
    )
    for row in rows:
        row["components"] = json.loads(row["components"])
    return rows


def annotate(db: Database, view: dict[str, Any]) -> dict[str, Any]:
    """Extra keys for alerts/render.py: `case` ({stage, previous, effective}) and `responds_to` (links)."""
    extra: dict[str, Any] = {}
    document_id = view.get("document_id")
    if document_id:
        row = db.execute(
            "SELECT case_id, stage, published, effective FROM case_documents WHERE document_id = ?",
            [document_id],
        ).fetchone()
        if row:
            before = db.execute(
                "SELECT stage FROM case_documents WHERE case_id = ? AND document_id != ? AND published <= ?"
                " ORDER BY published DESC LIMIT 1",
                [row[0], document_id, row[2]],
            ).fetchone()
            extra["case"] = {
                "id": row[0],
                "stage": row[1],
                "previous": before[0] if before else None,
                "effective": row[3],
            }
    if view.get("id") is not None and view.get("event_type") != "measure":
        links = responses_of(db, int(view["id"]), limit=1)
        if links:
            extra["responds_to"] = links
    return extra
