"""Shared fixtures: one fixture server per test module, a fresh store per test."""

from __future__ import annotations

import os
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


@pytest.fixture
def chromium() -> None:
    """Tests of the browser path need Debian's chromium; under CI=true its absence fails the test."""
    from crawlers.browser import INSTALL_HINT, browser_available

    if browser_available():
        return
    message = (
        f"Debian's chromium and chromedriver are missing ({INSTALL_HINT}); no browser is ever downloaded"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)
