"""A bench-only fast path for building the store: the same rows as bench/store.py's `build`, written faster.

Per document, the FTS5 insert triggers (`documents_words_ai`, and `documents_ai` for CJK rows) dominate a
realistic build: every ~6 KB text is tokenised into an in-memory segment that FTS5 flushes and
incrementally merges as the index grows. Here those two triggers are dropped during the load and the
indexes are filled once at the end, as the migrations themselves do (009's 'rebuild' for the word index,
017's INSERT … SELECT of the rows with `cjk IS NOT 0` for the trigram index); then the triggers are
re-created from the exact SQL they had in sqlite_master. Every other trigger (summaries, case queue,
change log) fires as usual, and rows go through the production writer (db/bulk.py).

The texts are generated in a second process (about 1 ms per realistic document, half of a small
build's time), handed over a queue of a few batches, in the generator's order.

The build's own connection also skips fsync (`synchronous = OFF`) and uses a larger page cache; both are
per-connection settings, not stored in the file. A crash mid-build leaves a store to throw away.
Crawls never use this module.
"""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

# The FTS triggers that fire on INSERT INTO documents, and the statement that fills each index afterwards
# with exactly the rows that trigger would have indexed.
FTS_INSERT_TRIGGERS = {
    "documents_words_ai": "INSERT INTO documents_words (documents_words) VALUES ('rebuild')",
    "documents_ai": "INSERT INTO documents_fts (rowid, title, text)"
    " SELECT rowid, title, text FROM documents WHERE cjk IS NOT 0 ORDER BY rowid",
}
CACHE_KIB = 512 * 1024  # 512 MiB page cache for the build connection (24 GiB machine)


def _trigger_sql(conn: sqlite3.Connection) -> dict[str, str]:
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (?, ?)",
        list(FTS_INSERT_TRIGGERS),
    ).fetchall()
    sql = {name: text for name, text in rows}
    if set(sql) != set(FTS_INSERT_TRIGGERS):
        raise RuntimeError(f"expected FTS insert triggers {sorted(FTS_INSERT_TRIGGERS)}, found {sorted(sql)}")
    # the refill statements above assume these conditions (migrations 009 and 014)
    if "WHEN new.cjk IS NOT 0" not in sql["documents_ai"] or " WHEN " in sql["documents_words_ai"]:
        raise RuntimeError(f"the FTS insert triggers changed; update bench/fast_build.py: {sql}")
    return sql


@contextmanager
def deferred_fts(conn: sqlite3.Connection) -> Iterator[None]:
    """Inside: documents are inserted without FTS indexing. On exit: both indexes are filled and the
    triggers restored, in one transaction."""
    saved = _trigger_sql(conn)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    with conn:
        for name in saved:
            conn.execute(f"DROP TRIGGER {name}")
    try:
        yield
    finally:
        with conn:
            for name, fill in FTS_INSERT_TRIGGERS.items():
                conn.execute(fill)
                conn.execute(saved[name])
        conn.execute("PRAGMA synchronous = NORMAL")  # open_db's setting
        conn.execute("PRAGMA cache_size = -2000")  # SQLite's default


def load(
    db: Any, batches: Iterable[Any], write: Callable[[Any, Any], None], progress: Callable[[int], None]
) -> None:
    """Write every batch with `write(db, batch)` under deferred FTS indexing."""
    done = 0
    with deferred_fts(db.conn):
        for batch in batches:
            write(db, batch)
            done += len(batch)
            progress(done)


def _produce(make: Callable[[], Iterable[Any]], queue: Any) -> None:
    for batch in make():
        queue.put(batch)
    queue.put(None)


def prefetched(make: Callable[[], Iterable[Any]], depth: int = 2) -> Iterator[Any]:
    """The batches of `make()`, generated in a forked child process up to `depth` batches ahead."""
    ctx = mp.get_context("fork")  # the child inherits `make` (a closure) without pickling it
    queue = ctx.Queue(maxsize=depth)
    child = ctx.Process(target=_produce, args=(make, queue), daemon=True)
    child.start()
    try:
        while (batch := queue.get()) is not None:
            yield batch
    finally:
        child.kill()
        child.join()


