"""The daily retaliation pass of two code trees, alternately, on copies of one store; links compared.

    .venv/bin/python bench/retaliation_ab.py --base /tmp/retal3/s100k.db --work /tmp/retal3/ab \\
        --before /work/main --after /work/wt-retal3 --rounds 3 --new 300

Copies --base twice (before.db, after.db) and runs one long-lived worker process per tree (PYTHONPATH and
imports from that tree only: each worker prints which signals/retaliation.py it runs). Each worker first
runs one untimed pass (a store's first pass with a tree's code); then, per round, both add the same --new
documents (bench/signals_pass.py's add_new: dated today, every tenth a late arrival) and each times
link_recent, the order alternating between rounds. After every round every retaliation_links row
(components included, not computed_at) of the two copies is compared. At the end a third copy of the
after-store has its links, digests, log and state emptied and the after tree's pass runs from scratch:
its rows must equal the incrementally kept ones for the recent events. Prints each round's times and the
min / median per tree.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

LINK_COLUMNS = "event_id, prior_event_id, rank, score, days, components"


def worker(tree: Path, db_path: Path) -> None:
    """Serve commands on stdin (one JSON a line): {"do": "pass"} | {"do": "add", "first": N, "count": K}."""
    sys.path[:0] = [str(tree), str(tree / "bench")]
    import signals_pass

    from db.store import open_db

    try:  # the passes have their own module since the split of signals/retaliation.py; older checkouts keep them here
        import signals.retaliation_passes as passes
    except ImportError:
        import signals.retaliation as passes  # type: ignore[no-redef]

    db = open_db(db_path)
    print(json.dumps({"code": passes.__file__}), flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        if command["do"] == "add":
            signals_pass.add_new(db, command["first"], command["count"])
            print(json.dumps({"ok": True}), flush=True)
        elif command["do"] == "pass":
            t = time.perf_counter()
            links = passes.link_recent(db)
            print(json.dumps({"seconds": time.perf_counter() - t, "links": links}), flush=True)
        elif command["do"] == "scratch":
            with db.conn:
                for table in (
                    "retaliation_links",
                    "retaliation_inputs",
                    "retaliation_state",
                    "retaliation_changes",
                ):
                    db.execute(f"DELETE FROM {table}")
            t = time.perf_counter()
            links = passes.link_recent(db)
            print(json.dumps({"seconds": time.perf_counter() - t, "links": links}), flush=True)
    db.conn.close()


class Worker:
    def __init__(self, tree: Path, db_path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--worker", str(tree), "--db", str(db_path)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=tree,
            env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        )  # fmt: skip
        self.code = self._read()["code"]

    def _read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("worker ended")
        return dict(json.loads(line))

    def ask(self, **command: Any) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        return self._read()

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait()


def copy(base: Path, to: Path) -> None:
    for suffix in ("", "-wal"):
        source = Path(f"{base}{suffix}")
        Path(f"{to}{suffix}").unlink(missing_ok=True)
        if source.exists():
            shutil.copyfile(source, f"{to}{suffix}")
    Path(f"{to}-shm").unlink(missing_ok=True)


def links(path: Path, event_ids: set[int] | None = None) -> set[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    rows = {tuple(r) for r in conn.execute(f"SELECT {LINK_COLUMNS} FROM retaliation_links").fetchall()}
    conn.close()
    return rows if event_ids is None else {r for r in rows if r[0] in event_ids}


def recent_events(path: Path) -> set[int]:
    since = (datetime.now(UTC) - timedelta(days=90)).isoformat()
    conn = sqlite3.connect(path)
    sql = ("SELECT x.event_id FROM event_dates x JOIN events e ON e.id = x.event_id"
           " WHERE x.date >= ? AND e.direction = 'restrictive'")  # fmt: skip
    found = {int(r[0]) for r in conn.execute(sql, [since]).fetchall()}
    conn.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--base", type=Path)
    parser.add_argument("--work", type=Path, default=Path("/tmp/retaliation-ab"))
    parser.add_argument("--before", type=Path, default=Path("/work/main"))
    parser.add_argument("--after", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--new", type=int, default=0, help="documents added before each round")
    parser.add_argument("--no-scratch", action="store_true", help="skip the from-scratch comparison")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.db)
        return
    args.work.mkdir(parents=True, exist_ok=True)
    paths = {"before": args.work / "before.db", "after": args.work / "after.db"}
    for path in paths.values():
        copy(args.base, path)
    conn = sqlite3.connect(paths["before"])
    docs = int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    conn.close()
    workers = {
        name: Worker(tree, paths[name]) for name, tree in (("before", args.before), ("after", args.after))
    }
    for name, w in workers.items():
        print(f"{name}: {w.code}")
    times: dict[str, list[float]] = {"before": [], "after": []}
    for name, w in workers.items():
        first = w.ask(do="pass")
        print(f"{name} first pass (untimed): {first['seconds']:.3f} s, {first['links']:,} links")
    same = links(paths["before"]) == links(paths["after"])
    print(f"after the first passes: links equal {same}")
    for round_no in range(1, args.rounds + 1):
        if args.new:
            for w in workers.values():
                w.ask(do="add", first=docs, count=args.new)
            docs += args.new
        order = ["before", "after"] if round_no % 2 else ["after", "before"]
        line = []
        for name in order:
            result = workers[name].ask(do="pass")
            times[name].append(result["seconds"])
            line.append(f"{name} {result['seconds'] * 1000:.1f} ms ({result['links']:,} links)")
        a, b = links(paths["before"]), links(paths["after"])
        print(
            f"round {round_no} (+{args.new} documents, {docs:,} in all): "
            + ", ".join(line)
            + f"; links equal {a == b} ({len(a):,} rows, {len(a - b)} only before, {len(b - a)} only after)"
        )
    for w in workers.values():
        w.close()
    for name, found in times.items():
        if found:
            print(
                f"{name}: min {min(found) * 1000:.1f} ms, median {statistics.median(found) * 1000:.1f} ms over {len(found)} rounds"
            )
    if not args.no_scratch:
        scratch = args.work / "scratch.db"
        copy(paths["after"], scratch)
        w = Worker(args.after, scratch)
        result = w.ask(do="scratch")
        w.close()
        recent = recent_events(scratch)
        kept, fresh = links(paths["after"], recent), links(scratch, recent)
        print(
            f"from scratch ({result['seconds']:.3f} s) vs kept, recent events' links: equal {kept == fresh}"
            f" ({len(fresh):,} rows, {len(kept - fresh)} only kept, {len(fresh - kept)} only from scratch)"
        )


if __name__ == "__main__":
    main()
