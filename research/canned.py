"""Stored (canned) queries offered in the Datasette console.

Parameters arrive from the browser as text (an absent one is ""); an empty filter means "all".
Datasette runs these on a read-only connection, so they can only read.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from db.queries import table_exists
from db.textnorm import CJK
from research.search import RANK_BUDGET, RANK_WINDOW

# The two event queries read the summary tables of migration 10 (kept by triggers, same results); the
# *_FROM_EVENTS variants compute the same from the events for a store opened before that migration ran.

# Optional filters as separate branches, exactly one of which runs: `(:x = '' OR col = :x)` in one
# query cannot use an index. Each summary row is one result row. "All pairs" reads the table in its key
# order (month first), so only the rows of a month are sorted, and the first page comes at once.
_PAIR_ROWS = "SELECT month, imposing, target, event_type, n AS measures FROM event_pair_counts"
EVENTS_BY_PAIR_MONTH = f"""
{_PAIR_ROWS} INDEXED BY idx_event_pair_counts_imposing
WHERE trim(:imposing) != '' AND imposing = upper(trim(:imposing))
  AND (trim(:target) = '' OR target = upper(trim(:target)))
UNION ALL
{_PAIR_ROWS} INDEXED BY idx_event_pair_counts_target
WHERE trim(:imposing) = '' AND trim(:target) != '' AND target = upper(trim(:target))
UNION ALL
{_PAIR_ROWS} INDEXED BY idx_event_pair_counts_key
WHERE trim(:imposing) = '' AND trim(:target) = ''
ORDER BY month DESC, measures DESC, imposing, target, event_type
"""

# The parameters are read once (CTE p, the outer loop), so a branch whose condition is false costs nothing.
_PAIR_COLUMNS = """substr(coalesce(d.published, d.fetched), 1, 7) AS month, e.imposing, t.country AS target,
        e.event_type, count(*) AS measures"""
_PAIR_GROUP = "GROUP BY month, e.imposing, t.country, e.event_type"
EVENTS_BY_PAIR_MONTH_FROM_EVENTS = f"""
WITH p AS (SELECT upper(trim(:imposing)) AS imposing, upper(trim(:target)) AS target)
SELECT * FROM (
    SELECT {_PAIR_COLUMNS}
    FROM p CROSS JOIN events e CROSS JOIN event_targets t CROSS JOIN documents d
    WHERE p.imposing != '' AND e.imposing = upper(trim(:imposing)) AND t.event_id = e.id
      AND (p.target = '' OR t.country = p.target) AND d.id = e.document_id AND e.event_type != 'none'
    {_PAIR_GROUP}
    UNION ALL
    SELECT {_PAIR_COLUMNS}
    FROM p CROSS JOIN event_targets t INDEXED BY idx_event_targets_country CROSS JOIN events e CROSS JOIN documents d
    WHERE p.imposing = '' AND p.target != '' AND t.country = upper(trim(:target)) AND e.id = t.event_id
      AND d.id = e.document_id AND e.event_type != 'none'
    {_PAIR_GROUP}
    UNION ALL
    SELECT {_PAIR_COLUMNS}
    FROM p CROSS JOIN events e NOT INDEXED CROSS JOIN documents d CROSS JOIN event_targets t
    WHERE p.imposing = '' AND p.target = '' AND d.id = e.document_id AND t.event_id = e.id
      AND e.event_type != 'none'
    {_PAIR_GROUP}
)
ORDER BY month DESC, measures DESC, imposing, target, event_type
"""

# Items named like the input (event_item_counts: one row per item) and how many measures they have.
# Few (<= 3,000): their rows come from the name index and are sorted. Many: event_items is read in its
# key order (newest first; `+` keeps the name index out), which is the result order, so the first page
# needs only the rows read to fill it, not a lookup of every match's document before sorting. The branch
# not taken reads nothing: an empty IN list, or a NULL bound on the key (a condition on `few` alone
# would be checked on every row; every date is >= '').
_ITEM_COLUMNS = """e.event_type, e.direction, e.imposing,
    (SELECT group_concat(country, ', ') FROM event_targets WHERE event_id = e.id) AS targets,
    e.stage, d.title, d.url, e.id AS event_id"""
_ITEM_JOIN = "CROSS JOIN events e CROSS JOIN documents d"
MEASURES_ON_ITEM = f"""
WITH names AS (
    SELECT name, n FROM event_item_counts WHERE trim(:item) != '' AND name LIKE '%' || trim(:item) || '%'
),
few AS (SELECT coalesce(sum(n), 0) <= 3000 AS few FROM names)
SELECT i.date, i.kind, i.name, {_ITEM_COLUMNS}
FROM event_items i INDEXED BY idx_event_items_name {_ITEM_JOIN}
WHERE i.name IN (SELECT name FROM names WHERE (SELECT few FROM few))
  AND e.id = i.event_id AND d.id = e.document_id
