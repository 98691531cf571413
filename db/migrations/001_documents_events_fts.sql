
        CREATE TABLE sources (
            slug TEXT PRIMARY KEY,
            publisher TEXT NOT NULL,
            jurisdiction TEXT NOT NULL,
            language TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('official', 'news', 'other')),
            url TEXT,
            schedule TEXT,
            min_items INTEGER NOT NULL DEFAULT 1,
            timezone TEXT
        );
        CREATE TABLE documents (
            id TEXT PRIMARY KEY,
            source TEXT NOT NULL REFERENCES sources(slug),
            url TEXT NOT NULL UNIQUE,
            notice_number TEXT,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            language TEXT NOT NULL,
            published TEXT,
            fetched TEXT NOT NULL,
            updated TEXT,
            content_hash TEXT NOT NULL,
            attachments TEXT NOT NULL DEFAULT '[]',
            tagged_at TEXT,
            tag_version TEXT
        );
        CREATE INDEX idx_documents_source ON documents(source);
        CREATE INDEX idx_documents_untagged ON documents(tagged_at) WHERE tagged_at IS NULL;
        CREATE INDEX idx_documents_published ON documents(published);
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            event_type TEXT NOT NULL,
            direction TEXT,
            imposing TEXT,
            stage TEXT,
            confidence REAL NOT NULL,
            model_version TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (document_id, event_type)
        );
        CREATE INDEX idx_events_type ON events(event_type);
        CREATE INDEX idx_events_imposing ON events(imposing);
        CREATE TABLE event_targets (
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            country TEXT NOT NULL,
            PRIMARY KEY (event_id, country)
        );
        CREATE TABLE event_commodities (
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            commodity TEXT NOT NULL,
            hs_code TEXT,
            PRIMARY KEY (event_id, commodity)
        );
        CREATE TABLE event_technologies (
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            technology TEXT NOT NULL,
            PRIMARY KEY (event_id, technology)
        );
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            watchlist TEXT NOT NULL,
            document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            event_id INTEGER REFERENCES events(id) ON DELETE SET NULL,
            channel TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            slack_ts TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT,
            next_attempt_at TEXT,
            UNIQUE (watchlist, document_id)
        );
        CREATE INDEX idx_alerts_status ON alerts(status);
        CREATE TABLE crawl_runs (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            started TEXT NOT NULL,
            finished TEXT,
            status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'ok', 'failed')),
            reason TEXT,
            pages INTEGER NOT NULL DEFAULT 0,
            items INTEGER NOT NULL DEFAULT 0,
            new INTEGER NOT NULL DEFAULT 0,
            changed INTEGER NOT NULL DEFAULT 0,
            errors INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX idx_crawl_runs_source ON crawl_runs(source, started);
        -- Trigram tokenizer: substring search that works for Chinese and Japanese, which have no spaces.
        CREATE VIRTUAL TABLE documents_fts USING fts5(
            title, text, content=documents, tokenize='trigram'
        );
        CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN INSERT INTO documents_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text); END;
CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN INSERT INTO documents_fts (documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text); END;
CREATE TRIGGER documents_au AFTER UPDATE ON documents BEGIN INSERT INTO documents_fts (documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text); INSERT INTO documents_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text); END;
        