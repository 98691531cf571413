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
