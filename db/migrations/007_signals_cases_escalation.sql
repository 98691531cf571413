
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
    