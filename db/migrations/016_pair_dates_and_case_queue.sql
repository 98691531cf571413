-- Retaliation candidates (signals/retaliation.py) are the restrictive measures of a few imposing countries
-- within a date window: one range per country of this index instead of the whole window of event_dates.
CREATE INDEX IF NOT EXISTS idx_event_dates_imposing ON event_dates(imposing, date);
-- Documents waiting for case linking (signals/cases.py link_pending): tagged and not in case_scan. Finding
-- them by scanning documents read the whole store every pass (87 s at 1,000,000 documents); the triggers
-- keep every such document in this queue (a row may outlive its reason: the reader checks both again).
CREATE TABLE IF NOT EXISTS case_pending (
    document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS case_pending_ai AFTER INSERT ON documents WHEN new.tagged_at IS NOT NULL BEGIN
    INSERT OR IGNORE INTO case_pending (document_id) VALUES (new.id);
END;
CREATE TRIGGER IF NOT EXISTS case_pending_au AFTER UPDATE OF id, tagged_at ON documents
WHEN new.tagged_at IS NOT NULL BEGIN
    INSERT OR IGNORE INTO case_pending (document_id)
    SELECT new.id WHERE NOT EXISTS (SELECT 1 FROM case_scan WHERE document_id = new.id);
END;
CREATE TRIGGER IF NOT EXISTS case_pending_scanned AFTER INSERT ON case_scan BEGIN
    DELETE FROM case_pending WHERE document_id = new.document_id;
END;
CREATE TRIGGER IF NOT EXISTS case_pending_unscanned AFTER DELETE ON case_scan BEGIN
    INSERT OR IGNORE INTO case_pending (document_id)
    SELECT old.document_id WHERE EXISTS (SELECT 1 FROM documents WHERE id = old.document_id);
END;
INSERT OR IGNORE INTO case_pending (document_id)
SELECT id FROM documents WHERE tagged_at IS NOT NULL AND id NOT IN (SELECT document_id FROM case_scan);
