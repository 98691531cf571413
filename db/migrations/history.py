"""Migrations 1-9: the schema as it grew, issue by issue. Never edit a released one: append a new one."""

from __future__ import annotations

from sqlite_utils import Database


def fts_sync_triggers(index: str, prefix: str, update: str) -> str:
    """Triggers keeping an external-content FTS5 table on documents in step with its rows."""
    delete = f"INSERT INTO {index} ({index}, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);"
    insert = f"INSERT INTO {index} (rowid, title, text) VALUES (new.rowid, new.title, new.text);"
    return (
        f"CREATE TRIGGER {prefix}_ai AFTER INSERT ON documents BEGIN {insert} END;\n"
        f"CREATE TRIGGER {prefix}_ad AFTER DELETE ON documents BEGIN {delete} END;\n"
        f"CREATE TRIGGER {prefix}_au AFTER {update} ON documents BEGIN {delete} {insert} END;"
    )


def _m001_initial(db: Database) -> str:
    return f"""
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
        {fts_sync_triggers("documents_fts", "documents", "UPDATE")}
        """


def _m002_alerts(db: Database) -> str:
    """Alerts and watchlists area: stories, threads, digests, exactly-once claims, feedback.

    The alerts table of migration 1 keeps UNIQUE(watchlist, document_id): every outbox row (first alert,
    thread reply or digest item) is about one document, so that constraint still means "never twice".
    One first alert per (story, watchlist) is a partial unique index on the new columns.
    """
    return """
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
    """


def _m003_crawl(db: Database) -> str:
    """Crawlers area: HTTP validators (ETag/Last-Modified), source state."""
    # One row per document URL a spider has stored: the listing entry's fingerprint (unchanged entry →
    # the detail page is not fetched again) and the server's validators for conditional requests.
    return """
        CREATE TABLE IF NOT EXISTS crawl_pages (
            url TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            listing_hash TEXT,
            etag TEXT,
            last_modified TEXT,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS idx_crawl_pages_source ON crawl_pages(source);
    """


def _m004_nlp(db: Database) -> str:
    """NLP area: human labels and review state."""
    return """
        -- How sure the tagger was about each document (measure or not), for `cwatch review`.
        CREATE TABLE tag_scores (
            document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            relevance REAL NOT NULL,
            confidence REAL NOT NULL,
            model_version TEXT NOT NULL,
            scored_at TEXT NOT NULL
        );
        CREATE INDEX idx_tag_scores_confidence ON tag_scores(confidence);
        -- Labels given by a person in `cwatch review`; `cwatch train` learns from them. Lists are JSON.
        CREATE TABLE human_labels (
            document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            event_types TEXT NOT NULL,
            direction TEXT,
            imposing TEXT,
            targets TEXT NOT NULL DEFAULT '[]',
            commodities TEXT NOT NULL DEFAULT '[]',
            technologies TEXT NOT NULL DEFAULT '[]',
            stage TEXT,
            labeller TEXT,
            labelled_at TEXT NOT NULL
        );
    """


def _m005_research(db: Database) -> str:
    """Research area: indexes for the stored queries and a flat view for facets in the console."""
    # The stored queries look events up by target, commodity, technology and month, and alerts by
    # watchlist; the role tables' primary keys start with event_id, so those lookups need their own index.
    return """
        CREATE INDEX idx_event_targets_country ON event_targets(country, event_id);
        CREATE INDEX idx_event_commodities_commodity ON event_commodities(commodity, event_id);
        CREATE INDEX idx_event_technologies_technology ON event_technologies(technology, event_id);
        CREATE INDEX idx_alerts_watchlist_created ON alerts(watchlist, created_at);
        -- One row per event with its roles as JSON arrays: Datasette facets on plain and array columns.
        CREATE VIEW event_facets AS
        SELECT e.id AS event_id, e.document_id, e.event_type, e.direction, e.imposing, e.stage,
            e.confidence, substr(coalesce(d.published, d.fetched), 1, 7) AS month,
            coalesce(d.published, d.fetched) AS date, d.title, d.url, d.source, d.language,
            (SELECT json_group_array(country) FROM event_targets WHERE event_id = e.id) AS targets,
            (SELECT json_group_array(commodity) FROM event_commodities WHERE event_id = e.id) AS commodities,
            (SELECT json_group_array(technology) FROM event_technologies WHERE event_id = e.id)
                AS technologies
        FROM events e JOIN documents d ON d.id = e.document_id;
    """


