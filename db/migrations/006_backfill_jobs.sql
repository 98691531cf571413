
        CREATE TABLE backfill_progress (
            since TEXT NOT NULL,
            source TEXT NOT NULL,
            finished TEXT NOT NULL,
            status TEXT NOT NULL,
            PRIMARY KEY (since, source)
        );
    