"""The daily signals job (the daemon runs it; `cwatch signals update` runs it by hand, via monitor/flow.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlite_utils import Database

from signals.cases import link_pending
from signals.escalation_pass import compute_index
from signals.notify import queue_notices, today
from signals.retaliation_passes import link_recent
from watchlists.schema import Watchlist

NOTICE_LOOKBACK_DAYS = 2  # a missed run still notices yesterday's crossings; older ones stay quiet


@dataclass
class DailySummary:
    cases_linked: int = 0
    retaliation_links: int = 0  # links held by the events the pass re-scored (0 when nothing changed)
    index_rows: int = 0
    notices_queued: int = 0
    notices_delivered: int = 0


def daily(
    db: Database,
    watchlists: Sequence[Watchlist] = (),
    *,
    until: date | None = None,
    since: date | None = None,
) -> DailySummary:
    """Link new case documents, refresh retaliation links, recompute the index, queue notices (monitor/flow.py
    delivers them)."""
    until = until or today()
    summary = DailySummary()
    summary.cases_linked = link_pending(db)
    summary.retaliation_links = link_recent(db)
    summary.index_rows = compute_index(db, until=until)
    start = since or until - timedelta(days=NOTICE_LOOKBACK_DAYS - 1)
    summary.notices_queued = queue_notices(db, list(watchlists), since=start, until=until)
    return summary
