"""Migration 10: summary tables kept equal to their aggregate queries by triggers (issue 9)."""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database


def _m010_summaries(db: Database) -> str:
    """Summaries kept by triggers, for the stored queries that read every event (issue 9).

    At 1,000,000 documents (bench/store.py) grouping every event by month took ~3 s, and listing the
    measures on an item ~260 ms: every match needed its document's date before sorting. Each table below
    holds exactly what a query over `events JOIN documents` (date = coalesce(published, fetched)) returns:
    - event_month_counts (month, event_type, imposing, n): events per month, type other than 'none';
    - event_pair_counts (month, imposing, target, event_type, n): the same per target (event_targets);
    - event_dates (date, event_id, event_type, imposing): every event, ordered by date, so a period's
      events are one range of this table instead of a document row read per event;
    - event_items (date, event_id, kind, name): one row per commodity / technology of an event, stored
      newest first, so listing a common item reads its newest matches first and stops at the page;
    - event_item_counts (kind, name, n): how many rows each item has in event_items (few: sort them).

    Triggers on documents, events and the role tables add or remove the joined rows that appear or
    disappear, so the tables stay equal to their query after any insert, delete or update (re-tagging,
    role changes, a changed publication date, a deleted document). Deletes are handled in BEFORE triggers
    on documents and events: SQLite deletes the parent row before its ON DELETE CASCADE runs, so the
    children's own triggers no longer join to it and remove nothing twice. (REPLACE must not be used on
    these tables: its implicit delete fires no trigger.) Count rows reaching 0 are deleted. `imposing`
    may be NULL, and NULLs never conflict in a UNIQUE index, so the count keys index ifnull(imposing, '')
    and imposing IS NULL instead (NULL and '' stay apart). Idempotent; backfilled from existing rows.
    """
    summaries = {  # table -> (columns, primary key; None: a count per distinct columns, in n)
        "event_month_counts": ("month, event_type, imposing", None),
        "event_pair_counts": ("month, imposing, target, event_type", None),
        "event_dates": ("date, event_id, event_type, imposing", "date, event_id"),
        "event_items": ("date, event_id, kind, name", "date, event_id, kind, name"),
        "event_item_counts": ("kind, name", None),
    }
    roles = {"commodity": "event_commodities", "technology": "event_technologies"}

    def apply(sign: str, table: str, rows: str) -> str:
        """Add (`sign` '+') or remove ('-') the rows of the SELECT `rows` in a summary table."""
        columns, key = summaries[table]
        if key is None:  # grouped first: one upsert per key (the backfill's 1,000,000 rows are ~200,000 keys)
            return (
                f"INSERT INTO {table} ({columns}, n) SELECT {columns}, {sign}count(*) FROM ({rows})"
                f" GROUP BY {columns} ON CONFLICT DO UPDATE SET n = n + excluded.n;"
            )
        if sign == "+":
            return f"INSERT INTO {table} ({columns}) SELECT {columns} FROM ({rows});"
        # By key (NOT NULL): a NULL in the other columns would never compare equal.
        return f"DELETE FROM {table} WHERE ({key}) IN (SELECT {key} FROM ({rows}));"

    def items(sign: str, rows: str) -> str:  # rows: date, event_id, kind, name
        return apply(sign, "event_items", rows) + "\n" + apply(sign, "event_item_counts", rows)

    def of_events(sign: str, events: str) -> str:
        """Every summary row of the events selected by `events` (date, id, event_type, imposing)."""
        month = "substr(x.date, 1, 7) AS month"
        statements = [
            apply(
                sign,
                "event_dates",
                f"SELECT x.date, x.id AS event_id, x.event_type, x.imposing FROM ({events}) x",
            ),
            apply(
                sign,
                "event_month_counts",
                f"SELECT {month}, x.* FROM ({events}) x WHERE x.event_type != 'none'",
            ),
            apply(
                sign,
                "event_pair_counts",
                f"SELECT {month}, x.*, t.country AS target FROM ({events}) x"
                " JOIN event_targets t ON t.event_id = x.id WHERE x.event_type != 'none'",
            ),
        ]
        statements += [
            items(
                sign,
                f"SELECT x.date, x.id AS event_id, '{kind}' AS kind, r.{kind} AS name FROM ({events}) x"
                f" JOIN {table} r ON r.event_id = x.id",
            )
            for kind, table in roles.items()
        ]
        return "\n".join(statements)

    def date_of(ref: str) -> str:
        return f"coalesce({ref}.published, {ref}.fetched)"

    def of_document(sign: str, ref: str) -> str:  # ref: new/old row of documents
        return of_events(
            sign,
            f"SELECT {date_of(ref)} AS date, e.id, e.event_type, e.imposing FROM events e"
            f" WHERE e.document_id = {ref}.id",
        )

    def of_event(sign: str, ref: str) -> str:  # ref: new/old row of events
        return of_events(
            sign,
            f"SELECT {date_of('d')} AS date, {ref}.id AS id, {ref}.event_type AS event_type,"
            f" {ref}.imposing AS imposing FROM documents d WHERE d.id = {ref}.document_id",
        )

    def event_of(ref: str) -> str:  # ref: new/old row of a role table
        return (
            f"SELECT {date_of('d')} AS date, e.id, e.event_type, e.imposing"
            f" FROM events e JOIN documents d ON d.id = e.document_id WHERE e.id = {ref}.event_id"
        )

    def of_target(sign: str, ref: str) -> str:
        return apply(
            sign,
            "event_pair_counts",
            f"SELECT substr(x.date, 1, 7) AS month, x.*, {ref}.country AS target FROM ({event_of(ref)}) x"
            " WHERE x.event_type != 'none'",
        )

    def of_role(kind: str) -> Callable[[str, str], str]:
        return lambda sign, ref: items(
            sign,
            f"SELECT x.date, x.id AS event_id, '{kind}' AS kind, {ref}.{kind} AS name"
            f" FROM ({event_of(ref)}) x",
        )

    def both(of: Callable[[str, str], str]) -> str:
        return of("-", "old") + "\n" + of("+", "new")

    keyed = {  # table -> (columns whose change moves its summary rows, extra WHEN for updates, delta)
        "documents": (
            "id, published, fetched",
            f" WHEN old.id IS NOT new.id OR {date_of('old')} IS NOT {date_of('new')}",
            of_document,
        ),
        "events": ("id, document_id, event_type, imposing", "", of_event),
        "event_targets": ("event_id, country", "", of_target),
        **{table: (f"event_id, {kind}", "", of_role(kind)) for kind, table in roles.items()},
    }
    triggers: dict[str, tuple[str, str]] = {}
    for table, (columns, when, delta) in keyed.items():
        # Parents (documents, events) remove before the delete, as above; role rows after (no children).
        removal = "BEFORE" if table in ("documents", "events") else "AFTER"
        triggers[f"{table}_summaries_ai"] = (f"AFTER INSERT ON {table}", delta("+", "new"))
        triggers[f"{table}_summaries_d"] = (f"{removal} DELETE ON {table}", delta("-", "old"))
        triggers[f"{table}_summaries_au"] = (f"AFTER UPDATE OF {columns} ON {table}{when}", both(delta))
    for table, (_, key) in summaries.items():
        if key is None:
            triggers[f"{table}_zero"] = (
                f"AFTER UPDATE OF n ON {table} WHEN new.n = 0",
                f"DELETE FROM {table} WHERE rowid = new.rowid;",
            )
    created = "\n".join(
        f"DROP TRIGGER IF EXISTS {name};\nCREATE TRIGGER {name} {when} BEGIN\n{body}\nEND;"
        for name, (when, body) in triggers.items()
    )
    cleared = "\n".join(f"DELETE FROM {table};" for table in summaries)
    # Backfill: every event joined with its document once (the join is most of the cost; reading the
    # documents in file order is 2.5x faster than by date), newest first so event_items fills in key order.
    return f"""
        CREATE TABLE IF NOT EXISTS event_month_counts (
            month TEXT NOT NULL, event_type TEXT NOT NULL, imposing TEXT, n INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS idx_event_month_counts_key
            ON event_month_counts(month, event_type, ifnull(imposing, ''), imposing IS NULL);
        CREATE TABLE IF NOT EXISTS event_pair_counts (
            month TEXT NOT NULL, imposing TEXT, target TEXT NOT NULL, event_type TEXT NOT NULL,
            n INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS idx_event_pair_counts_key
            ON event_pair_counts(month, ifnull(imposing, ''), imposing IS NULL, target, event_type);
        -- Covering: totals per pair (db/queries.py pair_counts) read only this index, in group order.
        CREATE INDEX IF NOT EXISTS idx_event_pair_counts_imposing
            ON event_pair_counts(imposing, target, event_type, month, n);
        CREATE INDEX IF NOT EXISTS idx_event_pair_counts_target ON event_pair_counts(target);
        CREATE TABLE IF NOT EXISTS event_dates (
            date TEXT NOT NULL, event_id INTEGER NOT NULL, event_type TEXT NOT NULL, imposing TEXT,
            PRIMARY KEY (date, event_id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS event_items (
            date TEXT NOT NULL, event_id INTEGER NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
            PRIMARY KEY (date DESC, event_id, kind, name)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS idx_event_items_name ON event_items(name, date DESC, event_id);
        CREATE TABLE IF NOT EXISTS event_item_counts (
            kind TEXT NOT NULL, name TEXT NOT NULL, n INTEGER NOT NULL, UNIQUE (kind, name)
        );
        {created}
        {cleared}
        DROP TABLE IF EXISTS temp._dated_events;
        CREATE TEMP TABLE _dated_events AS
        SELECT {date_of("d")} AS date, e.id, e.event_type, e.imposing
        FROM documents d NOT INDEXED CROSS JOIN events e WHERE e.document_id = d.id ORDER BY date DESC, e.id;
        {of_events("+", "SELECT * FROM temp._dated_events")}
        DROP TABLE temp._dated_events;
    """


# Each migration returns one SQL script; it runs in one transaction with the version bump,
# so a crash mid-migration leaves the store at the previous version, never half-migrated.
