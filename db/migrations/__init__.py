"""Schema migrations: frozen SQL scripts, applied in order on first use of a store.

`NNN_what_it_does.sql` is schema version NNN. A released script is never edited (tests/db/test_migrations.py
holds the hash of each): change the schema by appending a new file. Scripts 1-10 are the exact text the
earlier Python generators produced, so stores created before the freeze are unaffected.

What each one is for:
  001 documents, events and their roles, FTS5 (trigram) on title/text with its sync triggers
  002 alerts outbox, stories, digests, Slack channel cache, reaction feedback and labels
  003 crawl_pages: listing fingerprints and HTTP validators per URL
  004 tag_scores, human labels and review state
  005 indexes for the stored research queries, the event_facets view for the console
  006 backfill_progress: resumable backfills
  007 signals: cases, retaliation links, escalation index and notices
  008 indexes the 1,000,000-document benchmark asked for
  009 a second FTS5 index (unicode61 words) for search
  010 summary tables kept equal to their aggregate queries by triggers
  011 crawl_pages again, for stores migrated while 003 was still empty (was crawlers/state.py's own repair)
  012 retry columns on escalation notices (one delivery path)
  013 case_refs, window indexes for case/story candidates, feedback polls
  014 trigram index only for documents holding CJK text; its triggers ignore tagging updates
  015 escalation index by change points (points, state, contributions; escalation_index becomes a view)
  016 event_dates by imposing country and date (retaliation candidates), the case-linking queue
  017 one trigram update trigger
  018 a covering index of the columns listed with a document (title, url, source, language, dates)
  019 document_public (each document's first public date) and retaliation_inputs (digests of what links were computed from)
  020 retaliation_changes (what changed since the last retaliation pass, by trigger) and retaliation_state
  021 the date index also holds the document id (the export walks events by date)
"""

from __future__ import annotations

import sqlite3
from importlib import resources

from sqlite_utils import Database


def _load() -> list[tuple[str, str]]:
    files = sorted(
        (f for f in resources.files(__name__).iterdir() if f.name.endswith(".sql")), key=lambda f: f.name
    )
    for number, item in enumerate(files, start=1):
        if not item.name.startswith(f"{number:03d}_"):  # a gap or a duplicate number would renumber stores
            raise RuntimeError(f"db/migrations: expected migration {number:03d}, found {item.name}")
    return [(f.name, f.read_text(encoding="utf-8")) for f in files]


MIGRATIONS: list[tuple[str, str]] = _load()  # (file name, SQL); index + 1 is the schema version


def schema_version(db: Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: Database, migrations: list[tuple[str, str]] | None = None) -> int:
    """Bring the store to the latest schema (or the last of `migrations`); returns the version reached."""
    scripts = MIGRATIONS if migrations is None else migrations
    version = schema_version(db)
    for number, (_name, sql) in enumerate(scripts[version:], start=version + 1):
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
                f"BEGIN IMMEDIATE;\n{guard}\n{sql}\nPRAGMA user_version = {number:d};\nCOMMIT;"
            )
        except sqlite3.IntegrityError:
            db.conn.rollback()
            if schema_version(db) < number:
                raise
    return schema_version(db)


def script(name_part: str) -> str:
    """The SQL of the one migration whose file name contains `name_part` (tests re-run one by name)."""
    found = [sql for name, sql in MIGRATIONS if name_part in name]
    if len(found) != 1:
        raise KeyError(name_part)
    return found[0]
