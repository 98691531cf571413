"""Per term of bench/store.py's searches: another checkout's search() and console query against this one's,
alternating on one store, with the new search's ranking.

    PYTHONPATH=$PWD .venv/bin/python bench/search_terms.py /tmp/store3-100k/store.db --before /work/main

Prints the median CPU time (user + system: steadier than wall time on a shared machine) of each side,
after one warm-up run each, and new / old of the medians.
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlite_utils import Database

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from store_ab import SEARCHES, load_module  # noqa: E402

from research import canned  # noqa: E402
from research.search import search  # noqa: E402


def cpu_ms() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return (used.ru_utime + used.ru_stime) * 1000


def timed(runs: dict[str, Callable[[], Any]], reps: int) -> dict[str, list[float]]:
    for run in runs.values():
        run()  # warm-up
    times: dict[str, list[float]] = {name: [] for name in runs}
    order = list(runs.items())
    for i in range(reps):
        for name, run in order if i % 2 == 0 else order[::-1]:
            start = cpu_ms()
            run()
            times[name].append(cpu_ms() - start)
    return times


def runs_for(db: Database, q: str, old_search: Any, old_canned: Any) -> dict[str, Callable[[], Any]]:
    def console(sql: str) -> Callable[[], Any]:
        return lambda: db.execute(sql, {"q": q}).fetchall()

    return {
        "old": lambda: old_search.search(db, q),
        "new": lambda: search(db, q),
        "old_console": console(old_canned.SEARCH_DOCUMENTS),
        "new_console": console(canned.SEARCH_DOCUMENTS),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--before", type=Path, required=True, help="checkout holding the old code")
    parser.add_argument("--reps", type=int, default=6)
    args = parser.parse_args()
    old_search = load_module("search_before", args.before / "research" / "search.py")
    old_canned = load_module("canned_before", args.before / "research" / "canned.py")
    db = Database(sqlite3.connect(args.store))
    print(
        f"{'term':28s} {'ranking':8s} {'search old':>10s} {'new':>6s} {'ratio':>6s}   {'console old':>11s} {'new':>6s} {'ratio':>6s}"
    )
    for q in SEARCHES:
        runs = runs_for(db, q, old_search, old_canned)
        med = {name: statistics.median(ms) for name, ms in timed(runs, args.reps).items()}
        hits = search(db, q)
        ranking = hits[0].ranking if hits else "-"
        print(
            f"{q:28s} {ranking:8s} {med['old']:10.1f} {med['new']:6.1f} {med['new'] / max(med['old'], 1e-3):6.2f}"
            f"   {med['old_console']:11.1f} {med['new_console']:6.1f}"
            f" {med['new_console'] / max(med['old_console'], 1e-3):6.2f}"
        )


if __name__ == "__main__":
    main()
