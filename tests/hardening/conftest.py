"""Shared fixtures for the hardening tests."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crawlers.localserver import FixtureServer
from tests.hardening import hostile_site

SPIDER_MODULES = ["tests.hardening.spiders"]


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FixtureServer]:
    root = tmp_path_factory.mktemp("hostile-site")
    hostile_site.build(root)
    with FixtureServer(root) as server:
        yield server


@pytest.fixture(autouse=True)
def _clean_hostile_server(request: pytest.FixtureRequest) -> Iterator[None]:
    if "hostile_server" not in request.fixturenames:
        yield
        return
    server: FixtureServer = request.getfixturevalue("hostile_server")
    server.faults.clear()
    server.clear_log()
    yield
    server.faults.clear()


def rows(db_path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()
