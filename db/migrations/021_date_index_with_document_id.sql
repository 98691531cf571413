-- The date index also holds the document id, so an event found by date (event_dates, migration 10) finds
-- its document by (date, id) in the same stretch of the index. The export walks a period's events from
-- event_dates instead of looking up each document's events by document id: that index is keyed by a
-- hash, so in a store larger than memory every document cost one random read. Same name, same leading
-- column: every query that ranged over the date still does.
DROP INDEX IF EXISTS idx_documents_date;
CREATE INDEX idx_documents_date ON documents(coalesce(published, fetched), id);
