"""Before/after on one store in one process: another checkout's research/search.py and console search query
(research/canned.py) against this one's, and the listing queries with the documents table's old index
forced against the planner's choice.

    PYTHONPATH=$PWD .venv/bin/python bench/store_ab.py /tmp/cwatch-real/store.db --before /work/main

On a shared machine the load moves between two bench runs; alternating old and new on each of the same
varied parameters (bench/store.py's) times both under the same load. Each pair's results are compared
after timing: they must be equal, except where the new code says it lists the newest matches instead of
ranking them (a phrase past research.search.RANK_BUDGET matches): those parameters are counted and named.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from sqlite_utils import Database

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synthetic import COMMODITIES  # noqa: E402

from db import queries  # noqa: E402
from research import canned  # noqa: E402
from research.search import search  # noqa: E402

SEARCHES = ["gallium", "anti-dumping investigation", "high bandwidth memory", "稀土", "出口管制", "EU",
            "provisional duties", "polysilicon", "Reference", "tungsten licence", "quantum computing", "镓"]  # fmt: skip
OLD_INDEX = "INDEXED BY sqlite_autoindex_documents_1"  # the documents lookup by id before migration 18


def load_module(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


Verdict = str  # "equal", "newest" (the new code listed the newest matches instead of ranking) or "differs"
Pair = tuple[Callable[[int], Any], Callable[[int], Any], Callable[[Any, Any], Verdict]]


def equal(old: Any, new: Any) -> Verdict:
    return "equal" if repr(old) == repr(new) else "differs"


def search_equal(old: Any, new: Any) -> Verdict:
    if any(h.ranking == "newest" for h in new):
        return "newest"
    fields = [[{k: v for k, v in vars(h).items() if k != "ranking"} for h in hits] for hits in (old, new)]
    return "equal" if fields[0] == fields[1] else "differs"


def console_equal(old: Any, new: Any) -> Verdict:
    """The old query's columns (a checkout before the `ranking` column has seven, the new one eight)."""
    width = len(old[0]) if old else 7
    if width == 7 and any(str(row[7]).startswith("newest first") for row in new):
        return "newest"
    return "equal" if [tuple(row[:width]) for row in new] == [tuple(row) for row in old] else "differs"


def pairs(db: Database, before: Path) -> dict[str, Pair]:
    old = load_module("search_before", before / "research" / "search.py")
    old_canned = load_module("canned_before", before / "research" / "canned.py")
    old_item = canned.MEASURES_ON_ITEM.replace(
        "CROSS JOIN documents d", f"CROSS JOIN documents d {OLD_INDEX}"
    )
    old_alerts = canned.LATEST_ALERTS.replace("JOIN documents d ON", f"JOIN documents d {OLD_INDEX} ON")
    old_queries = load_module("queries_before", before / "db" / "queries.py")

    def item(sql: str) -> Callable[[int], Any]:
        return lambda i: db.execute(sql, {"item": COMMODITIES[i % len(COMMODITIES)][0]}).fetchmany(1000)

    def console(sql: str) -> Callable[[int], Any]:
        return lambda i: db.execute(sql, {"q": SEARCHES[i % len(SEARCHES)]}).fetchmany(1000)

    def export(module: ModuleType) -> Callable[[int], Any]:  # bench/store.py's months, first 1,000 rows
        def month(i: int) -> Any:
            y, m = 2015 + i % 11, 1 + i % 12
            return module.EventFilter(since=f"{y}-{m:02d}", until=f"{y}-{m:02d}-32")

        return lambda i: list(zip(range(1000), module.export_rows(db, month(i)), strict=False))

    return {
        "canned.measures_on_item": (item(old_item), item(canned.MEASURES_ON_ITEM), equal),
        "queries.export_rows(month, 1000)": (export(old_queries), export(queries), equal),
        "canned.latest_alerts": (
            lambda i: db.execute(old_alerts).fetchall(),
            lambda i: db.execute(canned.LATEST_ALERTS).fetchall(),
            equal,
        ),
        "canned.search_documents": (
            console(old_canned.SEARCH_DOCUMENTS),
            console(canned.SEARCH_DOCUMENTS),
            console_equal,
        ),
        "search.search": (
            lambda i: old.search(db, SEARCHES[i % len(SEARCHES)]),
            lambda i: search(db, SEARCHES[i % len(SEARCHES)]),
            search_equal,
        ),
    }


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--before", type=Path, required=True, help="checkout holding the old code")
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--only", action="append", help="time only this pair (repeatable)")
    args = parser.parse_args()
    db = Database(sqlite3.connect(args.store))
    print(f"load average before {os.getloadavg()}")
    only = set(args.only or [])
    for name, (old, new, same) in pairs(db, args.before).items():
        if only and name not in only:
            continue
        old(0), new(0)  # one warm-up run each, as bench/store.py does: later parameters are first visits
        times: dict[str, list[float]] = {"before": [], "after": []}
        for i in range(args.reps):
            runs = [("before", old), ("after", new)]
            for label, run in runs if i % 2 == 0 else runs[::-1]:
                start = time.perf_counter()
                run(i)
                times[label].append((time.perf_counter() - start) * 1000)
        for label, ms in times.items():
            print(f"  {name:32s} {label:6s} p50 {statistics.median(ms):8.1f} ms   p95 {p95(ms):8.1f} ms")
        newest = []
        for i in range(len(SEARCHES)):  # after timing, so that it warms nothing
            verdict = same(old(i), new(i))
            if verdict == "differs":
                raise SystemExit(f"{name}: results differ for parameter {i}")
            if verdict == "newest":
                newest.append(SEARCHES[i])
        if newest:  # the rest were equal
            print(f"    newest first, not ranked (deliberately different): {', '.join(newest)}")
    print(f"load average after {os.getloadavg()}")


if __name__ == "__main__":
    main()