def _m006_ops(db: Database) -> str:
    """Operations: resumable backfills."""
    return """
        CREATE TABLE backfill_progress (
            since TEXT NOT NULL,
            source TEXT NOT NULL,
            finished TEXT NOT NULL,
            status TEXT NOT NULL,
            PRIMARY KEY (since, source)
        );
    """


def _m007_signals(db: Database) -> str:
    """Signals area (issue 8): cases with lifecycles, retaliation links, escalation index, notices."""
    # Cases group the documents of one proceeding; stage history is one row per (case, stage) reached.
    # Retaliation links and the index are derived data: recomputing them replaces rows, never appends.
    return """
        CREATE TABLE cases (
            id INTEGER PRIMARY KEY,
            imposing TEXT,
            remedy TEXT NOT NULL,            -- anti_dumping | countervailing | safeguard | section_232 | ...
            product TEXT NOT NULL,           -- canonical commodity name, or a product phrase
            targets TEXT NOT NULL DEFAULT '[]',
            refs TEXT NOT NULL DEFAULT '[]', -- case numbers and notice numbers naming this proceeding
            title TEXT NOT NULL,
            stage TEXT NOT NULL,
            stage_rank INTEGER NOT NULL,
            first_document_id TEXT NOT NULL,
            story_id INTEGER REFERENCES stories(id) ON DELETE SET NULL,
            opened_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX idx_cases_lookup ON cases(imposing, remedy);
        CREATE TABLE case_documents (
            document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            stage TEXT NOT NULL,
            published TEXT,
            effective TEXT,
            linked_by TEXT NOT NULL,         -- ref:<number> | key (same product/imposing/targets/remedy) | new
            added_at TEXT NOT NULL
        );
        CREATE INDEX idx_case_documents_case ON case_documents(case_id);
        CREATE TABLE case_stages (
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            stage TEXT NOT NULL,
            document_id TEXT NOT NULL,
            reached TEXT,
            effective TEXT,
            PRIMARY KEY (case_id, stage)
        );
        -- Documents looked at by case linking (with or without a case), so each is considered once.
        CREATE TABLE case_scan (document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE);
        CREATE TABLE retaliation_links (
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            prior_event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            rank INTEGER NOT NULL,
            score REAL NOT NULL,
            days REAL NOT NULL,
            components TEXT NOT NULL,        -- JSON: the terms of the score, for explanation
            computed_at TEXT NOT NULL,
            PRIMARY KEY (event_id, prior_event_id)
        );
        CREATE INDEX idx_retaliation_prior ON retaliation_links(prior_event_id);
        CREATE TABLE escalation_index (
            imposing TEXT NOT NULL,
            target TEXT NOT NULL,
            day TEXT NOT NULL,               -- YYYY-MM-DD (UTC)
            value REAL NOT NULL,
            added REAL NOT NULL,             -- contribution of that day's documents
            change_7d REAL,                  -- percent change against 7 days earlier
            top TEXT NOT NULL DEFAULT '[]',  -- JSON: largest live contributions (document, weight)
            computed_at TEXT NOT NULL,
            PRIMARY KEY (imposing, target, day)
        );
        CREATE TABLE escalation_notices (
            id INTEGER PRIMARY KEY,
            watchlist TEXT NOT NULL,
            channel TEXT NOT NULL,
            imposing TEXT NOT NULL,
            target TEXT NOT NULL,
            rule TEXT NOT NULL,              -- crosses:X | rises:Y
            day TEXT NOT NULL,
            value REAL NOT NULL,
            detail TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
            claimed_at TEXT,
            slack_ts TEXT,
            last_error TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (watchlist, imposing, target, rule, day)
        );
        -- Sharing label set per event by an analyst (the watchlist's default applies otherwise).
        CREATE TABLE event_sharing (
            document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            tlp TEXT NOT NULL CHECK (tlp IN ('TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER')),
            set_at TEXT NOT NULL
        );
    """


