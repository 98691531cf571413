"""Migration 11 (issue 16): indexes and small tables that keep the daily and per-alert work from growing
with history. A fixed SQL text (no generated SQL), idempotent (IF NOT EXISTS), so a re-run after a crash
mid-way cannot fail.

- `case_refs`: each case's reference numbers, one row per (ref, case), kept by triggers on cases.refs, so
  case linking finds a case by its number through an index instead of reading the newest 2,000 cases
  of the imposing country (and silently missing older ones).
- `idx_cases_key`: the key match (imposing, remedy, product) by index, with no LIMIT.
- `idx_stories_window`: story candidates of an event type by last_seen range (the 14-day window), which
  also serves the near-duplicate-title match that ignores the imposing country.
- `alert_feedback_polls`: when each alert's reactions were last read, so they are read with back-off
  (alerts/feedback_schedule.py) instead of every alert of the last seven days on every run.
- `escalation_points` + `escalation_state` replace `escalation_index` (one row per pair per day, 888 MiB
  at 100,000 documents): change points only, continued from the last computed day (db/escalation_store.py,
  signals/escalation.py). The old table held derived data only; the next signals pass refills the new ones.
"""

from __future__ import annotations

from sqlite_utils import Database

M011_SQL = """
CREATE TABLE IF NOT EXISTS case_refs (
    ref TEXT NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    PRIMARY KEY (ref, case_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idx_case_refs_case ON case_refs(case_id);
CREATE TRIGGER IF NOT EXISTS cases_refs_ai AFTER INSERT ON cases BEGIN
    INSERT OR IGNORE INTO case_refs (ref, case_id) SELECT value, new.id FROM json_each(new.refs);
END;
CREATE TRIGGER IF NOT EXISTS cases_refs_au AFTER UPDATE OF refs ON cases BEGIN
    DELETE FROM case_refs WHERE case_id = old.id;
    INSERT OR IGNORE INTO case_refs (ref, case_id) SELECT value, new.id FROM json_each(new.refs);
END;
CREATE TRIGGER IF NOT EXISTS cases_refs_ad AFTER DELETE ON cases BEGIN
    DELETE FROM case_refs WHERE case_id = old.id;
END;
INSERT OR IGNORE INTO case_refs (ref, case_id) SELECT j.value, c.id FROM cases c, json_each(c.refs) j;
CREATE INDEX IF NOT EXISTS idx_cases_key ON cases(imposing, remedy, product);
CREATE INDEX IF NOT EXISTS idx_stories_window ON stories(event_type, last_seen);
CREATE TABLE IF NOT EXISTS alert_feedback_polls (
    alert_id INTEGER PRIMARY KEY REFERENCES alerts(id) ON DELETE CASCADE,
    checked_at TEXT NOT NULL,
    checks INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS escalation_points (
    imposing TEXT NOT NULL,
    target TEXT NOT NULL,
    day TEXT NOT NULL,
    value REAL NOT NULL,           -- unrounded index on that day
    added REAL NOT NULL,
    top TEXT NOT NULL,             -- JSON: top contributors with their undecayed weights
    PRIMARY KEY (imposing, target, day)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS escalation_state (
    imposing TEXT NOT NULL,
    target TEXT NOT NULL,
    last_day TEXT NOT NULL,
    value REAL NOT NULL,
    recent TEXT NOT NULL,
    digest TEXT NOT NULL,
    top_key TEXT NOT NULL,
    computed_at TEXT NOT NULL,
    PRIMARY KEY (imposing, target)
) WITHOUT ROWID;
DROP TABLE IF EXISTS escalation_index;
"""


def _m011_incremental(db: Database) -> str:
    return M011_SQL