UNION ALL
SELECT i.date, i.kind, i.name, {_ITEM_COLUMNS}
FROM event_items i {_ITEM_JOIN}
WHERE i.date >= (SELECT CASE WHEN few THEN NULL ELSE '' END FROM few) AND +i.name IN (SELECT name FROM names)
  AND e.id = i.event_id AND d.id = e.document_id
ORDER BY date DESC, event_id
"""

MEASURES_ON_ITEM_FROM_EVENTS = f"""
SELECT coalesce(d.published, d.fetched) AS date, m.kind, m.name, {_ITEM_COLUMNS}
FROM (
    SELECT event_id, 'commodity' AS kind, commodity AS name FROM event_commodities
    UNION ALL
    SELECT event_id, 'technology' AS kind, technology AS name FROM event_technologies
) m
JOIN events e ON e.id = m.event_id
JOIN documents d ON d.id = e.document_id
WHERE trim(:item) != '' AND m.name LIKE '%' || trim(:item) || '%'
ORDER BY date DESC, e.id
"""

# Per watchlist (the distinct ones, from the index), its ten newest alerts straight from the index on
# (watchlist, created_at), whose rowid tail orders ties newest first: ten documents looked up per
# watchlist, not one per alert. EXISTS keeps the join's meaning: an alert counts only with its document.
LATEST_ALERTS = """
SELECT a.watchlist, a.created_at, a.status, a.channel, e.event_type, d.title, d.url, a.slack_ts
FROM (SELECT DISTINCT watchlist FROM alerts) w
JOIN alerts a ON a.id IN (
    SELECT x.id FROM alerts x INDEXED BY idx_alerts_watchlist_created
    WHERE x.watchlist = w.watchlist AND EXISTS (SELECT 1 FROM documents WHERE id = x.document_id)
    ORDER BY x.created_at DESC, x.id DESC LIMIT 10
)
JOIN documents d ON d.id = a.document_id
LEFT JOIN events e ON e.id = a.event_id
ORDER BY a.watchlist, a.created_at DESC, a.id DESC
"""

# Letters of space-separated scripts (Latin with accents, Greek, Cyrillic) and digits: such input is
# looked up in the word index (documents_words, unicode61). Input holding Chinese, Japanese or Korean goes
# to the trigram index (documents_fts), which matches substrings and holds every document with CJK text
# (migration 014). Other input (symbols: "17.4%", "C++") takes candidates from both, the word index by
# the phrase of its words, and instr() confirms the substring. GLOB ranges are code points.
_WORD_CHARS = "0-9A-Za-zÀ-ɏͰ-ϿЀ-ӿ"
_CJK_CHARS = CJK.pattern.strip("[]")


# The whole input is one quoted FTS5 phrase (so FTS syntax in it is literal). A one- or two-character
# Chinese/Japanese input, too short for trigrams, becomes an OR of the indexed trigrams starting with it
# (documents_fts_terms, an fts5vocab table); other short inputs (symbols) are found with instr().
# Ranking is bounded as in research/search.py: bm25 over the newest 2,000 matches only (a common word
# would otherwise rank hundreds of thousands of rows), and snippets only for the 50 shown. bm25 also
# counts every match of the phrase for its IDF, so the matches are first counted up to RANK_BUDGET (a lazy
# walk of the index); past that the 50 newest matches are listed instead, with rank NULL and `ranking`
# saying so (an expanded short CJK input counts its trigrams' matches as one: the OR's documents).
# The count is kept (pc): a phrase with no match runs nothing further, and one with at most RANK_WINDOW
# matches skips the bound (a rare phrase of common words would walk their index again).
def search_documents_sql(budget: int = RANK_BUDGET, window: int = RANK_WINDOW) -> str:
    """The console's search: bm25 over the newest `window` matches; past `budget` matches, newest first."""
    return f"""
WITH p AS (
    SELECT trim(:q) AS q,
        trim(:q) GLOB '*[{_WORD_CHARS}]*' AND trim(:q) NOT GLOB '*[^{_WORD_CHARS} .''-]*' AS words,
        trim(:q) GLOB '*[{_CJK_CHARS}]*' AS cjk
),
pm0 AS (
    SELECT q, words, cjk, CASE
        WHEN words OR length(q) >= 3 THEN '"' || replace(q, '"', '""') || '"'
        WHEN cjk THEN (SELECT '(' || group_concat('"' || replace(term, '"', '""') || '"', ' OR ') || ')'
              FROM (SELECT term FROM documents_fts_terms
                    WHERE term >= lower(q) AND term < lower(q) || char(1114111) LIMIT 400))
        END AS m
    FROM p WHERE q != ''
),
pc AS MATERIALIZED (  -- counted once, up to the budget
    SELECT pm0.*, CASE
        WHEN words THEN (SELECT count(*) FROM (SELECT 1 FROM documents_words
            WHERE documents_words MATCH pm0.m LIMIT {budget + 1}))
        WHEN cjk AND m IS NOT NULL THEN (SELECT count(*) FROM (SELECT 1 FROM documents_fts
            WHERE documents_fts MATCH pm0.m LIMIT {budget + 1}))
        ELSE 0 END AS n
    FROM pm0
),
pm AS MATERIALIZED (SELECT pc.*, n > {budget} AS many FROM pc),
top_words AS (
    SELECT documents_words.rowid AS rid, bm25(documents_words, 5.0, 1.0) AS rank
    FROM pm CROSS JOIN documents_words
    WHERE pm.words AND NOT pm.many AND pm.n > 0 AND documents_words MATCH pm.m
        AND documents_words.rowid >= (SELECT CASE WHEN n <= {window} THEN 0 ELSE (
        SELECT min(rid) FROM (
            SELECT documents_words.rowid AS rid FROM pm CROSS JOIN documents_words
            WHERE pm.words AND documents_words MATCH pm.m ORDER BY documents_words.rowid DESC LIMIT {window}))
        END FROM pm)
    ORDER BY rank LIMIT 50
),
newest_words AS (
    SELECT documents_words.rowid AS rid, NULL AS rank
    FROM pm CROSS JOIN documents_words
    WHERE pm.words AND pm.many AND documents_words MATCH pm.m
    ORDER BY documents_words.rowid DESC LIMIT 50
),
top_trigrams AS (
    SELECT documents_fts.rowid AS rid, bm25(documents_fts, 5.0, 1.0) AS rank
    FROM pm CROSS JOIN documents_fts
    WHERE pm.cjk AND NOT pm.many AND pm.n > 0 AND documents_fts MATCH pm.m
        AND documents_fts.rowid >= (SELECT CASE WHEN n <= {window} THEN 0 ELSE (
        SELECT min(rid) FROM (
            SELECT documents_fts.rowid AS rid FROM pm CROSS JOIN documents_fts
            WHERE pm.cjk AND pm.m IS NOT NULL AND documents_fts MATCH pm.m
            ORDER BY documents_fts.rowid DESC LIMIT {window}))
        END FROM pm)
    ORDER BY rank LIMIT 50
),
newest_trigrams AS (
    SELECT documents_fts.rowid AS rid, NULL AS rank
    FROM pm CROSS JOIN documents_fts
    WHERE pm.cjk AND pm.many AND pm.m IS NOT NULL AND documents_fts MATCH pm.m
    ORDER BY documents_fts.rowid DESC LIMIT 50
),
symbol_candidates AS (
    SELECT documents_words.rowid AS rid FROM pm CROSS JOIN documents_words
    WHERE NOT pm.words AND NOT pm.cjk AND length(pm.q) >= 3 AND documents_words MATCH pm.m
    UNION
    SELECT documents_fts.rowid AS rid FROM pm CROSS JOIN documents_fts
    WHERE NOT pm.words AND NOT pm.cjk AND length(pm.q) >= 3 AND documents_fts MATCH pm.m
)
SELECT id, title, url, published, language, snippet, rank, ranking FROM (
SELECT d.id, d.title, d.url, d.published, d.language,
    snippet(documents_words, -1, '[', ']', '…', 16) AS snippet, t.rank,
    CASE WHEN t.rank IS NULL THEN -t.rid ELSE 0 END AS newest,
    CASE WHEN t.rank IS NULL THEN 'newest first (over {budget:,} matches)' ELSE 'bm25' END AS ranking
FROM pm CROSS JOIN (SELECT * FROM top_words UNION ALL SELECT * FROM newest_words) t
    CROSS JOIN documents_words CROSS JOIN documents d
WHERE documents_words MATCH pm.m AND documents_words.rowid = t.rid AND d.rowid = t.rid
UNION ALL
SELECT d.id, d.title, d.url, d.published, d.language,
    CASE WHEN length(pm.q) >= 3 THEN snippet(documents_fts, -1, '[', ']', '…', 64)
        ELSE substr(d.text, max(1, instr(d.text, pm.q) - 20), 60) END AS snippet, t.rank,
    CASE WHEN t.rank IS NULL THEN -t.rid ELSE 0 END,
    CASE WHEN t.rank IS NULL THEN 'newest first (over {budget:,} matches)' ELSE 'bm25' END
FROM pm CROSS JOIN (SELECT * FROM top_trigrams UNION ALL SELECT * FROM newest_trigrams) t
    CROSS JOIN documents_fts CROSS JOIN documents d
WHERE documents_fts MATCH pm.m AND documents_fts.rowid = t.rid AND d.rowid = t.rid
UNION ALL
SELECT * FROM (
    SELECT d.id, d.title, d.url, d.published, d.language,
        substr(d.text, max(1, instr(d.text, pm.q) - 20), 60) AS snippet,
        CASE WHEN instr(d.title, pm.q) > 0 THEN 0.0 ELSE 1.0 END AS rank, 0, 'title hits, then newest'
    FROM pm CROSS JOIN documents d
    WHERE d.rowid IN (SELECT rid FROM symbol_candidates)
        AND (instr(d.title, pm.q) > 0 OR instr(d.text, pm.q) > 0)
    ORDER BY d.rowid DESC LIMIT 50)
UNION ALL
SELECT * FROM (
    SELECT d.id, d.title, d.url, d.published, d.language,
        substr(d.text, max(1, instr(d.text, pm.q) - 20), 60) AS snippet, 0.0 AS rank, 0, 'newest'
    FROM pm CROSS JOIN documents d
    WHERE NOT pm.words AND pm.m IS NULL AND (instr(d.title, pm.q) > 0 OR instr(d.text, pm.q) > 0)
    ORDER BY d.rowid DESC LIMIT 50)
)
ORDER BY rank, newest, id
LIMIT 50
"""


