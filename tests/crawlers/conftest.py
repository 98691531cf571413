"""Shared fixtures: one fixture server per test module, a fresh store per test."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.http_server import FixtureServer, serve_fixtures


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    with serve_fixtures() as running:
        yield running


@pytest.fixture(autouse=True)
def _clean_server(server: FixtureServer) -> Iterator[None]:
    server.faults.clear()
    server.clear_log()
    yield
    server.faults.clear()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "events.db"


def documents(db_path: Path, source: str | None = None) -> dict[str, dict[str, Any]]:
    """Stored documents by URL."""
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    where, params = ("WHERE source = ?", [source]) if source else ("", [])
    rows = {r["url"]: dict(r) for r in conn.execute(f"SELECT * FROM documents {where}", params)}
    conn.close()
    return rows