# Shadow tables holding FTS5 segments: their layout depends on when the index was written, not on what it
# holds, so stores are compared through fts5vocab 'instance' (every term, row, column and offset) instead.
SEGMENT_TABLES = ("documents_words_data", "documents_words_idx", "documents_fts_data", "documents_fts_idx")
# Differs between any two stores: migration 002 stores a random instance id. Compared without the value.
SPECIAL_SQL = {
    "alert_settings": "SELECT key, CASE key WHEN 'instance' THEN '' ELSE value END FROM alert_settings"
}
PROBES = ["gallium", "anti-dumping investigation", "稀土", "出口管制", "tungsten licence"]


def _rows(conn: sqlite3.Connection, sql: str) -> list[tuple[Any, ...]]:
    return sorted(conn.execute(sql).fetchall(), key=repr)


def store_differences(a: sqlite3.Connection, b: sqlite3.Connection) -> list[str]:
    """What differs between two stores: schema, every table's rows, both FTS indexes' contents, and
    ranked FTS queries. Empty when they are the same store."""
    diffs: list[str] = []
    schema = "SELECT type, name, tbl_name, sql FROM sqlite_master"
    if _rows(a, schema) != _rows(b, schema):
        diffs.append("sqlite_master differs")
    tables = [r[0] for r in a.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()]
    for table in tables:
        if table in SEGMENT_TABLES:
            continue
        sql = f'SELECT rowid, * FROM "{table}"' if _has_rowid(a, table) else f'SELECT * FROM "{table}"'
        sql = SPECIAL_SQL.get(table, sql)
        if _rows(a, sql) != _rows(b, sql):
            diffs.append(f"table {table} differs")
    for fts in ("documents_words", "documents_fts"):
        for conn in (a, b):
            conn.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{fts}_inst USING fts5vocab(main, {fts}, instance)"
            )
        sql = f"SELECT term, doc, col, offset FROM temp.{fts}_inst"
        if a.execute(sql).fetchall() != b.execute(sql).fetchall():  # fts5vocab returns them in index order
            diffs.append(f"index {fts} differs")
    for probe, fts in [(p, "documents_words") for p in PROBES] + [(p, "documents_fts") for p in PROBES[2:4]]:
        quoted = " ".join(f'"{w}"' for w in probe.split())
        sql = f"SELECT rowid, round(bm25({fts}), 9) FROM {fts} WHERE {fts} MATCH '{quoted}' ORDER BY rank, rowid"
        if a.execute(sql).fetchall() != b.execute(sql).fetchall():
            diffs.append(f"search {fts} {probe!r} differs")
    return diffs


def _has_rowid(conn: sqlite3.Connection, table: str) -> bool:
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0] or ""
    return "WITHOUT ROWID" not in sql.upper() and "FTS5VOCAB" not in sql.upper()


def main() -> None:
    """Build --n realistic documents both ways (same seed, same fixed write time), alternating, and
    report each build's docs/s and whether the stores differ; exit 1 if they do."""
    import argparse
    import os
    import sys
    import time
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import store  # bench/store.py

    import db.bulk

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--n", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=1, help="alternating default/fast pairs")
    parser.add_argument("--out", type=Path, default=Path("/tmp/cwatch-fastbuild"))
    parser.add_argument("--no-compare", action="store_true", help="time only")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    db.bulk.utcnow = lambda: "2025-01-01T00:00:00+00:00"  # type: ignore[attr-defined]  # both builds alike
    for r in range(args.rounds):
        for mode in ("default", "fast"):
            t = time.perf_counter()
            rate, built = store.build(
                args.out / f"{mode}.db", args.n, 5_000, realistic=True, fast=mode == "fast"
            )
            built.conn.close()
            load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
            print(f"round {r + 1} {mode:7s} {args.n:,} docs: {rate:6.0f} docs/s ({time.perf_counter() - t:.1f} s;"
                  f" load {load})", flush=True)  # fmt: skip
    if not args.no_compare:
        a, b = (sqlite3.connect(args.out / f"{mode}.db") for mode in ("default", "fast"))
        diffs = store_differences(a, b)
        print("stores identical" if not diffs else "DIFFERENCES: " + "; ".join(diffs))
        if diffs:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
