"""Research tools over the event store: read-only SQL, full-text search, exports, charts, the console."""
