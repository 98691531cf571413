"""`cwatch serve` as a real process: fixture source on 127.0.0.1, real crawl subprocesses, the real model,
slack-sdk against the fake Slack. Second-level schedules keep it bounded."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from crawlers.localserver import Fault, FixtureServer
from tests.support.daemon_process import DaemonProcess
from tests.support.fake_slack import FakeSlack
from tests.support.tra_site import FEED_PATH, Notice, publish, write_daemon_config

DEADLINE_S = 150  # a bound on the whole wait, not a performance assertion

TILES = Notice(
    "tra-initiates-anti-dumping-investigation-into-ceramic-tiles-from-china",
    "TRA initiates anti-dumping investigation into ceramic tiles from China",
    "The Trade Remedies Authority has initiated an anti-dumping investigation into imports of ceramic tiles"
    " originating in the People's Republic of China, following an application from UK tile makers.",
    "2026-11-20T09:30:00+00:00",
)
EXCAVATORS = Notice(
    "tra-initiates-countervailing-investigation-into-excavators-from-china",
    "TRA initiates countervailing investigation into excavators from China",
    "The Trade Remedies Authority has opened a countervailing (anti-subsidy) investigation into imports of"
    " hydraulic excavators originating in China, after UK producers alleged subsidised pricing.",
    "2026-11-27T10:00:00+00:00",
)


@pytest.fixture()
def setup(tmp_path: Path):
    root = tmp_path / "site"
    published: list[Notice] = []
    publish(root, published, TILES)
    with FixtureServer(root) as site, FakeSlack() as slack:
        config = write_daemon_config(tmp_path, site.url, crawl_every="3s", other_jobs_every="2s")
        yield root, published, site, slack, config, tmp_path / "store.db"


def _crawl_runs(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM crawl_runs WHERE status != 'running'").fetchone()[0]


def _titles(slack: FakeSlack) -> list[str]:
    return [m.text or "" for m in slack.messages()]


def test_new_document_is_alerted_within_two_cycles_and_sigterm_is_clean(setup) -> None:
    root, published, site, slack, config, db = setup
    daemon = DaemonProcess.start(db.parent, config, slack.url)
    try:
        daemon.wait_for(
            lambda: any("ceramic tiles" in t for t in _titles(slack)), "the first alert", DEADLINE_S
        )
        # A notice appears on the site: it must be alerted within two crawl cycles of its appearance.
        runs_before = _crawl_runs(db)
        publish(root, published, EXCAVATORS)
        daemon.wait_for(lambda: any("excavators" in t for t in _titles(slack)), "the new alert", DEADLINE_S)
        assert _crawl_runs(db) - runs_before <= 2, "the new notice took more than two crawl cycles"

        # SIGTERM while a crawl is in flight: slow the feed so the next crawl is mid-request.
        site.fault("/" + FEED_PATH, Fault(delay_s=4, times=1))
        site.clear_log()
        daemon.wait_for(
            lambda: any(r.path.endswith(".atom") for r in list(site.requests)), "a crawl", DEADLINE_S
        )
        assert daemon.stop() == 0, daemon.tail()
    finally:
        daemon.stop()

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM crawl_runs WHERE status = 'running'").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 2

    # Restart: the same documents are not alerted again.
    posted_before = len(slack.requests("chat.postMessage"))
    daemon = DaemonProcess.start(db.parent, config, slack.url)
    try:
        daemon.wait_for(
            lambda: _crawl_runs(db) >= runs_before + 4, "two crawl cycles after restart", DEADLINE_S
        )
        time.sleep(3)  # one more tag + alert cycle
    finally:
        daemon.stop()
    messages = _titles(slack)
    assert sum("ceramic tiles" in t for t in messages) == 1
    assert sum("excavators" in t for t in messages) == 1
    assert len(slack.requests("chat.postMessage")) == posted_before
