
        CREATE VIRTUAL TABLE IF NOT EXISTS documents_words USING fts5(
            title, text, content=documents, tokenize='unicode61 remove_diacritics 2'
        );
        DROP TRIGGER IF EXISTS documents_words_ai;
        DROP TRIGGER IF EXISTS documents_words_ad;
        DROP TRIGGER IF EXISTS documents_words_au;
        CREATE TRIGGER documents_words_ai AFTER INSERT ON documents BEGIN INSERT INTO documents_words (rowid, title, text) VALUES (new.rowid, new.title, new.text); END;
CREATE TRIGGER documents_words_ad AFTER DELETE ON documents BEGIN INSERT INTO documents_words (documents_words, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text); END;
CREATE TRIGGER documents_words_au AFTER UPDATE OF title, text ON documents BEGIN INSERT INTO documents_words (documents_words, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text); INSERT INTO documents_words (rowid, title, text) VALUES (new.rowid, new.title, new.text); END;
        -- External-content table: 'rebuild' re-reads every row of documents (the backfill).
        INSERT INTO documents_words (documents_words) VALUES ('rebuild');
        -- The trigram index's term list (no storage of its own): search expands a one- or two-character
        -- Chinese/Japanese term into the trigrams that start with it, instead of scanning with LIKE.
        CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts_terms USING fts5vocab(documents_fts, 'row');
        -- Likewise for words: "semiconductor" expands to the indexed words starting with it (an OR of exact
        -- words is several times cheaper for FTS5 than a prefix query, which merges whole doclists).
        CREATE VIRTUAL TABLE IF NOT EXISTS documents_words_terms USING fts5vocab(documents_words, 'row');
    