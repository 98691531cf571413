"""Datasette plugin for the console: links between rows, and what a document page shows.

Registered by research/console.py on the Datasette it builds (never installed globally). Cells named
`document_id`, `case_id` or `story_id` in any table or stored query become links to that row, so the
"this week" and story queries lead to the documents; a document's row page gets its events, story and
case (templates/row.html lays them out).
"""

from __future__ import annotations

from typing import Any

import markupsafe
from datasette import hookimpl

# Column name in a stored query's results -> the table whose row the value names. Story ids lead to the
# stored query listing the story's documents, which reads better than the bare stories row. Tables are
# left alone: Datasette already links their foreign keys, with labels.
_LINKED = {"document_id": "documents", "case_id": "cases", "prior_document_id": "documents"}


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str, datasette: Any) -> Any:
    if table is not None or value is None or value == "":
        return None
    if column in _LINKED:
        href = datasette.urls.row(database, _LINKED[column], str(value))
    elif column == "story_id" and isinstance(value, int):
        href = datasette.urls.query(database, "story_documents") + f"?story_id={int(value)}"
    else:
        return None
    return markupsafe.Markup('<a href="{}">{}</a>').format(href, value)


async def _document_links(datasette: Any, database: str, doc_id: str) -> dict[str, Any]:
    db = datasette.get_database(database)

    async def rows(sql: str) -> list[dict[str, Any]]:
        try:
            return [dict(r) for r in (await db.execute(sql, {"id": doc_id})).rows]
        except Exception:  # noqa: BLE001 - an older store lacks the table: the page just omits the link
            return []

    return {
        "doc_events": await rows(
            "SELECT e.id, e.event_type, e.direction, e.imposing, e.stage, round(e.confidence, 2) AS confidence, "
            "(SELECT group_concat(country, ', ') FROM event_targets WHERE event_id = e.id) AS targets "
            "FROM events e WHERE e.document_id = :id AND e.event_type != 'none' ORDER BY e.confidence DESC"
        ),
        "doc_stories": await rows(
            "SELECT DISTINCT s.id, s.title FROM story_members m JOIN stories s ON s.id = m.story_id "
            "WHERE m.document_id = :id"
        ),
        "doc_cases": await rows(
            "SELECT c.id, c.title, c.stage, cd.stage AS document_stage FROM case_documents cd "
            "JOIN cases c ON c.id = cd.case_id WHERE cd.document_id = :id"
        ),
        "doc_source": (
            await rows(
                "SELECT s.publisher, s.jurisdiction FROM documents d JOIN sources s ON s.slug = d.source "
                "WHERE d.id = :id"
            )
        )[:1],
    }


@hookimpl
def extra_template_vars(
    template: str, database: str | None, table: str | None, request: Any, datasette: Any
) -> Any:
    if template != "row.html" or table != "documents" or request is None or database is None:
        return {}
    doc_id = request.url_vars.get("pks", "")

    async def inner() -> dict[str, Any]:
        from datasette.utils import urlsafe_components

        return await _document_links(datasette, database, urlsafe_components(doc_id)[0])

    return inner
