"""Schema migrations, applied in order on first use of a store.

Each migration is a function taking the Database and returning one SQL script; its index + 1 is the schema
version. Never edit a released migration: append a new one (history.py holds 1-9, summaries.py 10,
incremental.py 11).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from sqlite_utils import Database

from db.migrations.history import (
    _m001_initial,
    _m002_alerts,
    _m003_crawl,
    _m004_nlp,
    _m005_research,
    _m006_ops,
    _m007_signals,
    _m008_hardening,
    _m009_search,
)
from db.migrations.incremental import _m011_incremental
from db.migrations.summaries import _m010_summaries

MIGRATIONS: list[Callable[[Database], str]] = [
    _m001_initial,
    _m002_alerts,
    _m003_crawl,
    _m004_nlp,
    _m005_research,
    _m006_ops,
    _m007_signals,
    _m008_hardening,
    _m009_search,
    _m010_summaries,
    _m011_incremental,
]


def schema_version(db: Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: Database) -> int:
    """Bring the store to the latest schema; returns the version reached."""
    version = schema_version(db)
    for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
        # Two processes opening a new store at once (daemon + crawl child) both see the old version; the
        # second waits for the write lock, and must then skip what the first applied. The guard row's
        # CHECK fails unless the store is still at the version this migration expects.
        guard = (
            f"CREATE TEMP TABLE _migrating (version INTEGER CHECK (version = {number - 1:d}));\n"
            "INSERT INTO _migrating SELECT user_version FROM pragma_user_version;\n"
            "DROP TABLE temp._migrating;"
        )
        try:
            db.conn.executescript(
                f"BEGIN IMMEDIATE;\n{guard}\n{migration(db)}\nPRAGMA user_version = {number:d};\nCOMMIT;"
            )
        except sqlite3.IntegrityError:
            db.conn.rollback()
            if schema_version(db) < number:
                raise
    return schema_version(db)
