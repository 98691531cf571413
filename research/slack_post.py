"""The weekly report chart (the weekly job and `cwatch report --slack-channel` upload it: monitor/flow.py)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from db.queries import EventFilter, monthly_counts_by_type
from research import charts
from research.readonly import open_guarded
from research.report import MAIN_CHART

DEFAULT_WEEKS = 26  # the weekly chart shows half a year, so the new week is seen against a trend


@dataclass(frozen=True)
class Chart:
    path: Path
    title: str
    comment: str


@contextmanager
def weekly_chart(
    db: Database | str | Path, *, weeks: int = DEFAULT_WEEKS, now: datetime | None = None
) -> Iterator[Chart]:
    """Measures per month for the last `weeks` weeks, drawn into a temporary PNG (removed on exit).

    Pass the store's path from a scheduler thread: the job then opens its own read-only connection (SQLite
    connections must not cross threads).
    """
    since = ((now or datetime.now(UTC)) - timedelta(weeks=weeks)).date().isoformat()
    if isinstance(db, str | Path):
        store, _guard = open_guarded(db)
        try:
            rows = monthly_counts_by_type(store, EventFilter(since=since))
        finally:
            store.conn.close()
    else:
        rows = monthly_counts_by_type(db, EventFilter(since=since))
    with tempfile.TemporaryDirectory(prefix="cwatch-chart-") as tmp:
        drawn = charts.measures_per_month(rows, Path(tmp) / MAIN_CHART)
        yield Chart(
            drawn.path,
            title=f"Measures per month since {since}",
            comment=f"Weekly coercion-watch chart: measures per month by type since {since}.",
        )
