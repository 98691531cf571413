"""`cwatch ingest`: JSONL documents enter the store like crawled ones; bad lines are reported."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from db import open_db
from monitor.cli import main


def test_ingest_stores_valid_lines_and_reports_bad_ones(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "title": "China restricts antimony exports",
                "text": "MOFCOM announced controls.",
                "url": "https://example.org/a",
                "published": "2024-08-15",
                "source": "manual",
                "language": "en",
            }
        ),
        "{not json",
        json.dumps({"title": "", "text": "x", "url": "https://example.org/b", "source": "manual"}),
        json.dumps(
            {
                "title": "中国对镓实施出口管制",
                "text": "商务部公告",
                "url": "https://example.org/c",
                "source": "manual",
                "language": "zh",
            }
        ),
    ]
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db_path = tmp_path / "s.db"
    result = CliRunner().invoke(main, ["--db", str(db_path), "ingest", str(path)])
    assert result.exit_code == 1, result.output  # some lines were rejected (issue 15)
    assert "read 4: new 2, changed 0, unchanged 0, bad 2" in result.output
    assert f"{path}:2:" in result.output and f"{path}:3: missing or empty field(s): title" in result.output
    again = CliRunner().invoke(main, ["ingest", str(path), "--db", str(db_path)])
    assert "new 0, changed 0, unchanged 2" in again.output
    db = open_db(db_path)
    assert sorted(r["title"] for r in db["documents"].rows) == [
        "China restricts antimony exports",
        "中国对镓实施出口管制",
    ]
    assert db.table("sources").get("manual")["kind"] == "other"
