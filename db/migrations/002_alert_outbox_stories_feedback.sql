
        CREATE TABLE alert_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        -- Identifies this store in Slack message metadata, so two stores posting to one channel never
        -- mistake each other's messages for their own when reconciling.
        INSERT INTO alert_settings (key, value) VALUES ('instance', lower(hex(randomblob(8))));
        CREATE TABLE stories (
            id INTEGER PRIMARY KEY,
            event_type TEXT NOT NULL,
            imposing TEXT,
            keys TEXT NOT NULL DEFAULT '[]',   -- JSON list of "target:CN", "commodity:gallium", ...
            title TEXT NOT NULL,
            first_document_id TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL
        );
        CREATE INDEX idx_stories_lookup ON stories(event_type, imposing, last_seen);
        CREATE TABLE story_members (
            story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            event_type TEXT NOT NULL,
            added_at TEXT NOT NULL,
            PRIMARY KEY (document_id, event_type)
        );
        CREATE INDEX idx_story_members_story ON story_members(story_id);
        -- Every event insert (first tagging or re-tagging) queues the event for matching once.
        CREATE TABLE alert_match_queue (event_id INTEGER PRIMARY KEY);
        CREATE TRIGGER events_alert_queue AFTER INSERT ON events BEGIN
            INSERT OR IGNORE INTO alert_match_queue (event_id) VALUES (new.id);
        END;
        CREATE TRIGGER events_alert_unqueue AFTER DELETE ON events BEGIN
            DELETE FROM alert_match_queue WHERE event_id = old.id;
        END;
        INSERT OR IGNORE INTO alert_match_queue (event_id) SELECT id FROM events;
        ALTER TABLE alerts ADD COLUMN kind TEXT NOT NULL DEFAULT 'alert';  -- alert | reply | digest
        ALTER TABLE alerts ADD COLUMN story_id INTEGER REFERENCES stories(id) ON DELETE SET NULL;
        ALTER TABLE alerts ADD COLUMN thread_of INTEGER REFERENCES alerts(id) ON DELETE SET NULL;
        ALTER TABLE alerts ADD COLUMN claimed_at TEXT;   -- a post may be in flight (in doubt) since then
        ALTER TABLE alerts ADD COLUMN channel_id TEXT;
        ALTER TABLE alerts ADD COLUMN digest_id INTEGER;
        ALTER TABLE alerts ADD COLUMN mentions TEXT;     -- JSON list from the watchlist, first alerts only
        CREATE UNIQUE INDEX idx_alerts_one_per_story ON alerts(watchlist, story_id) WHERE kind = 'alert';
        CREATE INDEX idx_alerts_pending ON alerts(status, kind, next_attempt_at);
        CREATE TABLE digests (
            id INTEGER PRIMARY KEY,
            watchlist TEXT NOT NULL,
            delivery TEXT NOT NULL,
            channel TEXT NOT NULL,
            created_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            claimed_at TEXT,
            next_attempt_at TEXT,
            last_error TEXT,
            slack_ts TEXT,
            sent_at TEXT
        );
        CREATE TABLE slack_channels (name TEXT PRIMARY KEY, id TEXT NOT NULL);
        CREATE TABLE alert_feedback (
            alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
            reaction TEXT NOT NULL,
            user TEXT NOT NULL,
            seen_at TEXT NOT NULL,
            PRIMARY KEY (alert_id, reaction, user)
        );
        CREATE TABLE alert_labels (
            alert_id INTEGER PRIMARY KEY REFERENCES alerts(id) ON DELETE CASCADE,
            document_id TEXT NOT NULL,
            watchlist TEXT NOT NULL,
            up INTEGER NOT NULL,
            down INTEGER NOT NULL,
            label TEXT NOT NULL CHECK (label IN ('relevant', 'not_relevant', 'disputed')),
            review_state TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
    