"""Open the store, and the few reads and writes every stage uses.

All SQL here uses parameters: scraped text never reaches a query string.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlite_utils import Database

from db.migrations import migrate
from db.records import DocumentRecord, EventRecord, SourceMeta
from db.textnorm import has_cjk

StoreOutcome = Literal["new", "changed", "unchanged"]
BUSY_TIMEOUT_MS = 30_000


def utcnow() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class AtomicConnection(sqlite3.Connection):
    """`with db.conn:` is ONE write transaction: BEGIN IMMEDIATE, then COMMIT, or ROLLBACK on error.

    Plain sqlite3 only commits at the end of the block and relies on an implicit BEGIN before the first
    INSERT/UPDATE/DELETE — but sqlite-utils 4's `Database.execute` commits a write at once when no
    transaction is open, so a block of several `db.execute` calls was silently split into separate commits
    (a crash or a full disk could leave a document's events half-written; tests/hardening/
    test_store_faults.py). IMMEDIATE also takes the write lock up front, so a read-then-write block waits
    for busy_timeout instead of failing with "database is locked" when another writer got in between.
    Nested blocks (sqlite-utils' own `with conn:` inside ours) join the outermost transaction."""

    _depth = 0

    def __enter__(self) -> AtomicConnection:
        self._depth += 1
        if self._depth == 1 and not self.in_transaction:
            self.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> Literal[False]:
        self._depth -= 1
        if self._depth == 0:
            if exc_type is None:
                self.commit()
            else:
                self.rollback()
        return False


def open_db(path: str | Path, *, read_only: bool = False) -> Database:
    """Open (creating and migrating if needed) the store at `path`, WAL mode, foreign keys on."""
    path = Path(path)
    if read_only:
        if not path.exists():
            raise FileNotFoundError(f"no event store at {path}")
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        return Database(conn)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, factory=AtomicConnection)
    db = Database(conn)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA synchronous = NORMAL")
    migrate(db)
    refresh_stats(db)
    return db


STATS_MIN_ROWS = 1_000  # below this every plan is fast; above, the planner needs sqlite_stat1
STATS_TABLES = (
    "sources",
    "documents",
    "events",
    "event_targets",
    "event_commodities",
    "event_technologies",
    "alerts",
)


def refresh_stats(db: Database) -> bool:
    """ANALYZE the core tables when the store has no planner statistics yet or the documents
    table has doubled since they were taken. Without them SQLite picks index orders that are fine on a
    small store and slow at scale (bench/store.py: a month's top commodities 23 ms -> 0.4 ms at 20k).
    Cheap check (max rowid), so every writer may call it on open."""
    rows = int(db.execute("SELECT coalesce(max(rowid), 0) FROM documents").fetchone()[0])
    if rows < STATS_MIN_ROWS:
        return False
    has_stats = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()
    stat = (
        # max: a partial index (untagged documents) counts only its rows, which made every open re-ANALYZE
        db.execute("SELECT max(CAST(stat AS INTEGER)) FROM sqlite_stat1 WHERE tbl = 'documents'").fetchone()
        if has_stats
        else None
    )
    if stat is not None and stat[0] is not None and rows < 2 * int(stat[0]):
        return _analyze_new_indexes(db)
    with db.conn:
        # Only the tables queries join on: a bare ANALYZE also walks the FTS shadow tables (7 s at 1M docs,
        # holding the write lock); these take 0.65 s at 1M. Not sampled (analysis_limit): sampling misjudged
        # documents per source by 140x and made a month's export scan the whole table (1.35 s vs 29 ms).
        for table in STATS_TABLES:
            db.execute(f"ANALYZE {table}")
    return True


def _analyze_new_indexes(db: Database) -> bool:
    """ANALYZE the full (not partial) indexes of the joined tables that a migration added after the
    tables' last ANALYZE: without a statistics row the planner prefers the older index it has numbers
    for (idx_documents_heads, migration 18, would stay unused). Reads only those indexes."""
    marks = ", ".join("?" for _ in STATS_TABLES)
    new = db.execute(
        f"""SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({marks})
        AND sql IS NOT NULL AND sql NOT LIKE '% WHERE %'
        AND tbl_name IN (SELECT tbl FROM sqlite_stat1)
        AND name NOT IN (SELECT idx FROM sqlite_stat1 WHERE idx IS NOT NULL)""",
        list(STATS_TABLES),
    ).fetchall()
    if not new:
        return False
    with db.conn:
        for (name,) in new:
            db.execute(f'ANALYZE "{name}"')
    return True


# --- sources and crawl runs -------------------------------------------------------------------


