"""`cwatch browse`: the event store in Datasette, read-only, on 127.0.0.1.

Datasette opens a mutable database file with SQLite's `mode=ro` (we never pass it as immutable: the
daemon keeps writing, and `immutable=1` would ignore the WAL and show stale or torn data), installs
no write plugins, and rejects non-SELECT SQL; its SQL page therefore cannot change the store.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from db.queries import table_exists
from db.store import open_db
from db.taxonomy import DIRECTIONS, EVENT_TYPES, STAGES
from research.canned import canned_queries

PROJECT_URL = "https://github.com/coercion-watch/coercion-watch"
FACETS: list[Any] = [
    "event_type",
    "direction",
    "imposing",
    "stage",
    {"array": "targets"},
    {"array": "commodities"},
    {"array": "technologies"},
]

TABLES: dict[str, dict[str, Any]] = {
    "sources": {
        "description": "Publishers we crawl: one row per spider. Follow `url` to the publisher's site.",
        "columns": {
            "slug": "Source id, also the spider name",
            "publisher": "Who publishes it",
            "jurisdiction": "ISO 3166-1 alpha-2 code, EU, or XX for multi-country news",
            "kind": "official (a government) | news | other",
            "url": "The publisher's listing page",
        },
    },
    "documents": {
        "description": "Every announcement or article collected. `url` links to the original; the id is "
        "stable (from the notice number or canonical URL).",
        "label_column": "title",
        "columns": {
            "id": "Stable document id (sha256 of notice number or canonical URL, 24 hex)",
            "source": "The source's slug",
            "url": "The original page at the publisher",
            "notice_number": "The publisher's own notice number, when it has one",
            "language": "ISO 639-1 language of the text",
            "published": "Publication date as the publisher states it (ISO 8601)",
            "fetched": "When we first fetched it (UTC)",
            "updated": "When we saw the content change (UTC)",
            "tagged_at": "When the classifier last tagged it",
        },
    },
    "events": {
        "description": "Measures recognised in documents: one row per document and measure type.",
        "columns": {
            "document_id": "The document the measure was read from",
            "event_type": " | ".join(EVENT_TYPES),
            "direction": " | ".join(DIRECTIONS),
            "imposing": "Country imposing the measure (ISO alpha-2 or EU)",
            "stage": " | ".join(STAGES),
            "confidence": "Classifier probability for this type",
            "model_version": "Classifier version that produced the row",
        },
    },
    "event_targets": {
        "description": "Countries targeted by an event (none: applies to all).",
        "columns": {"country": "ISO alpha-2 or EU"},
    },
    "event_commodities": {
        "description": "Commodities named by an event.",
        "columns": {
            "commodity": "Canonical lowercase English name",
            "hs_code": "Harmonized System code, when known",
        },
    },
    "event_technologies": {
        "description": "Technologies named by an event.",
        "columns": {"technology": "Canonical lowercase name"},
    },
    "alerts": {
        "description": "The Slack outbox: one row per watchlist and document.",
        "columns": {
            "watchlist": "Watchlist file name",
            "status": "pending | sent | failed",
            "slack_ts": "Slack message timestamp once sent",
        },
    },
    "crawl_runs": {"description": "One row per crawl of a source, with counts and the failure reason."},
    "event_facets": {
        "description": "One row per event with its document and roles: facet here by type, direction, "
        "country, commodity, technology or stage.",
        "facets": FACETS,
        "columns": {
            "month": "YYYY-MM of the document's date",
            "targets": "JSON array of target countries",
            "commodities": "JSON array",
            "technologies": "JSON array",
        },
    },
}


TABLES.update(
    {
        "cases": {
            "description": "Proceedings followed through their stages (initiation, preliminary, final, "
            "in force …): one row per case, with its current stage.",
        },
        "case_stages": {"description": "When each case reached each stage, and the document that shows it."},
        "case_documents": {"description": "Which document belongs to which case, and how it was linked."},
        "retaliation_links": {
            "description": "Possible responses: `event_id` may answer `prior_event_id` (ranked; `days` "
            "between the dates each was first made public; `components` explains the score)."
        },
        "escalation_index": {
            "description": "Daily escalation index per imposing → target pair, with its 7-day change (a view"
            " derived from escalation_points; `cwatch escalation` also lists the top contributions)."
        },
        "stories": {"description": "Documents about one development grouped into a story (alert threads)."},
        "story_members": {"description": "The documents of each story."},
    }
)

# Shown first on the store's page, in this order (templates/database.html); everything else the monitor
# keeps for itself (queues, settings, caches, summary tables, Slack bookkeeping) is hidden.
MAIN_TABLES = [
    "documents",
    "events",
    "cases",
    "case_stages",
    "retaliation_links",
    "escalation_index",
    "stories",
    "sources",
    "alerts",
    "crawl_runs",
]
VISIBLE_TABLES = set(MAIN_TABLES) | {
    "event_targets",
    "event_commodities",
    "event_technologies",
    "case_documents",
    "story_members",
    "digests",
    "escalation_notices",
    "human_labels",
    "alert_labels",
}
TEMPLATES = Path(__file__).with_name("templates")


def _table_names(db: Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()]


def build_metadata(db: Database, name: str) -> dict[str, Any]:
    """Datasette metadata for the store called `name` (the file's stem)."""
    tables = {t: meta for t, meta in TABLES.items() if table_exists(db, t)}
    if "event_facets" not in tables:
        # A store migrated before migration 5 existed: facet the events table itself.
        tables["events"] = {**tables["events"], "facets": FACETS[:4]}
    for table in _table_names(db):
        if table not in VISIBLE_TABLES:
            tables[table] = {**tables.get(table, {}), "hidden": True}
    queries = canned_queries(db)
    for query in queries.values():
        query.setdefault("hide_sql", True)  # the form and rows first; "Show SQL" reveals it
    return {
        "title": "coercion-watch event store",
        "description": "Economic coercion measures collected from official sources and trade news. "
        "Read-only. Every document links to its original at the publisher.",
        "source": "coercion-watch",
        "source_url": PROJECT_URL,
        "databases": {name: {"tables": tables, "queries": queries, "main_tables": MAIN_TABLES}},
    }


def make_datasette(path: str | Path) -> Any:
    from datasette.app import Datasette  # imported here: it is heavy and only `browse` needs it

    path = Path(path)
    db = open_db(path, read_only=True)
    try:
        metadata = build_metadata(db, path.stem)
    finally:
        db.conn.close()
    from datasette.plugins import pm

    from research import console_pages

    if not pm.is_registered(console_pages):
        pm.register(console_pages, name="coercion-watch-console")
    return Datasette(
        files=[str(path)],
        metadata=metadata,
        template_dir=str(TEMPLATES),
        settings={"sql_time_limit_ms": 5000, "default_page_size": 50, "allow_download": False},
    )


def serve(path: str | Path, *, port: int = 8001, host: str = "127.0.0.1") -> None:
    """Serve until interrupted. Binds 127.0.0.1 by default: the console has no login."""
    import uvicorn

    ds = make_datasette(path)
    asyncio.run(ds.invoke_startup())
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on", workers=1)
