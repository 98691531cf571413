"""A relative store path means the caller's working directory, not the crawler child's."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.support.http_server import FIXTURES, crawl, serve_fixtures


def test_relative_db_path_is_resolved_against_the_callers_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with serve_fixtures(FIXTURES) as server:
        results = crawl(Path("relative.db"), server, ["uk_trade_remedies"])
    assert results["uk_trade_remedies"]["status"] == "ok", results
    with sqlite3.connect(tmp_path / "relative.db") as conn:
        assert (
            conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            == results["uk_trade_remedies"]["new"]
            > 0
        )