def upsert_source(db: Database, meta: SourceMeta) -> None:
    with db.conn:
        db.table("sources").upsert(asdict(meta), pk="slug")


def start_crawl_run(db: Database, source: str) -> int:
    with db.conn:
        cursor = db.execute("INSERT INTO crawl_runs (source, started) VALUES (?, ?)", [source, utcnow()])
    return int(cursor.lastrowid or 0)


def finish_crawl_run(
    db: Database,
    run_id: int,
    *,
    ok: bool,
    reason: str | None = None,
    pages: int = 0,
    items: int = 0,
    new: int = 0,
    changed: int = 0,
    errors: int = 0,
) -> None:
    with db.conn:
        db.execute(
            "UPDATE crawl_runs SET finished = ?, status = ?, reason = ?, pages = ?, items = ?, new = ?,"
            " changed = ?, errors = ? WHERE id = ?",
            [utcnow(), "ok" if ok else "failed", reason, pages, items, new, changed, errors, run_id],
        )


def latest_crawl_runs(db: Database, source: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    where, params = ("WHERE source = ?", [source]) if source else ("", [])
    sql = f"SELECT * FROM crawl_runs {where} ORDER BY id DESC LIMIT ?"
    return list(db.query(sql, [*params, limit]))


# --- documents --------------------------------------------------------------------------------


def has_document(db: Database, document_id: str) -> bool:
    return db.execute("SELECT 1 FROM documents WHERE id = ?", [document_id]).fetchone() is not None


def store_document(db: Database, doc: DocumentRecord) -> StoreOutcome:
    """Insert a new document, or update it when its content changed (it is then tagged again)."""
    doc_id = doc.id
    content_hash = doc.content_hash
    with db.conn:
        existing = list(db.query("SELECT content_hash FROM documents WHERE id = ?", [doc_id]))
        if existing and existing[0]["content_hash"] == content_hash:
            return "unchanged"
        row = {
            "id": doc_id,
            "source": doc.source,
            "url": doc.url,
            "notice_number": doc.notice_number,
            "title": doc.title,
            "text": doc.text,
            "language": doc.language,
            "published": doc.published,
            "fetched": doc.fetched,
            "content_hash": content_hash,
            "attachments": json.dumps(doc.attachments),
            "tagged_at": None,
            "tag_version": None,
            "cjk": int(has_cjk(doc.title, doc.text)),  # only such documents get trigrams (migration 014)
        }
        if existing:
            row.pop("fetched")
            row["updated"] = doc.fetched
            db.table("documents").update(doc_id, row)
            return "changed"
        # Plain SQL: sqlite-utils' insert() introspects the table on every call (~0.7 ms a document).
        columns = ", ".join(row)  # the keys above: fixed names, never scraped text
        db.execute(
            f"INSERT INTO documents ({columns}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        )
        return "new"


def untagged_documents(db: Database, limit: int = 1000) -> list[dict[str, Any]]:
    return list(
        db.query(
            "SELECT d.*, s.kind AS source_kind, s.jurisdiction AS source_jurisdiction FROM documents d"
            " JOIN sources s ON s.slug = d.source WHERE d.tagged_at IS NULL ORDER BY d.rowid LIMIT ?",
            [limit],
        )
    )


def write_events(
    db: Database,
    document_id: str,
    events: Iterable[EventRecord],
    model_version: str,
    *,
    score: tuple[float, float] | None = None,
) -> list[int]:
    """Replace a document's events and mark it tagged, in one transaction; `score` (relevance, confidence)
    writes the tagger's score in that same transaction, so a crash never leaves one without the other."""
    now = utcnow()
    ids: list[int] = []
    with db.conn:
        db.execute("DELETE FROM events WHERE document_id = ?", [document_id])
        for event in events:
            cursor = db.execute(
                "INSERT INTO events (document_id, event_type, direction, imposing, stage, confidence,"
                " model_version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    document_id,
                    event.event_type,
                    event.direction,
                    event.imposing,
                    event.stage,
                    float(event.confidence),
                    model_version,
                    now,
                ],
            )
            event_id = int(cursor.lastrowid or 0)
            ids.append(event_id)
            db.conn.executemany(
                "INSERT OR IGNORE INTO event_targets (event_id, country) VALUES (?, ?)",
                [(event_id, c) for c in event.targets],
            )
            db.conn.executemany(
                "INSERT OR IGNORE INTO event_commodities (event_id, commodity, hs_code) VALUES (?, ?, ?)",
                [(event_id, name, hs) for name, hs in event.commodities],
            )
            db.conn.executemany(
                "INSERT OR IGNORE INTO event_technologies (event_id, technology) VALUES (?, ?)",
                [(event_id, t) for t in event.technologies],
            )
        db.execute(
            "UPDATE documents SET tagged_at = ?, tag_version = ? WHERE id = ?",
            [now, model_version, document_id],
        )
        if score is not None:
            db.execute(
                "INSERT OR REPLACE INTO tag_scores (document_id, relevance, confidence, model_version,"
                " scored_at) VALUES (?, ?, ?, ?, ?)",
                [document_id, float(score[0]), float(score[1]), model_version, now],
            )
    return ids


def event_views(db: Database, where: str = "1", params: list[Any] | None = None) -> Iterator[dict[str, Any]]:
    """Events joined with their document and role lists. `where` is a trusted SQL fragment with ? params."""
    sql = f"""
        SELECT e.*, d.title, d.url, d.text, d.source, d.published, d.language, d.fetched,
            (SELECT json_group_array(country) FROM event_targets WHERE event_id = e.id) AS targets,
            (SELECT json_group_array(commodity) FROM event_commodities WHERE event_id = e.id) AS commodities,
            (SELECT json_group_array(technology) FROM event_technologies WHERE event_id = e.id) AS technologies
        FROM events e JOIN documents d ON d.id = e.document_id
        WHERE {where} ORDER BY e.id
    """
    for row in db.query(sql, params or []):
        for key in ("targets", "commodities", "technologies"):
            row[key] = json.loads(row[key])
        yield row


def counts(db: Database) -> dict[str, Any]:
    """One-screen summary numbers."""
    return {
        "documents": db.execute("SELECT count(*) FROM documents").fetchone()[0],
        "events": db.execute("SELECT count(*) FROM events").fetchone()[0],
        "events_by_type": dict(
            db.execute(
                "SELECT event_type, count(*) FROM events GROUP BY event_type ORDER BY 2 DESC"
            ).fetchall()
        ),
        "alerts_by_status": dict(
            db.execute("SELECT status, count(*) FROM alerts GROUP BY status").fetchall()
        ),
    }


# --- tagging review and human labels (nlp area) --------------------------------------------------


def write_tag_score(
    db: Database, document_id: str, relevance: float, confidence: float, model_version: str
) -> None:
    with db.conn:
        db.execute(
            "INSERT OR REPLACE INTO tag_scores (document_id, relevance, confidence, model_version, scored_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [document_id, float(relevance), float(confidence), model_version, utcnow()],
        )


def low_confidence_documents(db: Database, *, below: float = 0.8, limit: int = 20) -> list[dict[str, Any]]:
    """Tagged documents the tagger was least sure about and nobody has labelled yet, least sure first."""
    return list(
        db.query(
            "SELECT d.id, d.title, d.language, d.source, t.relevance, t.confidence,"
            " (SELECT json_group_array(event_type) FROM events WHERE document_id = d.id) AS event_types"
            " FROM tag_scores t JOIN documents d ON d.id = t.document_id"
            " WHERE t.confidence < ? AND d.id NOT IN (SELECT document_id FROM human_labels)"
            " ORDER BY t.confidence, d.rowid LIMIT ?",
            [below, limit],
        )
    )


def record_human_label(
    db: Database, document_id: str, label: dict[str, Any], labeller: str | None = None
) -> None:
    """Store (or replace) a person's label for a document; lists are kept as JSON."""
    with db.conn:
        db.execute(
            "INSERT OR REPLACE INTO human_labels (document_id, event_types, direction, imposing, targets,"
            " commodities, technologies, stage, labeller, labelled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                document_id,
                json.dumps(label.get("event_types") or ["none"]),
                label.get("direction"),
                label.get("imposing"),
                json.dumps(label.get("targets") or []),
                json.dumps(label.get("commodities") or []),
                json.dumps(label.get("technologies") or []),
                label.get("stage"),
                labeller,
                utcnow(),
            ],
        )


def human_labels(db: Database) -> list[dict[str, Any]]:
    """Human labels joined with their documents, in the labelled-file shape (lists decoded)."""
    rows = list(
        db.query(
            "SELECT h.*, d.title, d.text, d.language, d.published, s.kind AS source_kind,"
            " s.jurisdiction AS source_jurisdiction FROM human_labels h JOIN documents d ON d.id = h.document_id"
            " JOIN sources s ON s.slug = d.source ORDER BY h.document_id"
        )
    )
    for row in rows:
        for key in ("event_types", "targets", "commodities", "technologies"):
            row[key] = json.loads(row[key])
        row["id"] = f"human:{row['document_id']}"
    return rows