SEARCH_DOCUMENTS = search_documents_sql()


# For a store opened read-only before migration 9 ran (no word index yet): the query as it was before.
SEARCH_DOCUMENTS_TRIGRAM_ONLY = """
SELECT d.id, d.title, d.url, d.published, d.language,
    snippet(documents_fts, -1, '[', ']', '…', 64) AS snippet, bm25(documents_fts, 5.0, 1.0) AS rank
FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid
WHERE length(trim(:q)) >= 3 AND documents_fts MATCH '"' || replace(trim(:q), '"', '""') || '"'
UNION ALL
SELECT d.id, d.title, d.url, d.published, d.language,
    substr(d.text, max(1, instr(d.text, trim(:q)) - 20), 60) AS snippet, 0.0 AS rank
FROM documents d
WHERE length(trim(:q)) BETWEEN 1 AND 2 AND (instr(d.title, trim(:q)) > 0 OR instr(d.text, trim(:q)) > 0)
ORDER BY rank, id
LIMIT 50
"""


# One list in three sections, so the week reads top to bottom. Dates compare as text: ISO dates and
# timestamps sort chronologically, and `published` is indexed. Documents without a publication date are
# left out (they have no place in a week).
THIS_WEEK = """
WITH w AS (
    SELECT date(coalesce(nullif(trim(:day), ''), date('now')), '-6 days') AS start,
        date(coalesce(nullif(trim(:day), ''), date('now')), '+1 day') AS stop
),
-- the last index day in the week, from the state rows: a day filter on the escalation_index view (a
-- derived series, migration 15) is fast when it is one constant, not a max() over the view
last_index_day AS (
    SELECT max(d.day) AS day FROM w, (
        SELECT min(s.through, date(w2.stop, '-1 day')) AS day FROM escalation_state s, w w2
        WHERE s.first_day < w2.stop) d
    WHERE d.day >= w.start
)
SELECT section, date, what, detail, document_id, case_id FROM (
    SELECT 1 AS section_order, 'new measure' AS section, substr(d.published, 1, 10) AS date,
        replace(e.event_type, '_', ' ') || ' by ' || coalesce(e.imposing, '?')
            || coalesce(' on ' || (SELECT group_concat(country, ', ') FROM event_targets WHERE event_id = e.id),
                ' (all countries)') AS what,
        d.title AS detail, d.id AS document_id, NULL AS case_id
    FROM w JOIN documents d ON d.published >= w.start AND d.published < w.stop
    JOIN events e ON e.document_id = d.id AND e.event_type != 'none'
    UNION ALL
    SELECT 2, 'case moved', substr(s.reached, 1, 10),
        replace(c.remedy, '_', ' ') || ' on ' || c.product || ': reached ' || replace(s.stage, '_', ' '),
        c.title, s.document_id, c.id
    FROM w JOIN case_stages s ON s.reached >= w.start AND s.reached < w.stop
    JOIN cases c ON c.id = s.case_id
    UNION ALL
    SELECT 3, 'escalation riser', x.day, x.imposing || ' → ' || x.target,
        printf('index %.1f, %+.0f%% over 7 days', x.value, x.change_7d), NULL, NULL
    FROM escalation_index x
    WHERE x.day = (SELECT day FROM last_index_day) AND x.change_7d > 0
)
ORDER BY section_order, date DESC, what
"""


