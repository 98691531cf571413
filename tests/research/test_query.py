"""`cwatch query`: read-only SQL; every kind of write is refused with a clear message."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from monitor.cli import main


def run(store: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["query", "--db", str(store), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_select_in_three_formats(store_path: Path) -> None:
    sql = "SELECT imposing, count(*) AS n FROM events GROUP BY imposing ORDER BY imposing"
    code, table = run(store_path, sql)
    assert code == 0
    assert table.splitlines()[0].split() == ["imposing", "n"]
    assert "CN" in table and "JP" in table
    code, csv_out = run(store_path, sql, "--format", "csv")
    assert csv_out.splitlines() == ["imposing,n", "CN,4", "EU,2", "JP,2", "US,2"]
    code, json_out = run(store_path, sql, "--format", "json")
    assert json.loads(json_out)[0] == {"imposing": "CN", "n": 4}


def test_chinese_text_round_trips(store_path: Path) -> None:
    code, out = run(
        store_path,
        "SELECT title FROM documents WHERE language = 'zh' ORDER BY published LIMIT 1",
        "--format",
        "json",
    )
    assert code == 0
    assert "镓、锗" in json.loads(out)[0]["title"]


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO sources (slug, publisher, jurisdiction, language, kind)"
        " VALUES ('x', 'x', 'XX', 'en', 'other')",
        "UPDATE events SET imposing = 'XX'",
        "DELETE FROM documents",
        "DROP TABLE alerts",
        "CREATE TABLE scratch (a)",
        "ALTER TABLE events ADD COLUMN note TEXT",
        "ATTACH DATABASE 'other.db' AS other",
        "VACUUM INTO 'copy.db'",
        "PRAGMA user_version = 99",
        "PRAGMA journal_mode = DELETE",
        "PRAGMA query_only = OFF",
        "PRAGMA writable_schema = ON",
        "REINDEX",
        "INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')",
        "WITH x AS (SELECT 1) DELETE FROM alerts",
    ],
)
def test_writes_are_refused(
    store_path: Path, sql: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # relative ATTACH/VACUUM targets would land here
    before = digest(store_path.parent)
    code, out = run(store_path, sql)
    assert code == 1
    assert "refused" in out and "Traceback" not in out
    assert digest(store_path.parent) == before
    assert list(tmp_path.iterdir()) == []  # ATTACH and VACUUM INTO created no file


def test_read_only_pragmas_are_allowed(store_path: Path) -> None:
    code, out = run(store_path, "PRAGMA table_info(events)", "--format", "csv")
    assert code == 0 and "event_type" in out
    code, out = run(store_path, "PRAGMA user_version")
    assert code == 0


def test_bad_sql_and_missing_store_are_clean_errors(store_path: Path, tmp_path: Path) -> None:
    code, out = run(store_path, "SELEC nothing")
    assert code == 1 and "SQL error" in out
    code, out = run(store_path, "SELECT 1; DELETE FROM alerts")
    assert code == 1 and "Traceback" not in out
    code, out = run(tmp_path / "absent.db", "SELECT 1")
    assert code == 1 and "no event store" in out
    assert not (tmp_path / "absent.db").exists()


def test_max_rows_stops_and_says_so(store_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["query", "--db", str(store_path), "SELECT id FROM events", "--max-rows", "3", "--format", "csv"],
    )
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 4  # header + 3
    assert "stopped at 3 rows" in result.stderr


def test_table_aligns_chinese_and_japanese(store_path: Path) -> None:
    from research.formats import display_width

    code, out = run(store_path, "SELECT substr(title, 1, 12) AS t, source FROM documents ORDER BY source")
    assert code == 0
    lines = out.splitlines()
    # The source column starts at the same terminal column on every row, CJK titles included.
    starts = {display_width(line[: line.rindex(" ") + 1]) for line in lines[2:]}
    assert len(starts) == 1
    assert any("商务部" in line for line in lines) and any("外国為替" in line for line in lines)


def test_a_transient_busy_read_is_redone_and_a_real_error_is_not(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh read-only connection can meet SQLITE_BUSY for an instant (FTS5's connect reports it as
    "vtable constructor failed"); the read is redone. A bad statement fails at once."""
    import sqlite3

    from research import readonly

    calls: list[str] = []
    real = readonly._run_once

    def busy_once(*args: object, **kwargs: object) -> readonly.QueryResult:
        calls.append(str(args[1]))
        if calls == ["SELECT count(*) FROM documents_words WHERE documents_words MATCH 'export'"]:
            raise sqlite3.OperationalError("vtable constructor failed: documents_fts")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(readonly, "_run_once", busy_once)
    monkeypatch.setattr(readonly, "BUSY_BACKOFF_S", 0.0)
    found = readonly.run_query(
        store_path, "SELECT count(*) FROM documents_words WHERE documents_words MATCH 'export'"
    )
    assert len(calls) == 2 and found.rows[0][0] > 0

    calls.clear()
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        readonly.run_query(store_path, "SELECT * FROM no_such_table")
    assert len(calls) == 1
