"""Shared fixtures: the fixture store, and the Datasette console running on it in a subprocess."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.research.fixture_store import build_store

STARTUP_LIMIT_S = 60.0  # bounded wait for the console to answer; a cold Datasette import takes a few seconds


@pytest.fixture(scope="session")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("research") / "store.db")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get_json(url: str, timeout: float = 10.0) -> object:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - 127.0.0.1 only
        return json.loads(response.read())


@pytest.fixture(scope="session")
def console_url(store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`cwatch browse` as a real subprocess on a free 127.0.0.1 port."""
    port = free_port()
    log = tmp_path_factory.mktemp("console") / "browse.log"
    env = {**os.environ, "CWATCH_DB": str(store_path)}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(Path(sys.executable).with_name("cwatch")), "browse", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=Path(__file__).resolve().parents[2],
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_LIMIT_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"cwatch browse exited with {proc.returncode}: {log.read_text()[-2000:]}")
            try:
                get_json(f"{url}/-/versions.json", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"console did not answer within {STARTUP_LIMIT_S:g}s: {log.read_text()[-2000:]}"
                    )
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
