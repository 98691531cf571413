
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
    