def canned_queries(db: Database) -> dict[str, dict[str, Any]]:
    """Datasette `queries` metadata; queries over optional tables appear only when those tables exist."""
    summaries = table_exists(db, "event_items")  # the summary tables of migration 10
    queries: dict[str, dict[str, Any]] = {
        "events_by_pair_month": {
            "title": "Events by imposing → target pair and month",
            "description": "Measures per month for a pair of countries (ISO codes, EU; leave empty for all).",
            "sql": (EVENTS_BY_PAIR_MONTH if summaries else EVENTS_BY_PAIR_MONTH_FROM_EVENTS).strip(),
            "params": ["imposing", "target"],
        },
        "measures_on_item": {
            "title": "Measures on a commodity or technology",
            "description": "Events naming a commodity or technology (substring of the canonical name, "
            "e.g. gallium, semiconductors).",
            "sql": (MEASURES_ON_ITEM if summaries else MEASURES_ON_ITEM_FROM_EVENTS).strip(),
            "params": ["item"],
        },
        "latest_alerts": {
            "title": "Latest alerts per watchlist",
            "description": "The ten most recent alerts of each watchlist, with their documents.",
            "sql": LATEST_ALERTS.strip(),
        },
        "search_documents": {
            "title": "Full-text search with snippets",
            "description": "Finds documents containing the text (any language; ranked by bm25, or newest "
            f"first for text in over {RANK_BUDGET:,} documents: see the ranking column).",
            "sql": (
                SEARCH_DOCUMENTS
                if table_exists(db, "documents_words_terms")
                else SEARCH_DOCUMENTS_TRIGRAM_ONLY
            ).strip(),
            "params": ["q"],
        },
    }
    for name, (needs, query) in OPTIONAL.items():
        if all(_has_columns(db, table, columns) for table, columns in needs.items()):
            queries[name] = query
    return queries


