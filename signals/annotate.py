"""Signal facts an alert shows: the case step it reports and the measures it may respond to."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from signals.retaliation import responses_of


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
