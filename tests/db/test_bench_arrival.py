"""bench/synthetic.py's arrival order: the live crawl stores documents in publication order (a bounded
lag), each backfill stores a source's archive newest first, and the documents and events are the same as
in random date order (only the dates move), so stores built either way compare query for query."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _synthetic() -> Any:
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_synthetic", BENCH / "synthetic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


synthetic = _synthetic()
N = 20_000


def _in_backfill(i: int) -> bool:
    return i % 3 == 0 and any(start <= i / N < stop for start, stop in synthetic.BACKFILLS)


def test_live_documents_arrive_in_publication_order_within_the_lag() -> None:
    live = [synthetic.arrival_date(i, N) for i in range(N) if not _in_backfill(i)]
    newest = live[0]
    for date in live:
        assert date >= newest - dt.timedelta(days=15)
        newest = max(newest, date)
    assert live[0] == synthetic.FIRST_DAY and live[-1] > synthetic.LAST_DAY - dt.timedelta(days=20)


def test_each_backfill_runs_newest_first_back_to_the_first_day() -> None:
    for start, stop in synthetic.BACKFILLS:
        run = [synthetic.arrival_date(i, N) for i in range(int(start * N), int(stop * N)) if _in_backfill(i)]
        assert run == sorted(run, reverse=True)
        assert run[-1] - synthetic.FIRST_DAY < dt.timedelta(days=30)
        live_then = synthetic.arrival_date(int(start * N) + 1, N)
        assert abs((run[0] - live_then).days) <= 15  # the archive starts where the live crawl stands


def test_arrival_changes_only_the_dates() -> None:
    random_order = list(synthetic.generate(300))
    arrival_order = list(synthetic.generate(300, arrival=True))
    for (doc_a, events_a), (doc_b, events_b) in zip(random_order, arrival_order, strict=True):
        assert (doc_a.source, doc_a.url, doc_a.language) == (doc_b.source, doc_b.url, doc_b.language)
        assert events_a == events_b
    assert [d.published for d, _ in arrival_order] != [d.published for d, _ in random_order]
