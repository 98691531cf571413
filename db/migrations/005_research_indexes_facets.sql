
        CREATE INDEX idx_event_targets_country ON event_targets(country, event_id);
        CREATE INDEX idx_event_commodities_commodity ON event_commodities(commodity, event_id);
        CREATE INDEX idx_event_technologies_technology ON event_technologies(technology, event_id);
        CREATE INDEX idx_alerts_watchlist_created ON alerts(watchlist, created_at);
        -- One row per event with its roles as JSON arrays: Datasette facets on plain and array columns.
        CREATE VIEW event_facets AS
        SELECT e.id AS event_id, e.document_id, e.event_type, e.direction, e.imposing, e.stage,
            e.confidence, substr(coalesce(d.published, d.fetched), 1, 7) AS month,
            coalesce(d.published, d.fetched) AS date, d.title, d.url, d.source, d.language,
            (SELECT json_group_array(country) FROM event_targets WHERE event_id = e.id) AS targets,
            (SELECT json_group_array(commodity) FROM event_commodities WHERE event_id = e.id) AS commodities,
            (SELECT json_group_array(technology) FROM event_technologies WHERE event_id = e.id)
                AS technologies
        FROM events e JOIN documents d ON d.id = e.document_id;
    