-- The columns queries show or filter by for a document found by id (title, url, source, language, dates),
-- without its text. At notice length (~6 KB) a documents row spans a leaf and overflow pages, and the
-- columns after `text` (language, published, fetched) are reached only through its overflow chain, so
-- the stored queries that list documents (measures on an item, latest alerts, a story's documents) read
-- a random leaf page of a file far larger than memory per row. This index holds those columns in about
-- 200 bytes per document; db/store.py refresh_stats gives the planner its statistics.
CREATE INDEX IF NOT EXISTS idx_documents_heads ON documents (id, title, url, source, language, published, fetched);
