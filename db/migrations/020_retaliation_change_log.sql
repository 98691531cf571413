-- What changed since the last daily retaliation pass (signals/retaliation_changes.py), so a pass with
-- nothing new reads this log and one state row instead of every measure of the 90-day window. Triggers
-- add a row per change: 'event' (an event, its roles or its stored date: re-score it and the events whose
-- windows it falls into), 'document' (a document's dates, text or source, or its story's members: its
-- events' public dates may move), 'links' (an event's links written or deleted by someone else, e.g. at
-- matching time or by a deleted prior's cascade: re-score that event), 'all' (a publisher renamed: every
-- stored basis text may change). The pass deletes the rows it has handled.
CREATE TABLE IF NOT EXISTS retaliation_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,  -- event | document | links | all
    ref                  -- event id (event, links), document id (document), NULL (all)
);
-- The constants the links were computed with and the oldest `since` a pass covered: a different salt
-- (weights, window, sector map), another `days`, or a clock gone back means a pass over the whole window.
CREATE TABLE IF NOT EXISTS retaliation_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    salt INTEGER NOT NULL,
    days INTEGER NOT NULL,
    since TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS retaliation_changes_events_ai AFTER INSERT ON events BEGIN
    INSERT INTO retaliation_changes (kind, ref) VALUES ('event', new.id);
END;
CREATE TRIGGER IF NOT EXISTS retaliation_changes_events_ad AFTER DELETE ON events BEGIN
    INSERT INTO retaliation_changes (kind, ref) VALUES ('event', old.id);
END;
CREATE TRIGGER IF NOT EXISTS retaliation_changes_events_au AFTER UPDATE ON events BEGIN
    INSERT INTO retaliation_changes (kind, ref) VALUES ('event', old.id), ('event', new.id);
END;
CREATE TRIGGER IF NOT EXISTS retaliation_changes_targets_ai AFTER INSERT ON event_targets BEGIN
    INSERT INTO retaliation_changes (kind, ref) VALUES ('event', new.event_id);
END;
CREATE TRIGGER IF NOT EXISTS retaliation_changes_targets_ad AFTER DELETE ON event_targets BEGIN
    INSERT INTO retaliation_changes (kind, ref) VALUES ('event', old.event_id);
END;
CREATE TRIGGER IF NOT EXISTS retaliation_changes_targets_au AFTER UPDATE ON event_targets BEGIN
    INSERT INTO retaliation_changes (kind, ref) VALUES ('event', old.event_id), ('event', new.event_id);
END;
CREATE TRIGGER IF NOT EXISTS retaliation_changes_commodities_ai AFTER INSERT ON event_commodities BEGIN
    INSERT INTO retaliation_changes (kind, ref) VALUES ('event', new.event_id);
END;
CREATE TRIGGER IF NOT EXISTS retaliation_changes_commodities_ad AFTER DELETE ON event_commodities BEGIN
    INSERT INTO retaliation_changes (kind, ref) VALUES ('event', old.event_id);
END;
CREATE TRIGGER IF NOT EXISTS retaliation_changes_commodities_au AFTER UPDATE ON event_commodities BEGIN
    INSERT INTO retaliation_changes (kind, ref) VALUES ('event', old.event_id), ('event', new.event_id);
END;
CREATE TRIGGER IF NOT EXISTS retaliation_changes_technologies_ai AFTER INSERT ON event_technologies BEGIN
    INSERT INTO retaliation_changes (kind, ref) VALUES ('event', new.event_id);
END;
CREATE TRIGGER IF NOT EXISTS retaliation_changes_technologies_ad AFTER DELETE ON event_technologies BEGIN
    INSERT INTO retaliation_changes (kind, ref) VALUES ('event', old.event_id);
END;
CREATE TRIGGER IF NOT EXISTS retaliation_changes_technologies_au AFTER UPDATE ON event_technologies BEGIN
    INSERT INTO retaliation_changes (kind, ref) VALUES ('event', old.event_id), ('event', new.event_id);
END;
CREATE TRIGGER IF NOT EXISTS retaliation_changes_dates_ai AFTER INSERT ON event_dates BEGIN
    INSERT INTO retaliation_changes (kind, ref) VALUES ('event', new.event_id);
END;
CREATE TRIGGER IF NOT EXISTS retaliation_changes_dates_ad AFTER DELETE ON event_dates BEGIN
    INSERT INTO retaliation_changes (kind, ref) VALUES ('event', old.event_id);
END;
CREATE TRIGGER IF NOT EXISTS retaliation_changes_dates_au AFTER UPDATE ON event_dates BEGIN
    INSERT INTO retaliation_changes (kind, ref) VALUES ('event', old.event_id), ('event', new.event_id);
END;
-- What a public date is computed from (signals/public_date.py): the document's dates, text and source,
-- and its story-mates' dates. Logged whether or not document_public holds a row for them.
CREATE TRIGGER IF NOT EXISTS retaliation_changes_documents_au AFTER UPDATE OF id, source, text, published,
fetched ON documents BEGIN
    INSERT INTO retaliation_changes (kind, ref) VALUES ('document', old.id), ('document', new.id);
    INSERT INTO retaliation_changes (kind, ref)
        SELECT 'document', o.document_id FROM story_members m JOIN story_members o ON o.story_id = m.story_id
        WHERE m.document_id IN (old.id, new.id);
END;
CREATE TRIGGER IF NOT EXISTS retaliation_changes_story_ai AFTER INSERT ON story_members BEGIN
    INSERT INTO retaliation_changes (kind, ref)
        SELECT 'document', document_id FROM story_members WHERE story_id = new.story_id;
END;
CREATE TRIGGER IF NOT EXISTS retaliation_changes_story_ad AFTER DELETE ON story_members BEGIN
    INSERT INTO retaliation_changes (kind, ref) VALUES ('document', old.document_id);
    INSERT INTO retaliation_changes (kind, ref)
        SELECT 'document', document_id FROM story_members WHERE story_id = old.story_id;
END;
CREATE TRIGGER IF NOT EXISTS retaliation_changes_story_au AFTER UPDATE ON story_members BEGIN
    INSERT INTO retaliation_changes (kind, ref) VALUES ('document', old.document_id), ('document', new.document_id);
    INSERT INTO retaliation_changes (kind, ref)
        SELECT 'document', document_id FROM story_members WHERE story_id IN (old.story_id, new.story_id);
END;
CREATE TRIGGER IF NOT EXISTS retaliation_changes_sources_au AFTER UPDATE OF slug, publisher ON sources BEGIN
    INSERT INTO retaliation_changes (kind, ref) VALUES ('all', NULL);
END;
CREATE TRIGGER IF NOT EXISTS retaliation_changes_sources_ad AFTER DELETE ON sources BEGIN
    INSERT INTO retaliation_changes (kind, ref) VALUES ('all', NULL);
END;
CREATE TRIGGER IF NOT EXISTS retaliation_changes_links_ai AFTER INSERT ON retaliation_links BEGIN
    INSERT INTO retaliation_changes (kind, ref) VALUES ('links', new.event_id);
END;
CREATE TRIGGER IF NOT EXISTS retaliation_changes_links_ad AFTER DELETE ON retaliation_links BEGIN
    INSERT INTO retaliation_changes (kind, ref) VALUES ('links', old.event_id);
END;
CREATE TRIGGER IF NOT EXISTS retaliation_changes_links_au AFTER UPDATE ON retaliation_links BEGIN
    INSERT INTO retaliation_changes (kind, ref) VALUES ('links', old.event_id), ('links', new.event_id);
END;
