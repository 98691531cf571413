-- 1. Migration 014 split the trigram update into two triggers (delete old, insert new). SQLite fires the
--    newer trigger first, so an edit of a CJK document's title or text inserted the new version and then
--    deleted the old one's tokens, dropping the shared ones: the document fell out of the trigram index.
--    One trigger runs both steps in order.
DROP TRIGGER IF EXISTS documents_au_old;
DROP TRIGGER IF EXISTS documents_au_new;
CREATE TRIGGER documents_au_trigrams AFTER UPDATE OF title, text, cjk ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text)
        SELECT 'delete', old.rowid, old.title, old.text WHERE old.cjk IS NOT 0;
    INSERT INTO documents_fts (rowid, title, text)
        SELECT new.rowid, new.title, new.text WHERE new.cjk IS NOT 0;
END;
-- Rebuild the trigram index from the rows that belong in it, repairing documents edited under 014.
INSERT INTO documents_fts (documents_fts) VALUES ('delete-all');
INSERT INTO documents_fts (rowid, title, text) SELECT rowid, title, text FROM documents WHERE cjk IS NOT 0;
-- 2. Rows stored before migration 014 have `cjk` NULL and keep their trigrams. db/script_marks.py marks
--    them in bounded batches (the daily signals job); this partial index finds the rows still unmarked
--    without scanning the documents, and is empty once all are marked.
CREATE INDEX IF NOT EXISTS documents_script_unmarked ON documents (cjk) WHERE cjk IS NULL;
