"""Run researchers' SQL against the store without any way to change it.

Three independent locks, so one mistake in any of them is not enough to write:
1. the file is opened with SQLite's `mode=ro` (the OS-level handle cannot write);
2. `PRAGMA query_only` makes the connection refuse every change;
3. an authorizer refuses ATTACH/DETACH (ATTACH of a new name creates a file even on a read-only
   connection, and so does VACUUM INTO), every writing statement, and any PRAGMA that is not a
   known read-only one — which gives the user a clear message instead of "readonly database".
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from db.store import open_db

# PRAGMAs that only report; allowed with or without an argument (the argument names a table).
INFO_PRAGMAS = frozenset(
    {
        "table_info",
        "table_xinfo",
        "table_list",
        "index_list",
        "index_info",
        "index_xinfo",
        "foreign_key_list",
        "foreign_key_check",
        "collation_list",
        "function_list",
        "module_list",
        "pragma_list",
        "database_list",
        "compile_options",
        "integrity_check",
        "quick_check",
    }
)
# PRAGMAs that read a setting when given no value, and change it when given one.
SETTING_PRAGMAS = frozenset(
    {
        "user_version",
        "schema_version",
        "application_id",
        "page_count",
        "page_size",
        "encoding",
        "journal_mode",
        "foreign_keys",
        "freelist_count",
        "data_version",
        "query_only",
        "busy_timeout",
    }
)
WRITE_ACTIONS = {
    getattr(sqlite3, name): name.removeprefix("SQLITE_").lower().replace("_", " ")
    for name in dir(sqlite3)
    if name.startswith(("SQLITE_CREATE_", "SQLITE_DROP_"))
    or name
    in {
        "SQLITE_INSERT",
        "SQLITE_UPDATE",
        "SQLITE_DELETE",
        "SQLITE_ALTER_TABLE",
        "SQLITE_REINDEX",
        "SQLITE_ANALYZE",
        "SQLITE_ATTACH",
        "SQLITE_DETACH",
    }
}
DEFAULT_TIME_LIMIT_S = 30.0


class ReadOnlyViolation(Exception):
    """The statement would change the store (or reach outside it)."""


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool  # more rows existed than max_rows


class _Guard:
    """The authorizer; remembers why it refused, so the error names the cause."""

    def __init__(self) -> None:
        self.refused: str | None = None

    def __call__(
        self, action: int, arg1: str | None, arg2: str | None, _db: str | None, _src: str | None
    ) -> int:
        if action == sqlite3.SQLITE_UPDATE and arg1 == "sqlite_master":
            # SQLite itself asks this while loading a virtual table's schema (FTS5); users cannot write
            # sqlite_master anyway without writable_schema, which the PRAGMA rule below refuses.
            return sqlite3.SQLITE_OK
        if action in WRITE_ACTIONS:
            self.refused = f"{WRITE_ACTIONS[action]} is not allowed: the store is opened read-only"
            return sqlite3.SQLITE_DENY
        if action == sqlite3.SQLITE_PRAGMA:
            name = (arg1 or "").lower()
            if name in INFO_PRAGMAS or (name in SETTING_PRAGMAS and arg2 is None):
                return sqlite3.SQLITE_OK
            self.refused = f"PRAGMA {name}{'=' + arg2 if arg2 else ''} is not allowed: only read-only PRAGMAs"
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK


def open_guarded(path: str | Path) -> tuple[Database, _Guard]:
    """The store as a sqlite-utils Database, opened read-only with all three locks on."""
    db = open_db(path, read_only=True)
    db.conn.execute("PRAGMA query_only = ON")
    guard = _Guard()
    db.conn.set_authorizer(guard)
    return db, guard


# A fresh read-only connection can meet SQLITE_BUSY while a writer or the last closing connection holds a
# WAL lock for an instant (https://sqlite.org/wal.html, "Sometimes queries return SQLITE_BUSY in WAL mode");
# inside FTS5's connect it surfaces as "vtable constructor failed". Read-only work is safe to redo.
BUSY_RETRIES = 4
BUSY_BACKOFF_S = 0.05


def _is_busy(exc: sqlite3.Error) -> bool:
    message = str(exc)
    return (
        (getattr(exc, "sqlite_errorcode", 0) & 0xFF) == sqlite3.SQLITE_BUSY
        or "database is locked" in message
        or message.startswith("vtable constructor failed")
    )


def run_query(
    path: str | Path,
    sql: str,
    params: list[Any] | dict[str, Any] | None = None,
    *,
    max_rows: int = 10_000,
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
) -> QueryResult:
    """Run one statement read-only; raises ReadOnlyViolation for writes, sqlite3.Error for bad SQL."""
    for attempt in range(BUSY_RETRIES + 1):
        try:
            return _run_once(path, sql, params, max_rows=max_rows, time_limit_s=time_limit_s)
        except sqlite3.OperationalError as exc:
            if attempt == BUSY_RETRIES or not _is_busy(exc):
                raise
            time.sleep(BUSY_BACKOFF_S * (attempt + 1))
    raise AssertionError("unreachable")  # the loop returns or raises


def _run_once(
    path: str | Path,
    sql: str,
    params: list[Any] | dict[str, Any] | None,
    *,
    max_rows: int,
    time_limit_s: float,
) -> QueryResult:
    db, guard = open_guarded(path)
    conn = db.conn
    deadline = time.monotonic() + time_limit_s
    # A runaway query (an accidental cross join) is interrupted rather than hanging the terminal.
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    try:
        cursor = conn.execute(sql, params or [])
        columns = [c[0] for c in cursor.description or []]
        rows = cursor.fetchmany(max_rows + 1)
        return QueryResult(columns, rows[:max_rows], len(rows) > max_rows)
    except sqlite3.DatabaseError as exc:
        if guard.refused:
            raise ReadOnlyViolation(guard.refused) from exc
        if "readonly" in str(exc) or "query_only" in str(exc):
            raise ReadOnlyViolation(f"refused: {exc} (the store is opened read-only)") from exc
        if "interrupted" in str(exc):
            raise sqlite3.OperationalError(f"query stopped after {time_limit_s:g} s") from exc
        raise
    finally:
        conn.close()
