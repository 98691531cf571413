"""The daemon tells the ops channel (through slack-sdk and the fake Slack) when a source keeps failing."""

from __future__ import annotations

from pathlib import Path

import pytest

from db.records import SourceMeta
from db.store import finish_crawl_run, start_crawl_run, upsert_source
from monitor.config import load_config
from monitor.context import AppContext
from monitor.daemon import Daemon
from tests.support.fake_slack import FakeSlack


def _daemon(tmp_path: Path, slack: FakeSlack, monkeypatch: pytest.MonkeyPatch) -> Daemon:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-ops-test")
    monkeypatch.setenv("SLACK_API_URL", slack.url)
    config = load_config(db=str(tmp_path / "s.db"), watchlists=str(tmp_path))
    config.slack.ops_channel = "#cwatch-ops"
    config.jobs.ops_failures_in_a_row = 2
    app = AppContext(config)
    source = SourceMeta("kr_motie", "MOTIE", "KR", "en", "official")
    upsert_source(app.db(), source)
    return Daemon(app, [source], tagger_factory=lambda: None)


def _run(daemon: Daemon, ok: bool, items: int = 3) -> dict:
    db = daemon.app.db()
    finish_crawl_run(
        db, start_crawl_run(db, "kr_motie"), ok=ok, reason=None if ok else "HTTP 404 on listing", items=items
    )
    return {
        "slug": "kr_motie",
        "status": "ok" if ok else "failed",
        "reason": None if ok else "HTTP 404 on listing",
        "items": items,
    }


def test_ops_channel_told_once_per_failure_streak_and_on_zero_items(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FakeSlack() as slack:
        daemon = _daemon(tmp_path, slack, monkeypatch)
        for ok in (False, False, False):  # threshold 2: told at the second failure only
            daemon._check_source(_run(daemon, ok))
        posts = [r.body for r in slack.requests("chat.postMessage")]
        assert [p["channel"] for p in posts] == ["#cwatch-ops"]
        assert "kr_motie failed 2 times in a row" in posts[0]["text"] and "HTTP 404" in posts[0]["text"]
        daemon._check_source(_run(daemon, True, items=0))
        texts = [r.body["text"] for r in slack.requests("chat.postMessage")]
        assert texts[-1] == "source kr_motie returned zero items" and len(texts) == 2


def test_ops_notice_failure_never_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeSlack() as slack:
        daemon = _daemon(tmp_path, slack, monkeypatch)
        slack.fail_next("chat.postMessage", "channel_not_found", count=5)
        for ok in (False, False):
            daemon._check_source(_run(daemon, ok))  # must not raise
        assert slack.requests("chat.postMessage")  # it was attempted
