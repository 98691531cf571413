"""Read-only aggregate queries for research: charts, reports and exports.

Every value from a user (dates, country codes, types) goes in as a parameter; the only SQL built
here is a fixed set of clauses chosen by which filters are present.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

# The date of a measure is its publication date; undated documents count from when we fetched them.
EVENT_DATE = "coalesce(d.published, d.fetched)"


@dataclass(frozen=True)
class Events:
    """Where the aggregates read events from: `source` (alias e, with event_type and imposing), the
    expressions for an event's date and id in it."""

    source: str
    date: str
    id: str


# Every event joined with its document (the date lives on the document)...
JOINED = Events("events e JOIN documents d ON d.id = e.document_id", EVENT_DATE, "e.id")
# ...or the same rows kept in date order by migration 10: a period is one range, no document reads.
DATED = Events("event_dates e", "e.date", "e.event_id")


def events_source(db: Database) -> Events:
    return DATED if table_exists(db, "event_dates") else JOINED


@dataclass
class EventFilter:
    since: str | None = None  # ISO date or datetime prefix, compared as text
    until: str | None = None
    types: Sequence[str] = field(default_factory=tuple)
    imposing: Sequence[str] = field(default_factory=tuple)
    targets: Sequence[str] = field(default_factory=tuple)

    def where(self, events: Events = JOINED) -> tuple[str, list[Any]]:
        """A WHERE clause over `events.source` and its parameters."""
        clauses, params = self._clauses(events.date, "e.")
        if self.targets:
            marks = ", ".join("?" for _ in self.targets)
            clauses.append(
                f"EXISTS (SELECT 1 FROM event_targets t WHERE t.event_id = {events.id}"
                f" AND t.country IN ({marks}))"
            )
            params.extend(code.upper() for code in self.targets)
        return " AND ".join(clauses), params

    def summary_where(self) -> tuple[str, list[Any]] | None:
        """The same filter over a monthly summary table (columns month, event_type, imposing; migration
        10), or None when only the events can answer it: a target filter (an event counts once however
        many of its targets match), or a date bound finer than a month. A bound of at most 7 ASCII
        characters ('2024', '2024-03') compares with the month exactly as with the date, the month being
        the date's first 7 characters."""
        if self.targets or any(len(bound.encode()) > 7 for bound in (self.since, self.until) if bound):
            return None
        clauses, params = self._clauses("month", "")
        return " AND ".join(clauses), params

    def _clauses(self, date: str, prefix: str) -> tuple[list[str], list[Any]]:
        clauses: list[str] = ["1"]
        params: list[Any] = []
        if self.since:
            clauses.append(f"{date} >= ?")
            params.append(self.since)
        if self.until:
            clauses.append(f"{date} < ?")
            params.append(self.until)
        if self.types:
            clauses.append(f"{prefix}event_type IN ({', '.join('?' for _ in self.types)})")
            params.extend(self.types)
        if self.imposing:
            clauses.append(f"{prefix}imposing IN ({', '.join('?' for _ in self.imposing)})")
            params.extend(code.upper() for code in self.imposing)
        return clauses, params


def _summary_where(db: Database, table: str, flt: EventFilter) -> tuple[str, list[Any]] | None:
    return flt.summary_where() if table_exists(db, table) else None


def monthly_counts_by_type(db: Database, flt: EventFilter | None = None) -> list[dict[str, Any]]:
    """Rows of (month 'YYYY-MM', event_type, n), months ascending."""
    flt = flt or EventFilter()
    summary = _summary_where(db, "event_month_counts", flt)
    if summary is not None:  # the same numbers, from ~10k rows instead of every event
        where, params = summary
        sql = f"""
            SELECT month, event_type, sum(n) AS n FROM event_month_counts WHERE {where}
            GROUP BY month, event_type ORDER BY month, event_type
        """
        return list(db.query(sql, params))
    events = events_source(db)
    where, params = flt.where(events)
    sql = f"""
        SELECT substr({events.date}, 1, 7) AS month, e.event_type, count(*) AS n
        FROM {events.source}
        WHERE {where} AND e.event_type != 'none'
        GROUP BY month, e.event_type ORDER BY month, e.event_type
    """
    return list(db.query(sql, params))


