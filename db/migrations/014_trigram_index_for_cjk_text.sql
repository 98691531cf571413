
-- The trigram index only for documents that hold Han, kana or Hangul (scripts without spaces, which need
-- substring search); every document is in the word index (009). For English notices the trigrams were
-- over half the store and most of a document's write time. store_document sets `cjk` (db/textnorm.py's
-- CJK class); NULL (rows stored before this migration, or by other writers) stays indexed as before.
-- research/search.py finds terms with symbols in the other documents through the word index plus LIKE.
ALTER TABLE documents ADD COLUMN cjk INTEGER;
DROP TRIGGER IF EXISTS documents_ai;
DROP TRIGGER IF EXISTS documents_ad;
DROP TRIGGER IF EXISTS documents_au;
-- The old update trigger fired on every UPDATE (tagging sets tagged_at) and re-indexed the whole text.
CREATE TRIGGER documents_ai AFTER INSERT ON documents WHEN new.cjk IS NOT 0 BEGIN
    INSERT INTO documents_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER documents_ad AFTER DELETE ON documents WHEN old.cjk IS NOT 0 BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER documents_au_old AFTER UPDATE OF title, text, cjk ON documents WHEN old.cjk IS NOT 0 BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
END;
CREATE TRIGGER documents_au_new AFTER UPDATE OF title, text, cjk ON documents WHEN new.cjk IS NOT 0 BEGIN
    INSERT INTO documents_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
