-- When each document's measures were first made public (signals/public_date.py: its own date, a Federal
-- Register filing or signing line in its text, an earlier report of its story), stored so the daily
-- retaliation pass reads one row by key instead of the document's text and its story's documents.
-- signals/public_cache.py fills it lazily; the triggers below drop a row whenever something it was
-- computed from changes, so a missing row only means "compute again".
CREATE TABLE IF NOT EXISTS document_public (
    document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    public TEXT NOT NULL,  -- UTC instant, ISO 8601
    basis TEXT NOT NULL,   -- own | filed | signed | story
    source TEXT            -- the slug whose publisher the basis names (own: the document's, story: the report's)
) WITHOUT ROWID;
-- Its dates, text or source, or a story-mate's dates (an earlier report dates every member).
CREATE TRIGGER IF NOT EXISTS document_public_au AFTER UPDATE OF id, source, text, published, fetched
ON documents BEGIN
    DELETE FROM document_public WHERE document_id IN (old.id, new.id);
    DELETE FROM document_public WHERE document_id IN (
        SELECT o.document_id FROM story_members m JOIN story_members o ON o.story_id = m.story_id
        WHERE m.document_id IN (old.id, new.id));
END;
-- BEFORE: the story memberships are still there (they cascade with the document).
CREATE TRIGGER IF NOT EXISTS document_public_bd BEFORE DELETE ON documents BEGIN
    DELETE FROM document_public WHERE document_id = old.id;
    DELETE FROM document_public WHERE document_id IN (
        SELECT o.document_id FROM story_members m JOIN story_members o ON o.story_id = m.story_id
        WHERE m.document_id = old.id);
END;
-- A story gaining, losing or moving a member: every member's earliest report may change.
CREATE TRIGGER IF NOT EXISTS document_public_story_ai AFTER INSERT ON story_members BEGIN
    DELETE FROM document_public WHERE document_id IN (
        SELECT document_id FROM story_members WHERE story_id = new.story_id);
END;
CREATE TRIGGER IF NOT EXISTS document_public_story_ad AFTER DELETE ON story_members BEGIN
    DELETE FROM document_public WHERE document_id = old.document_id;
    DELETE FROM document_public WHERE document_id IN (
        SELECT document_id FROM story_members WHERE story_id = old.story_id);
END;
CREATE TRIGGER IF NOT EXISTS document_public_story_au AFTER UPDATE ON story_members BEGIN
    DELETE FROM document_public WHERE document_id IN (old.document_id, new.document_id);
    DELETE FROM document_public WHERE document_id IN (
        SELECT document_id FROM story_members WHERE story_id IN (old.story_id, new.story_id));
END;
-- What the daily pass computed each event's links from (signals/retaliation.py): a digest of the event
-- and of every measure in its candidate slices (ids, dates, public dates and bases, roles, sectors). A
-- pass skips an event whose digest is unchanged. Any other write to the event's links drops its row, so
-- a skipped event's links are always what the pass itself computed from those inputs.
CREATE TABLE IF NOT EXISTS retaliation_inputs (
    event_id INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    digest INTEGER NOT NULL
);
CREATE TRIGGER IF NOT EXISTS retaliation_inputs_links_ai AFTER INSERT ON retaliation_links BEGIN
    DELETE FROM retaliation_inputs WHERE event_id = new.event_id;
END;
CREATE TRIGGER IF NOT EXISTS retaliation_inputs_links_ad AFTER DELETE ON retaliation_links BEGIN
    DELETE FROM retaliation_inputs WHERE event_id = old.event_id;
END;
CREATE TRIGGER IF NOT EXISTS retaliation_inputs_links_au AFTER UPDATE ON retaliation_links BEGIN
    DELETE FROM retaliation_inputs WHERE event_id IN (old.event_id, new.event_id);
END;
