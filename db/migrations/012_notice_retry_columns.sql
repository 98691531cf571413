-- Escalation notices are delivered by the same loop as alerts and digests (delivery/engine.py), which
-- counts attempts and waits until next_attempt_at after a rate limit or an in-doubt post.
ALTER TABLE escalation_notices ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE escalation_notices ADD COLUMN next_attempt_at TEXT;
ALTER TABLE escalation_notices ADD COLUMN sent_at TEXT;
