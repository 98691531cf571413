"""Source health and publication → alert latency, read from the store."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from db.stories import parse_time


@dataclass
class SourceHealth:
    slug: str
    last_run: str | None
    last_status: str | None
    last_reason: str | None
    last_success: str | None
    last_items: int | None
    failures_in_a_row: int
    latency_p50_s: float | None
    latency_p95_s: float | None
    alerts_7d: int


def failures_in_a_row(db: Database, slug: str) -> int:
    count = 0
    for row in db.query(
        "SELECT status FROM crawl_runs WHERE source = ? AND status != 'running' ORDER BY id DESC", [slug]
    ):
        if row["status"] == "ok":
            break
        count += 1
    return count


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile; None for no data."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def alert_latencies(db: Database, slug: str, since: datetime) -> list[float]:
    """Seconds from publication (or first seen, when the publisher gives no time) to the Slack post."""
    rows = db.query(
        "SELECT d.published, d.fetched, min(a.sent_at) AS sent_at FROM alerts a JOIN documents d ON d.id = a.document_id"
        " WHERE d.source = ? AND a.status = 'sent' AND a.sent_at >= ? GROUP BY d.id",
        [slug, since.isoformat(timespec="seconds")],
    )
    latencies = []
    for row in rows:
        start = parse_time(row["published"]) or parse_time(row["fetched"])
        sent = parse_time(row["sent_at"])
        if start and sent:
            latencies.append(max(0.0, (sent - start).total_seconds()))
    return latencies


def source_health(db: Database, *, days: int = 7) -> list[SourceHealth]:
    since = datetime.now(UTC) - timedelta(days=days)
    health = []
    slugs = [r["slug"] for r in db.query("SELECT slug FROM sources ORDER BY slug")]
    for slug in slugs:
        last = next(
            iter(db.query("SELECT * FROM crawl_runs WHERE source = ? ORDER BY id DESC LIMIT 1", [slug])), None
        )
        ok = next(
            iter(
                db.query(
                    "SELECT finished FROM crawl_runs WHERE source = ? AND status = 'ok' ORDER BY id DESC LIMIT 1",
                    [slug],
                )
            ),
            None,
        )
        latencies = alert_latencies(db, slug, since)
        health.append(
            SourceHealth(
                slug=slug,
                last_run=last["started"] if last else None,
                last_status=last["status"] if last else None,
                last_reason=last["reason"] if last else None,
                last_success=ok["finished"] if ok else None,
                last_items=last["items"] if last else None,
                failures_in_a_row=failures_in_a_row(db, slug),
                latency_p50_s=percentile(latencies, 50),
                latency_p95_s=percentile(latencies, 95),
                alerts_7d=len(latencies),
            )
        )
    return health


def outbox_problems(db: Database, limit: int = 20) -> list[dict[str, Any]]:
    """Failed or retrying posts of both outboxes: single alerts and digests."""
    return list(
        db.query(
            "SELECT * FROM ("
            " SELECT 'alert' AS kind, id, watchlist, channel, attempts, last_error FROM alerts"
            "  WHERE status = 'failed' OR (status = 'pending' AND attempts > 0)"
            " UNION ALL"
            " SELECT 'digest', id, watchlist, channel, attempts, last_error FROM digests"
            "  WHERE status = 'failed' OR (status = 'pending' AND attempts > 0)"
            ") ORDER BY kind, id DESC LIMIT ?",
            [limit],
        )
    )