def pair_counts(db: Database, flt: EventFilter | None = None) -> list[dict[str, Any]]:
    """Rows of (imposing, target, n): how many measures each country imposed on each target."""
    flt = flt or EventFilter()
    summary = _summary_where(db, "event_pair_counts", flt)
    if summary is not None:
        where, params = summary
        sql = f"""
            SELECT imposing, target, sum(n) AS n FROM event_pair_counts
            WHERE {where} AND imposing IS NOT NULL
            GROUP BY imposing, target ORDER BY n DESC, imposing, target
        """
        return list(db.query(sql, params))
    events = events_source(db)
    where, params = flt.where(events)
    sql = f"""
        SELECT e.imposing, t.country AS target, count(*) AS n
        FROM {events.source}
        JOIN event_targets t ON t.event_id = {events.id}
        WHERE {where} AND e.imposing IS NOT NULL AND e.event_type != 'none'
        GROUP BY e.imposing, t.country ORDER BY n DESC, e.imposing, t.country
    """
    return list(db.query(sql, params))


def top_items(
    db: Database, kind: str, flt: EventFilter | None = None, limit: int = 10
) -> list[dict[str, Any]]:
    """Most frequent commodities (kind='commodity') or technologies (kind='technology')."""
    table, column = {
        "commodity": ("event_commodities", "commodity"),
        "technology": ("event_technologies", "technology"),
    }[kind]
    events = events_source(db)
    where, params = (flt or EventFilter()).where(events)
    sql = f"""
        SELECT r.{column} AS name, count(DISTINCT {events.id}) AS n
        FROM {events.source}
        JOIN {table} r ON r.event_id = {events.id}
        WHERE {where}
        GROUP BY r.{column} ORDER BY n DESC, name LIMIT ?
    """
    return list(db.query(sql, [*params, limit]))


# A period's events for the export, walked in date order from event_dates (migration 10); each one's
# document is then found by (date, id) in the date index (migration 21), next to the previous one's.
# `+x.date` drops the column's TEXT affinity, without which SQLite cannot look the expression index up.
EXPORT_BY_DATE = Events(
    "event_dates x CROSS JOIN events e ON e.id = x.event_id"  # CROSS JOIN: SQLite keeps this join order
    f" CROSS JOIN documents d INDEXED BY idx_documents_date ON {EVENT_DATE} = +x.date AND d.id = e.document_id",
    "x.date",
    "e.id",
)


def _export_source(db: Database) -> Events:
    indexed = db.execute("SELECT sql FROM sqlite_master WHERE name = 'idx_documents_date'").fetchone()
    by_date = table_exists(db, "event_dates") and indexed is not None and ", id)" in indexed[0]
    return EXPORT_BY_DATE if by_date else JOINED


def export_rows(db: Database, flt: EventFilter | None = None) -> Iterator[dict[str, Any]]:
    """Events with their document and source, oldest first. `key` is stable across re-tagging
    (the numeric event id is not: tagging replaces a document's events)."""
    events = _export_source(db)
    where, params = (flt or EventFilter()).where(events)
    sql = f"""
        SELECT d.id || ':' || e.event_type AS key, e.id AS event_id, e.event_type, e.direction,
            e.imposing, e.stage, e.confidence, e.model_version, e.created_at,
            (SELECT json_group_array(country) FROM event_targets WHERE event_id = e.id) AS targets,
            (SELECT json_group_array(json_object('name', commodity, 'hs_code', hs_code))
                FROM event_commodities WHERE event_id = e.id) AS commodities,
            (SELECT json_group_array(technology) FROM event_technologies WHERE event_id = e.id)
                AS technologies,
            d.id AS document_id, d.title, d.url, d.notice_number, d.language, d.published, d.fetched,
            d.text, d.source, s.publisher, s.url AS source_url, s.kind AS source_kind
        FROM {events.source}
        JOIN sources s ON s.slug = d.source
        WHERE {where}
        ORDER BY {events.date}, d.id, e.event_type
    """
    for row in db.query(sql, params):
        for key in ("targets", "commodities", "technologies"):
            row[key] = json.loads(row[key])
        yield row


def table_exists(db: Database, name: str) -> bool:
    found = db.execute("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?", [name])
    return found.fetchone() is not None
