
        CREATE TABLE IF NOT EXISTS crawl_pages (
            url TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            listing_hash TEXT,
            etag TEXT,
            last_modified TEXT,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS idx_crawl_pages_source ON crawl_pages(source);
    