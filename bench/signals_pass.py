"""The daily signals pass (signals/jobs.py: cases, retaliation links, escalation index, notices) at scale.

    .venv/bin/python bench/signals_pass.py --n 100000 --out /tmp/sig100k.db --keep
    .venv/bin/python bench/signals_pass.py --n 1000000 --out /tmp/sig1m.db --keep
    .venv/bin/python bench/signals_pass.py --n 1000000 --out /tmp/sig1m.db --reuse   # time again, no rebuild
    .venv/bin/python bench/signals_pass.py --out /tmp/sig1m.db --reuse --scratch --rounds 3 --new 300
    .venv/bin/python bench/signals_pass.py --n 1000000 --per-day 27 --out /tmp/sig1m-rate.db --keep

Builds N synthetic documents (bench/synthetic.py) dated over the ten years up to today, so the recent
windows the pass reads (90 days of retaliation candidates, the index's last days) are as full as the rest.
The bulk-built store's case-linking backlog is drained first (untimed). Then runs the daily pass --rounds
times: round 1 on a store whose index was never computed (from scratch), later rounds as the daemon runs
it every day (nothing new since the last pass, or --new documents; the retaliation pass re-scores only
what its change log reached, and prints the links of the events it re-scored). The index pass is incremental: --scratch makes round 1 recompute it all on a
reused store. Notices (queue/deliver) are not part of it: they read the stored index of subscribed pairs only. Prints each part's time,
the escalation index's storage (bytes of its tables and indexes, from dbstat) per 100,000 documents and
its row count. Compare two N: the goal is that the pass grows no faster than the documents (≤ 10× per 10×).

--per-day D spreads the documents uniformly at D a day up to today instead (history grows at a constant
rate: 100,000 at 27 a day span ten years, 1,000,000 a century), so a 90-day window holds the same number
of events at every N and only the history behind it grows: the daily pass should then stay flat.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from store import fresh_store, write_bulk  # noqa: E402
from synthetic import batches  # noqa: E402

from db.records import DocumentRecord, EventRecord  # noqa: E402
from db.store import open_db  # noqa: E402
from signals.cases import PENDING, link_pending  # noqa: E402
from signals.escalation_pass import compute_index  # noqa: E402
from signals.retaliation_passes import link_recent  # noqa: E402

# escalation_index was a table before migration 14 (a view since: no storage of its own)
ESCALATION_TABLES = (
    "escalation_index",
    "escalation_points",
    "escalation_state",
    "escalation_contributions",
    "escalation_stale",
)


FTS_TRIGGERS = ("documents_ai", "documents_ad", "documents_au_old", "documents_au_new", "documents_words_ai", "documents_words_ad",
                "documents_words_au")  # fmt: skip


def spread(
    batch: list[tuple[DocumentRecord, list[EventRecord]]], rng: random.Random, span_days: int, end: date
) -> list[tuple[DocumentRecord, list[EventRecord]]]:
    """The batch re-dated uniformly over the `span_days` up to `end` (same documents and events)."""
    out = []
    for doc, events in batch:
        day = (end - timedelta(days=rng.randrange(span_days))).isoformat()
        out.append((replace(doc, published=f"{day}T09:00:00+00:00", fetched=f"{day}T10:00:00+00:00"), events))
    return out


def build(path: Path, n: int, per_day: float | None = None) -> float:
    """The store without its full-text indexes: the signals pass never reads them, and maintaining them is
    most of the build time (bench/store.py measures the store with them)."""
    db = fresh_store(path)
    db.conn.execute("PRAGMA synchronous = NORMAL")
    for trigger in FTS_TRIGGERS:
        db.conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    end = datetime.now(UTC).date()
    rng, span = random.Random(27), max(1, round(n / per_day)) if per_day else 0
    t = time.perf_counter()
    for batch in batches(n, 5000, end=end):
        write_bulk(db, spread(batch, rng, span, end) if span else batch)
    seconds = time.perf_counter() - t
    db.conn.close()
    return seconds


def add_new(db, first: int, count: int) -> None:
    """`count` documents as a day's crawl brings them (tagged now); ids continue after the store's."""
    today = datetime.now(UTC).date().isoformat()
    for batch in batches(first + count, count, start=first, end=datetime.now(UTC).date()):
        fresh = [
            (d if i % 10 == 0 else replace(d, published=f"{today}T08:00:00+00:00"), ev)
            for i, (d, ev) in enumerate(batch)
        ]
        write_bulk(db, fresh)


def escalation_bytes(db) -> tuple[int, int]:
    """(bytes, rows) of the escalation tables and their indexes."""
    names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()]
    tables = [t for t in ESCALATION_TABLES if t in names]
    marks = ",".join("?" * len(tables))
    size = db.execute(
        f"SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN ({marks}) OR name IN"
        f" (SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({marks}))",
        [*tables, *tables],
    ).fetchone()[0]
    rows = sum(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables)
    return int(size), int(rows)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/cwatch-signals.db"))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--per-day",
        type=float,
        default=None,
        help="build: documents a day, spread uniformly up to today (constant-rate history; default ten years)",
    )
    parser.add_argument("--reuse", action="store_true", help="time an existing store at --out, no build")
    parser.add_argument("--keep", action="store_true", help="keep the store (for --reuse)")
    parser.add_argument("--scratch", action="store_true", help="round 1 recomputes the index from nothing")
    parser.add_argument(
        "--new",
        type=int,
        default=0,
        help="documents added before each later round: dated today, every 10th a late arrival (its own"
        " date, up to ten years back)",
    )
    args = parser.parse_args()
    if not args.reuse:
        seconds = build(args.out, args.n, args.per_day)
        spread_over = f" at {args.per_day:g} a day" if args.per_day else " over ten years"
        print(f"built {args.n:,} documents{spread_over} in {seconds:.0f} s")
    db = open_db(args.out)
    docs = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    # A bulk-built store has every document waiting for case linking (5,000 per pass): link them all
    # first, as the daemon would have while they arrived; otherwise each pass changes old histories.
    t, passes = time.perf_counter(), 0
    while db.execute(PENDING, [1]).fetchone():
        link_pending(db)
        passes += 1
    if passes:
        print(f"case backlog linked in {passes} passes, {time.perf_counter() - t:.0f} s (not timed below)")
    since = (datetime.now(UTC) - timedelta(days=90)).isoformat()
    recent = db.execute("SELECT count(*) FROM event_dates WHERE date >= ?", [since]).fetchone()[0]
    first = db.execute("SELECT min(date) FROM event_dates").fetchone()[0]
    print(f"store: {docs:,} documents, {db.execute('SELECT count(*) FROM events').fetchone()[0]:,} events"
          f" since {str(first)[:10]}, {recent:,} in the last 90 days")  # fmt: skip
    added = 0
    for round_no in range(1, args.rounds + 1):
        if round_no > 1 and args.new:
            add_new(db, docs + added, args.new)
            added += args.new
        parts: dict[str, float] = {}
        t = time.perf_counter()
        link_pending(db)
        parts["cases"] = time.perf_counter() - t
        t = time.perf_counter()
        links = link_recent(db)
        parts["retaliation"] = time.perf_counter() - t
        t = time.perf_counter()
        written = compute_index(db, full=args.scratch and round_no == 1)
        parts["escalation"] = time.perf_counter() - t
        size, rows = escalation_bytes(db)
        print(
            f"round {round_no}: total {sum(parts.values()):.1f} s ("
            + ", ".join(f"{k} {v:.1f} s" for k, v in parts.items())
            + f"); {links:,} retaliation links of re-scored events; index points written {written:,}; escalation storage"
            f" {size / 2**20:.1f} MiB in {rows:,} rows = {size / 2**20 * 100_000 / max(docs, 1):.1f} MiB"
            " per 100,000 documents"
        )
    db.conn.close()
    if not args.keep:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.out}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
