"""`cwatch serve` as a real process: fixture source on 127.0.0.1, real crawl subprocesses, the real model,
slack-sdk against the fake Slack. Second-level schedules keep it bounded."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from crawlers.localserver import Fault, FixtureServer
from tests.support.fake_slack import FakeSlack

FEED_PATH = "uk_trade_remedies/www.gov.uk/government/organisations/trade-remedies-authority.atom"
DEADLINE_S = 150  # a bound on the whole wait, not a performance assertion

NOTICES = {
    "tra-initiates-anti-dumping-investigation-into-ceramic-tiles-from-china": (
        "TRA initiates anti-dumping investigation into ceramic tiles from China",
        "The Trade Remedies Authority has initiated an anti-dumping investigation into imports of ceramic tiles"
        " originating in the People's Republic of China, following an application from UK tile makers.",
        "2026-11-20T09:30:00+00:00",
    ),
    "tra-initiates-countervailing-investigation-into-excavators-from-china": (
        "TRA initiates countervailing investigation into excavators from China",
        "The Trade Remedies Authority has opened a countervailing (anti-subsidy) investigation into imports of"
        " hydraulic excavators originating in China, after UK producers alleged subsidised pricing.",
        "2026-11-27T10:00:00+00:00",
    ),
}


def _write_notice(root: Path, slug: str) -> None:
    title, text, published = NOTICES[slug]
    page = root / "uk_trade_remedies/www.gov.uk/government/news" / slug / "index.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(
        f'<html><head><meta name="govuk:first-published-at" content="{published}"><title>{title}</title></head>'
        f'<body><main><h1>{title}</h1><div class="govuk-govspeak"><p>{text}</p></div></main></body></html>',
        encoding="utf-8",
    )


def _write_feed(root: Path, slugs: list[str]) -> None:
    entries = "".join(
        f"<entry><id>https://www.gov.uk/government/news/{slug}</id><updated>{NOTICES[slug][2]}</updated>"
        f'<link rel="alternate" type="text/html" href="https://www.gov.uk/government/news/{slug}"/>'
        f"<title>{NOTICES[slug][0]}</title><summary>{NOTICES[slug][1]}</summary></entry>"
        for slug in slugs
    )
    feed = root / FEED_PATH
    feed.parent.mkdir(parents=True, exist_ok=True)
    tmp = feed.with_suffix(".tmp")
    tmp.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<id>https://www.gov.uk/government/organisations/trade-remedies-authority</id>"
        f"<title>Trade Remedies Authority</title><updated>2026-11-27T10:00:00+00:00</updated>{entries}</feed>",
        encoding="utf-8",
    )
    tmp.replace(feed)  # atomic: the crawler never sees half a feed


def _wait(condition: Callable[[], bool], proc: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        if condition():
            return
        if proc.poll() is not None:
            raise AssertionError(
                f"daemon exited with {proc.returncode} while waiting for {what}:\n{_log(proc)}"
            )
        time.sleep(0.5)
    raise AssertionError(f"gave up waiting for {what} after {DEADLINE_S}s")


def _log(proc: subprocess.Popen) -> str:
    return Path(proc.args[-1]).read_text(encoding="utf-8", errors="replace")[-4000:] if proc.args else ""


def _start(tmp_path: Path, config: Path, slack: FakeSlack) -> subprocess.Popen:
    log = tmp_path / f"daemon-{time.monotonic_ns()}.log"
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-daemon-test",
        "SLACK_API_URL": slack.url,
        "HF_HUB_OFFLINE": "1",
        "CWATCH_LOG_LEVEL": "INFO",
    }
    env.pop("CWATCH_DB", None)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "monitor", "--config", str(config), "serve"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    proc.args = [*proc.args, str(log)]  # type: ignore[list-item]  # _log() finds it there
    return proc


def _stop(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=90)
    finally:
        if proc.poll() is None:
            proc.kill()


@pytest.fixture()
def setup(tmp_path: Path):
    root = tmp_path / "site"
    for slug in NOTICES:
        _write_notice(root, slug)
    _write_feed(root, ["tra-initiates-anti-dumping-investigation-into-ceramic-tiles-from-china"])
    watchlists = tmp_path / "watchlists"
    watchlists.mkdir()
    (watchlists / "uk-remedies.yaml").write_text(
        "name: uk-trade-remedies\nchannel: '#uk-remedies'\nevent_types: [investigation]\nimposing: ['GB']\n"
        "targets: ['CN']\nmin_confidence: 0.3\n",
        encoding="utf-8",
    )
    with FixtureServer(root) as site, FakeSlack() as slack:
        config = tmp_path / "cwatch.yaml"
        config.write_text(
            f"db: {tmp_path / 'store.db'}\nwatchlists: {watchlists}\n"
            f"crawl:\n  sources: [uk_trade_remedies]\n  replay_root: {site.url}\n  timeout_s: 60\n"
            "  schedules: {uk_trade_remedies: 3s}\n  settings: {DOWNLOAD_TIMEOUT: 20, RETRY_TIMES: 1}\n"
            "jobs:\n  tag: 2s\n  alert: 2s\n  feedback: 1h\n  misfire_grace_s: 30\n",
            encoding="utf-8",
        )
        yield root, site, slack, config, tmp_path / "store.db"


def _crawl_runs(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM crawl_runs WHERE status != 'running'").fetchone()[0]


def _titles(slack: FakeSlack) -> list[str]:
    return [m.text for m in slack.messages()]


def test_new_document_is_alerted_within_two_cycles_and_sigterm_is_clean(setup) -> None:
    root, site, slack, config, db = setup
    proc = _start(db.parent, config, slack)
    try:
        _wait(lambda: any("ceramic tiles" in t for t in _titles(slack)), proc, "the first alert")
        # A notice appears on the site: it must be alerted within two crawl cycles of its appearance.
        runs_before = _crawl_runs(db)
        _write_feed(root, list(NOTICES))
        _wait(lambda: any("excavators" in t for t in _titles(slack)), proc, "the new notice's alert")
        assert _crawl_runs(db) - runs_before <= 2, "the new notice took more than two crawl cycles"

        # SIGTERM while a crawl is in flight: slow the feed so the next crawl is mid-request.
        site.fault("/" + FEED_PATH, Fault(delay_s=4, times=1))
        site.clear_log()
        _wait(lambda: any(r.path.endswith(".atom") for r in list(site.requests)), proc, "a crawl in flight")
        assert _stop(proc) == 0, _log(proc)
    finally:
        if proc.poll() is None:
            proc.kill()

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM crawl_runs WHERE status = 'running'").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 2

    # Restart: the same documents are not alerted again.
    posted_before = len(slack.requests("chat.postMessage"))
    proc = _start(db.parent, config, slack)
    try:
        _wait(lambda: _crawl_runs(db) >= runs_before + 4, proc, "two more crawl cycles after restart")
        time.sleep(3)  # one more tag + alert cycle
    finally:
        _stop(proc)
    messages = _titles(slack)
    assert sum("ceramic tiles" in t for t in messages) == 1
    assert sum("excavators" in t for t in messages) == 1
    assert len(slack.requests("chat.postMessage")) == posted_before