def _has_columns(db: Database, table: str, columns: list[str]) -> bool:
    if not table_exists(db, table):
        return False
    present = {row[1] for row in db.execute("SELECT * FROM pragma_table_info(?)", [table]).fetchall()}
    return set(columns) <= present


# Queries over other areas' tables (migrations 2 and 4), offered only when the store has those columns,
# so the console keeps working on older stores and when another area renames something.
OPTIONAL: dict[str, tuple[dict[str, list[str]], dict[str, Any]]] = {
    "story_documents": (
        {
            "stories": ["id", "title", "event_type", "imposing"],
            "story_members": ["story_id", "document_id", "event_type", "added_at"],
        },
        {
            "title": "All documents of a story",
            "description": "Every document grouped into one story (a case followed over time). "
            "Leave story_id empty to list stories.",
            "sql": """
SELECT st.id AS story_id, st.title AS story, st.event_type, st.imposing,
    coalesce(d.published, d.fetched) AS date, d.title, d.url, d.source
FROM stories st
JOIN story_members m ON m.story_id = st.id
JOIN documents d ON d.id = m.document_id
WHERE (:story_id = '' OR st.id = CAST(:story_id AS INTEGER))
ORDER BY st.id, date""".strip(),
            "params": ["story_id"],
        },
    ),
    "this_week": (
        {
            "documents": ["published"],
            "cases": ["id", "title", "remedy", "product"],
            "case_stages": ["case_id", "stage", "document_id", "reached"],
            "escalation_index": ["imposing", "target", "day", "value", "change_7d"],
            "escalation_state": ["first_day", "through"],
        },
        {
            "title": "This week: new measures, cases that moved, escalation risers",
            "description": "The seven days ending on `day` (YYYY-MM-DD; empty: today, UTC). New measures "
            "by publication date; cases that reached a stage; pairs whose escalation index rose over 7 "
            "days, as of the last index day in the week.",
            "sql": THIS_WEEK.strip(),
            "params": ["day"],
        },
    ),
    "watchlist_feedback": (
        {"alert_labels": ["watchlist", "label", "up", "down"]},
        {
            "title": "Analyst feedback per watchlist",
            "description": "How analysts judged each watchlist's alerts (reactions in Slack).",
            "sql": """
SELECT watchlist, count(*) AS judged, sum(label = 'relevant') AS relevant,
    sum(label = 'not_relevant') AS not_relevant, sum(label = 'disputed') AS disputed,
    round(1.0 * sum(label = 'not_relevant') / count(*), 2) AS not_relevant_share
FROM alert_labels GROUP BY watchlist ORDER BY not_relevant_share DESC, watchlist""".strip(),
        },
    ),
    "label_disagreements": (
        {"human_labels": ["document_id", "event_types", "labeller", "labelled_at"]},
        {
            "title": "Human labels that disagree with the model",
            "description": "Documents whose reviewed measure types differ from the classifier's.",
            "sql": """
SELECT * FROM (
    SELECT d.title, d.url, h.labeller, h.labelled_at,
        (SELECT json_group_array(value) FROM (SELECT value FROM json_each(h.event_types) ORDER BY value))
            AS human_types,
        (SELECT json_group_array(event_type)
            FROM (SELECT event_type FROM events WHERE document_id = h.document_id ORDER BY event_type))
            AS model_types
    FROM human_labels h JOIN documents d ON d.id = h.document_id
) WHERE human_types != model_types ORDER BY labelled_at DESC""".strip(),
        },
    ),
}
