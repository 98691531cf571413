"""Hostile JSONL lines: each rejected in one line naming its input line, the good lines stored, exit 1."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from db import open_db
from monitor.cli import main


def _doc(n: int, **extra: object) -> str:
    fields = {"title": f"Doc {n}", "text": "Controls announced.", "url": f"https://example.org/{n}"}
    return json.dumps({**fields, "source": "manual", "published": "2024-08-15", **extra})


def test_hostile_lines_are_rejected_and_the_good_ones_stored(tmp_path: Path) -> None:
    lines = [
        _doc(1),
        "[" * 100_000 + "]" * 100_000,  # deeper than the JSON parser's recursion limit
        _doc(2),
        _doc(3, text="broken \\ud800 surrogate").replace("\\\\ud800", "\\ud800"),
        _doc(4),
        _doc(5, published="yesterday"),
        _doc(6, published="2024-08-15T09:30:00+08:00"),
        _doc(7, notice_number={"no": 1}),
        _doc(8, published=None),
    ]
    assert "\\ud800" in lines[3]  # a JSON escape of a lone surrogate, not the character itself
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db_path = tmp_path / "s.db"
    result = CliRunner().invoke(main, ["--db", str(db_path), "ingest", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 1, result.output
    assert "read 9: new 5, changed 0, unchanged 0, bad 4" in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("skipped ")]
    assert errors == [
        f"skipped {path}:2: JSON nested too deeply",
        f"skipped {path}:4: field 'text' holds a lone surrogate (\\ud800)",
        f"skipped {path}:6: published 'yesterday' is not an ISO date"
        " (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+00:00) or null",
        f"skipped {path}:8: notice_number must be a string or null",
    ]
    db = open_db(db_path)
    stored = {r["title"]: r for r in db["documents"].rows}
    assert sorted(stored) == ["Doc 1", "Doc 2", "Doc 4", "Doc 6", "Doc 8"]
    assert stored["Doc 8"]["published"] is None


def test_a_clean_file_exits_zero(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(_doc(1) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "s.db"), "ingest", str(path)])
    assert result.exit_code == 0 and "new 1" in result.output, result.output
