
        DROP TRIGGER IF EXISTS documents_au;
        CREATE TRIGGER documents_au AFTER UPDATE OF title, text ON documents BEGIN
            INSERT INTO documents_fts (documents_fts, rowid, title, text)
            VALUES ('delete', old.rowid, old.title, old.text);
            INSERT INTO documents_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;
        CREATE INDEX IF NOT EXISTS idx_documents_date ON documents(coalesce(published, fetched));
        CREATE INDEX IF NOT EXISTS idx_alerts_event ON alerts(event_id);
    