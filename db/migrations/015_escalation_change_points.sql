-- The escalation index stored by change points (signals/escalation.py): a row per pair and day with
-- contributions instead of a row per pair and day. Quiet days are derived on read (the escalation_index view).
DROP TABLE IF EXISTS escalation_index;
-- What was counted: one row per (pair, document), so a re-tagged or deleted document finds its old pairs.
CREATE TABLE escalation_contributions (
    imposing TEXT NOT NULL,
    target TEXT NOT NULL,
    day TEXT NOT NULL,                   -- YYYY-MM-DD, the document's date
    document_id TEXT NOT NULL,
    weight REAL NOT NULL,
    PRIMARY KEY (imposing, target, day, document_id)
) WITHOUT ROWID;
CREATE INDEX idx_escalation_contributions_document ON escalation_contributions(document_id);
-- The index on the days a pair had contributions: value after that day's additions (not rounded).
CREATE TABLE escalation_points (
    imposing TEXT NOT NULL,
    target TEXT NOT NULL,
    day TEXT NOT NULL,
    value REAL NOT NULL,
    added REAL NOT NULL,
    PRIMARY KEY (imposing, target, day)
) WITHOUT ROWID;
CREATE TABLE escalation_state (
    imposing TEXT NOT NULL,
    target TEXT NOT NULL,
    first_day TEXT NOT NULL,             -- the pair's first point: its series starts here
    last_day TEXT NOT NULL,              -- its last point
    last_value REAL NOT NULL,            -- the value on last_day
    through TEXT NOT NULL,               -- the series is computed up to this day
    computed_at TEXT NOT NULL,           -- start of the pass that computed it (UTC)
    PRIMARY KEY (imposing, target)
) WITHOUT ROWID;
-- Pairs whose past changed outside a tagging pass (a deleted document), recomputed from `day` next pass
-- from their remaining contributions.
CREATE TABLE escalation_stale (
    imposing TEXT NOT NULL,
    target TEXT NOT NULL,
    day TEXT NOT NULL
);
CREATE TRIGGER escalation_documents_ad AFTER DELETE ON documents BEGIN
    INSERT INTO escalation_stale (imposing, target, day)
    SELECT imposing, target, day FROM escalation_contributions WHERE document_id = old.id;
    DELETE FROM escalation_contributions WHERE document_id = old.id;
END;
-- The incremental pass looks up what changed since the previous one.
CREATE INDEX IF NOT EXISTS idx_documents_tagged_at ON documents(tagged_at);
CREATE INDEX IF NOT EXISTS idx_case_documents_added ON case_documents(added_at);
-- The per-day series as before, derived: I(d) = I(point) * 0.5^((d - point) / 30) from the latest point on
-- or before d (30 = HALF_LIFE_DAYS); change_7d against the value 7 days earlier rounded, 0 before the series.
-- Without `top` (the largest live contributions): stored_series derives it.
CREATE VIEW escalation_index AS
WITH RECURSIVE calendar(day) AS (
    SELECT min(first_day) FROM escalation_state
    UNION ALL
    SELECT date(day, '+1 day') FROM calendar WHERE day < (SELECT max(through) FROM escalation_state)
),
located AS (
    SELECT s.imposing, s.target, c.day, s.computed_at,
        (SELECT max(p.day) FROM escalation_points p
            WHERE p.imposing = s.imposing AND p.target = s.target AND p.day <= c.day) AS point_day,
        (SELECT max(p.day) FROM escalation_points p
            WHERE p.imposing = s.imposing AND p.target = s.target AND p.day <= date(c.day, '-7 days')) AS week_day
    FROM escalation_state s JOIN calendar c ON c.day >= s.first_day AND c.day <= s.through
),
valued AS (
    SELECT l.imposing, l.target, l.day, l.computed_at,
        p.value * pow(0.5, (julianday(l.day) - julianday(p.day)) / 30.0) AS value,
        CASE WHEN p.day = l.day THEN p.added ELSE 0.0 END AS added,
        coalesce(round(w.value * pow(0.5, (julianday(l.day) - 7 - julianday(w.day)) / 30.0), 4), 0.0)
            AS week_ago
    FROM located l
    JOIN escalation_points p ON p.imposing = l.imposing AND p.target = l.target AND p.day = l.point_day
    LEFT JOIN escalation_points w ON w.imposing = l.imposing AND w.target = l.target AND w.day = l.week_day
)
SELECT imposing, target, day, round(value, 4) AS value, round(added, 4) AS added,
    round(100.0 * (value - week_ago) / max(week_ago, 1.0), 2) AS change_7d, computed_at
FROM valued;
