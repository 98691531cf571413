"""The event store at scale: build N documents with events, roles and alerts, then time the stored queries.

    .venv/bin/python bench/store.py [--n 1000000] [--out /tmp/cwatch-bench] [--reps 30] [--keep] [--reuse]
    .venv/bin/python bench/store.py --n 1000000 --realistic --compare 1000 --out /tmp/cwatch-real --keep
    .venv/bin/python bench/store.py --n 1000000 --realistic --fast --compare 1000 --out /tmp/cwatch-real --keep
    .venv/bin/python bench/store.py --n 1000000 --realistic --fast --arrival --compare 1000 --out /tmp/cwatch-arr --keep

--arrival stores the documents in the order our crawls do (publication order, two backfills newest first)
instead of in random date order (the worst case for every query that reads a date range's rows).

--fast builds the same store faster (bench/fast_build.py: FTS indexes filled once after the load).

Reports, in one run on the same generated data:
- insert rate of our batched path (db/bulk.py: insert_documents + write_events_many) against raw sqlite3
  `executemany` of the same rows into an identically migrated store (the floor: SQLite + FTS5 + triggers),
  and into one without the summary triggers of migration 10 (what keeping the summaries costs), and of
  the per-document path crawls use (db/store.py: store_document + write_events), on the first --compare docs;
- with --reuse, how long the pending migrations took on the existing store (e.g. a summary backfill);
- the full build's rate and the file size;
- p50/p95 of the stored queries (research/canned.py, db/queries.py) and of full-text search
  (research/search.py) with varied parameters, plus each query's plan (SCAN lines are what indexes fix).
Data are synthetic but shaped like ours: 10% Chinese, ~0.8 events per document, 1-2 targets per event;
~700 characters of text each, or with --realistic notice-length texts (median ~6 KB, bench/synthetic.py).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlite_utils import Database

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import fast_build  # noqa: E402
from synthetic import COMMODITIES, COUNTRIES, batches, generate  # noqa: E402

from db.bulk import DOC_COLUMNS, insert_documents, write_events_many  # noqa: E402
from db.migrations import migrate, schema_version  # noqa: E402
from db.queries import EventFilter, export_rows, monthly_counts_by_type, pair_counts, top_items  # noqa: E402
from db.records import DocumentRecord, EventRecord, SourceMeta  # noqa: E402
from db.store import open_db, store_document, upsert_source, write_events  # noqa: E402
from db.textnorm import has_cjk  # noqa: E402
from research import canned  # noqa: E402
from research.search import search  # noqa: E402

SEARCHES = ["gallium", "anti-dumping investigation", "high bandwidth memory", "稀土", "出口管制", "EU",
            "provisional duties", "polysilicon", "Reference", "tungsten licence", "quantum computing", "镓"]  # fmt: skip


def fresh_store(path: Path) -> Any:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_db(path)
    for slug in ("cn_mofcom", "cn_gacc", "us_federal_register", "eu_dg_trade", "jp_meti", "uk_trade_remedies",
                 "news_wire"):  # fmt: skip
        upsert_source(db, SourceMeta(slug, slug, "XX", "en", "official"))
    return db


def write_bulk(db: Any, batch: list[tuple[DocumentRecord, list[EventRecord]]]) -> None:
    insert_documents(db, [d for d, _ in batch])
    write_events_many(db, [(d.id, ev) for d, ev in batch], "bench")


def raw_rows(batch: list[tuple[DocumentRecord, list[EventRecord]]], first_id: int) -> dict[str, list[tuple]]:
    """The same rows as plain tuples, event ids assigned up front (as write_events_many does)."""
    out: dict[str, list[tuple]] = {"docs": [], "events": [], "targets": [], "commodities": [], "tech": []}
    next_id = first_id
    for d, events in batch:
        out["docs"].append((d.id, d.source, d.url, None, d.title, d.text, d.language, d.published, d.fetched,
                            d.content_hash, "[]", int(has_cjk(d.title, d.text)), "2025-01-01T00:00:00+00:00", "bench"))  # fmt: skip
        for e in events:
            out["events"].append((next_id, d.id, e.event_type, e.direction, e.imposing, e.stage, e.confidence,
                                  "bench", "2025-01-01T00:00:00+00:00"))  # fmt: skip
            out["targets"] += [(next_id, c) for c in e.targets]
            out["commodities"] += [(next_id, c, hs) for c, hs in e.commodities]
            out["tech"] += [(next_id, t) for t in e.technologies]
            next_id += 1
    return out


def write_raw(conn: sqlite3.Connection, rows: dict[str, list[tuple]]) -> None:
    with conn:
        conn.executemany(f"INSERT INTO documents ({DOC_COLUMNS}, tagged_at, tag_version) VALUES"
                         " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows["docs"])  # fmt: skip
        conn.executemany("INSERT INTO events (id, document_id, event_type, direction, imposing, stage, confidence,"
                         " model_version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows["events"])  # fmt: skip
        conn.executemany("INSERT OR IGNORE INTO event_targets VALUES (?, ?)", rows["targets"])
        conn.executemany("INSERT OR IGNORE INTO event_commodities VALUES (?, ?, ?)", rows["commodities"])
        conn.executemany("INSERT OR IGNORE INTO event_technologies VALUES (?, ?)", rows["tech"])


SUMMARIES = ("event_month_counts", "event_pair_counts", "event_items", "event_item_counts")  # migration 10


def time_raw(path: Path, prepared: list[dict[str, list[tuple]]], summaries: bool) -> float:
    """Seconds to write the prepared rows with plain executemany into a fresh store at `path`."""
    fresh_store(path).conn.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = NORMAL")
    if not summaries:
        marks = " OR ".join("sql LIKE ?" for _ in SUMMARIES)
        names = conn.execute(f"SELECT name FROM sqlite_master WHERE type = 'trigger' AND ({marks})",
                             [f"%INTO {table}%" for table in SUMMARIES]).fetchall()  # fmt: skip
        for (name,) in names:
            conn.execute(f"DROP TRIGGER {name}")
    t = time.perf_counter()
    for rows in prepared:
        write_raw(conn, rows)
    seconds = time.perf_counter() - t
    conn.close()
    return seconds


def compare_inserts(out: Path, k: int, batch_size: int, per_row_k: int) -> dict[str, float]:
    """docs/s of raw executemany (with and without the summary triggers), our batched path and the
    per-document path, on the same first k docs."""
    data = [b for b in batches(k, batch_size)]
    first = 1
    prepared = []
    for b in data:
        rows = raw_rows(b, first)
        first += len(rows["events"])
        prepared.append(rows)
    raw_s = time_raw(out / "raw.db", prepared, summaries=True)
    bare_s = time_raw(out / "bare.db", prepared, summaries=False)
    ours = fresh_store(out / "bulk.db")
    t = time.perf_counter()
    for b in data:
        write_bulk(ours, b)
    bulk_s = time.perf_counter() - t
    ours.conn.close()
    single = fresh_store(out / "single.db")
    t = time.perf_counter()
    for d, events in generate(per_row_k):
        store_document(single, d)
        write_events(single, d.id, events, "bench")
    single_s = time.perf_counter() - t
    single.conn.close()
    for name in ("raw.db", "bare.db", "bulk.db", "single.db"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{out / name}{suffix}").unlink(missing_ok=True)
    return {
        "raw_executemany": k / raw_s,
        "raw_without_summaries": k / bare_s,
        "bulk": k / bulk_s,
        "per_document": per_row_k / single_s,
    }


def build(
    path: Path, n: int, batch_size: int, realistic: bool = False, fast: bool = False, arrival: bool = False
) -> tuple[float, Any]:
    """Build the store; with `fast` the same rows via bench/fast_build.py (FTS indexes filled once at the end)."""
    db = fresh_store(path)
    t = time.perf_counter()

    def progress(done: int) -> None:
        if done % 100_000 < batch_size:
            print(f"  built {done:,} documents ({done / (time.perf_counter() - t):,.0f}/s)", flush=True)

    if fast:
        data = fast_build.prefetched(lambda: batches(n, batch_size, realistic=realistic, arrival=arrival))
        fast_build.load(db, data, write_bulk, progress)
    else:
        done = 0
        for b in batches(n, batch_size, realistic=realistic, arrival=arrival):
            write_bulk(db, b)
            done += len(b)
            progress(done)
    alerts = [
        (f"watchlist-{i % 10}", doc_id, f"#alerts-{i % 10}", f"2025-01-{1 + i % 28:02d}T00:00:00+00:00")
        for i, (doc_id,) in enumerate(
            db.execute("SELECT document_id FROM events WHERE id % 97 = 0").fetchall()
        )
    ]
    with db.conn:
        db.conn.executemany("INSERT OR IGNORE INTO alerts (watchlist, document_id, channel, created_at)"
                            " VALUES (?, ?, ?, ?)", alerts)  # fmt: skip
    return n / (time.perf_counter() - t), db


def query_suite(db: Any) -> dict[str, Callable[[int], Any]]:
    def canned_sql(sql: str, params: dict[str, str]) -> Any:
        return db.execute(sql, params).fetchmany(1000)  # Datasette returns at most 1,000 rows

    def month(i: int) -> EventFilter:
        y, m = 2015 + i % 11, 1 + i % 12
        return EventFilter(since=f"{y}-{m:02d}", until=f"{y}-{m:02d}-32")

    c = COUNTRIES
    return {
        "canned.events_by_pair_month(pair)": lambda i: canned_sql(
            canned.EVENTS_BY_PAIR_MONTH, {"imposing": c[i % 5], "target": c[(i + 1) % 5]}
        ),
        "canned.events_by_pair_month(all)": lambda i: canned_sql(
            canned.EVENTS_BY_PAIR_MONTH, {"imposing": "", "target": ""}
        ),
        "canned.measures_on_item": lambda i: canned_sql(
            canned.MEASURES_ON_ITEM, {"item": COMMODITIES[i % len(COMMODITIES)][0]}
        ),
        "canned.measures_on_item(no match)": lambda i: canned_sql(  # must not read the items at all
            canned.MEASURES_ON_ITEM, {"item": f"unobtainium{i}"}
        ),
        "canned.latest_alerts": lambda i: canned_sql(canned.LATEST_ALERTS, {}),
        "canned.search_documents": lambda i: canned_sql(
            canned.SEARCH_DOCUMENTS, {"q": SEARCHES[i % len(SEARCHES)]}
        ),
        "queries.monthly_counts_by_type(month)": lambda i: monthly_counts_by_type(db, month(i)),
        "queries.monthly_counts_by_type(all)": lambda i: monthly_counts_by_type(db),
        "queries.pair_counts(imposing)": lambda i: pair_counts(db, EventFilter(imposing=[c[i % 5]])),
        "queries.pair_counts(all)": lambda i: pair_counts(db),
        "queries.top_items(month)": lambda i: top_items(db, "commodity", month(i)),
        "queries.export_rows(month, 1000)": lambda i: list(
            zip(range(1000), export_rows(db, month(i)), strict=False)
        ),
        "search.search": lambda i: search(db, SEARCHES[i % len(SEARCHES)]),
    }


def time_queries(db: Any, reps: int) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    for name, run in query_suite(db).items():
        run(0)  # warm the page cache: we measure steady state, not the first disk read
        times = []
        for i in range(reps):
            t = time.perf_counter()
            run(i)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        results[name] = {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(p95, 2)}
        print(f"  {name:42s} p50 {results[name]['p50_ms']:9.2f} ms   p95 {p95:9.2f} ms", flush=True)
    return results


def plans(db: Any) -> dict[str, list[str]]:
    sqls = {
        "events_by_pair_month": (canned.EVENTS_BY_PAIR_MONTH, {"imposing": "CN", "target": "US"}),
        "events_by_pair_month(all)": (canned.EVENTS_BY_PAIR_MONTH, {"imposing": "", "target": ""}),
        "measures_on_item": (canned.MEASURES_ON_ITEM, {"item": "gallium"}),
        "latest_alerts": (canned.LATEST_ALERTS, {}),
        "search_documents": (canned.SEARCH_DOCUMENTS, {"q": "gallium"}),
    }
    return {
        name: [row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()]
        for name, (sql, params) in sqls.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/cwatch-bench"))
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--compare", type=int, default=50_000, help="documents in the insert comparison")
    parser.add_argument("--per-document", type=int, default=5_000, help="documents via store_document")
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument(
        "--realistic", action="store_true", help="notice-length texts (median ~6 KB) in the built store"
    )
    parser.add_argument(
        "--fast", action="store_true", help="build with the FTS indexes filled once at the end (same rows)"
    )
    parser.add_argument(
        "--arrival",
        action="store_true",
        help="store documents in the order a crawl does (bench/synthetic.py arrival_date), not in random date order",
    )
    parser.add_argument("--keep", action="store_true", help="keep the built store")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time the store already in --out (migrating it) instead of building",
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "store.db"
    rates: dict[str, float] = {}
    build_rate = 0.0
    if not (args.reuse and path.exists()):
        k = min(args.n, args.compare)
        print(f"insert comparison on {k:,} documents (per-document path on {min(k, args.per_document):,})")
        rates = compare_inserts(args.out, k, args.batch, min(k, args.per_document))
        for name, rate in rates.items():
            print(f"  {name:22s} {rate:10,.0f} docs/s   ({rate / rates['raw_executemany']:.2f} of raw)")
        print(f"building {args.n:,} documents in {path}")
        build_rate, db = build(path, args.n, args.batch, args.realistic, args.fast, args.arrival)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.conn.close()
    t = time.perf_counter()
    store = Database(sqlite3.connect(path))  # the pending migrations (a backfill) alone, timed
    version = schema_version(store)
    migrated = migrate(store)
    store.conn.close()
    migrate_s = time.perf_counter() - t
    print(f"  migrated from version {version} to {migrated} in {migrate_s:,.1f} s")
    t = time.perf_counter()
    db = open_db(path)  # as the next process would; refreshes planner statistics (refresh_stats)
    print(f"  opened in {(time.perf_counter() - t) * 1000:,.0f} ms (ANALYZE included)")
    size = path.stat().st_size
    counts = {
        t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("documents", "events", "alerts")
    }
    print(f"  {build_rate:,.0f} docs/s overall; {size / 2**20:,.0f} MiB; {counts}")
    print("query plans:")
    query_plans = plans(db)
    for name, lines in query_plans.items():
        print(f"  {name}: " + " | ".join(lines))
    print(f"queries ({args.reps} runs each, varied parameters):")
    load_before = os.getloadavg()  # 2 shared cores: the numbers mean little without the machine's load
    timings = time_queries(db, args.reps)
    load = {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in os.getloadavg()]}
    print(f"  load average (1, 5, 15 min) before the queries {load['before']}, after {load['after']}")
    db.conn.close()
    if args.json:
        args.json.write_text(json.dumps({"n": args.n, "insert_rates": rates, "build_rate": build_rate,
                                         "migrate_s": migrate_s, "size_bytes": size, "counts": counts,
                                         "plans": query_plans, "queries": timings, "load_average": load},
                                        indent=2))  # fmt: skip
    if not args.keep and not args.reuse:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