def _m008_hardening(db: Database) -> str:
    """Hardening (issue 9): what the 1,000,000-document benchmark (bench/store.py) asked for.

    Idempotent (IF EXISTS / IF NOT EXISTS), so it is correct whichever order it lands in relative to
    other areas' migrations.
    """
    # 1. Tagging sets documents.tagged_at; the FTS update trigger of migration 1 fired on ANY column, so
    #    every tagged document was deleted from and re-added to the trigram index (half the write cost of
    #    tagging). Re-index only when the indexed columns change.
    # 2. Date filters (db/queries.py, research) compare coalesce(published, fetched): an index on that exact
    #    expression turns a scan of every event into a range search.
    # 3. Re-tagging deletes events; alerts.event_id REFERENCES events ON DELETE SET NULL, so each deleted
    #    event scanned the whole outbox without an index on alerts(event_id).
    return """
        DROP TRIGGER IF EXISTS documents_au;
        CREATE TRIGGER documents_au AFTER UPDATE OF title, text ON documents BEGIN
            INSERT INTO documents_fts (documents_fts, rowid, title, text)
            VALUES ('delete', old.rowid, old.title, old.text);
            INSERT INTO documents_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;
        CREATE INDEX IF NOT EXISTS idx_documents_date ON documents(coalesce(published, fetched));
        CREATE INDEX IF NOT EXISTS idx_alerts_event ON alerts(event_id);
    """


def _m009_search(db: Database) -> str:
    """Word index for search (issue 9): a second FTS5 table with the unicode61 tokenizer.

    The trigram table of migration 1 matches substrings, which Chinese and Japanese need, but a common
    English word then matches hundreds of thousands of rows and ranking them all takes seconds. Words of
    space-separated languages go to this table instead (research/search.py routes by script); accents are
    folded (remove_diacritics 2) so "reglement" finds "règlement". Kept in sync by its own triggers (only
    on title/text changes, like documents_au since migration 8) and backfilled from existing rows.
    Idempotent, so a re-run after a crash mid-way cannot fail.
    """
    return f"""
        CREATE VIRTUAL TABLE IF NOT EXISTS documents_words USING fts5(
            title, text, content=documents, tokenize='unicode61 remove_diacritics 2'
        );
        DROP TRIGGER IF EXISTS documents_words_ai;
        DROP TRIGGER IF EXISTS documents_words_ad;
        DROP TRIGGER IF EXISTS documents_words_au;
        {fts_sync_triggers("documents_words", "documents_words", "UPDATE OF title, text")}
        -- External-content table: 'rebuild' re-reads every row of documents (the backfill).
        INSERT INTO documents_words (documents_words) VALUES ('rebuild');
        -- The trigram index's term list (no storage of its own): search expands a one- or two-character
        -- Chinese/Japanese term into the trigrams that start with it, instead of scanning with LIKE.
        CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts_terms USING fts5vocab(documents_fts, 'row');
        -- Likewise for words: "semiconductor" expands to the indexed words starting with it (an OR of exact
        -- words is several times cheaper for FTS5 than a prefix query, which merges whole doclists).
        CREATE VIRTUAL TABLE IF NOT EXISTS documents_words_terms USING fts5vocab(documents_words, 'row');
    """
