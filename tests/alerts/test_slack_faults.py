"""Slack faults through the one delivery loop: a bad token, Slack down or hanging, dead channels, 429 and 5xx,
and two copies of one store. Each costs one request or one timeout, loses nothing and posts nothing twice."""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from pathlib import Path

import pycountry
import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from alerts.matching import match_new_events
from db import open_db
from db.outbox import instance_id
from delivery.slack import SlackAuthError
from monitor.cli import main
from monitor.flow import dispatch_pending
from tests.alerts.conftest import add_event
from tests.support.fake_slack import FakeSlack
from watchlists.loader import parse_watchlist

ALERTS = 20
COPIES = 8  # alerts in the two-copies test: each in-doubt post there costs one client timeout
WATCHLIST = 'name: cn\nchannel: "#coercion-faults"\nimposing: ["CN"]\nmin_confidence: 0.1\n'


def _seed(db: Database, n: int = ALERTS) -> None:
    """n first alerts of n separate stories (no replies, which would wait for their first alert anyway)."""
    for i, code in enumerate([c.alpha_2 for c in pycountry.countries][:n]):
        add_event(db, i, title=f"Notice {i} measure on {code}", targets=[code], commodities=[])
    assert match_new_events(db, parse_watchlist(WATCHLIST, "cn.yaml").watchlists) == n
    assert db.execute("SELECT count(*) FROM alerts WHERE kind = 'alert'").fetchone()[0] == n


def _statuses(db: Database) -> Counter[str]:
    return Counter(r[0] for r in db.execute("SELECT status FROM alerts").fetchall())


def _dispatch(db: Database, url: str, **kw: float) -> object:
    options = {"min_interval_s": 0.0, "timeout_s": 0.5, "backoff_s": 0.0, "reconcile_after_s": 0.0, **kw}
    return dispatch_pending(db, token="xoxb-test", api_url=url, echo=lambda _: None, **options)  # type: ignore[arg-type]


def test_bad_token_one_clear_error_no_post(store: Database, fake_slack: FakeSlack) -> None:
    _seed(store)
    fake_slack.revoked_tokens.add("xoxb-test")
    with pytest.raises(SlackAuthError, match=r"invalid_auth\): nothing was posted"):
        _dispatch(store, fake_slack.url)
    assert fake_slack.requests("chat.postMessage") == [] and len(fake_slack.requests("auth.test")) == 1
    assert _statuses(store) == {"pending": ALERTS}
    assert store.execute("SELECT count(*) FROM alerts WHERE claimed_at IS NOT NULL").fetchone()[0] == 0


def test_cwatch_alert_with_a_bad_token_exits_non_zero_with_one_line(
    store: Database, tmp_path: Path, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    watchlists = tmp_path / "watchlists"
    watchlists.mkdir()
    (watchlists / "cn.yaml").write_text(WATCHLIST, encoding="utf-8")
    db = store
    for i in range(5):
        add_event(db, i, title=f"Notice {i}", targets=["US"], commodities=[f"c{i}"])
    db.conn.close()
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-revoked")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.url)
    fake_slack.revoked_tokens.add("xoxb-revoked")
    args = ["--db", str(tmp_path / "cwatch.db"), "--watchlists", str(watchlists), "alert"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "invalid_auth" in lines[0] and "xoxb-revoked" not in result.output
    assert fake_slack.requests("chat.postMessage") == []


def test_slack_down_costs_one_attempt_not_one_per_alert(store: Database, tmp_path: Path) -> None:
    _seed(store)
    with FakeSlack() as fake:
        url = fake.url
    # The fake is stopped: its port refuses connections, like a Slack outage.
    report = _dispatch(store, url)
    assert report.unreachable and report.sent == 0  # type: ignore[attr-defined]
    assert _statuses(store) == {"pending": ALERTS}
    assert store.execute("SELECT count(*) FROM alerts WHERE claimed_at IS NOT NULL").fetchone()[0] == 0
    assert len(report.errors) == 1  # type: ignore[attr-defined]


def test_a_hanging_slack_costs_one_timeout_then_everything_goes_out_once(store: Database) -> None:
    _seed(store)
    with FakeSlack(hang_s=2.0) as fake:
        fake.fail_next("chat.postMessage", "hang", count=ALERTS)
        report = _dispatch(store, fake.url)
        assert report.in_doubt == 1 and report.unreachable  # type: ignore[attr-defined]
        assert len(fake.requests("chat.postMessage")) == 1  # the run stopped at the first timeout
        fake.stop_failing()
        time.sleep(2.1)  # the hung request ends; the in-doubt item is then reconciled from history
        while _statuses(store)["pending"]:
            _dispatch(store, fake.url)
        keys = Counter(m.metadata["event_payload"]["key"] for m in fake.messages() if m.metadata)  # type: ignore[index]
    assert _statuses(store) == {"sent": ALERTS} and len(keys) == ALERTS and set(keys.values()) == {1}


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel"])
def test_dead_channel_one_post_a_hint_and_the_channel_paused(
    store: Database, fake_slack: FakeSlack, error: str
) -> None:
    _seed(store)
    fake_slack.fail_next("chat.postMessage", error, count=ALERTS)
    report = _dispatch(store, fake_slack.url)
    assert len(fake_slack.requests("chat.postMessage")) == 1
    hint = report.paused_channels["#coercion-faults"]  # type: ignore[attr-defined]
    assert hint.startswith(f"{error}: invite cwatch to #coercion-faults")
    assert _statuses(store) == {"failed": 1, "pending": ALERTS - 1}
    again = _dispatch(store, fake_slack.url)  # still paused: no further post, nothing failed
    assert len(fake_slack.requests("chat.postMessage")) == 1 and again.failed == 0  # type: ignore[attr-defined]


@pytest.mark.parametrize("fault", ["ratelimited", "server_error"])
def test_429_and_5xx_retry_without_loss_or_duplicates(store: Database, fault: str) -> None:
    _seed(store)
    with FakeSlack(retry_after_s=0) as fake:
        fake.fail_next("chat.postMessage", fault, count=3 if fault == "ratelimited" else 1)
        for _ in range(10):
            _dispatch(store, fake.url)
            if not _statuses(store)["pending"]:
                break
        keys = Counter(m.metadata["event_payload"]["key"] for m in fake.messages() if m.metadata)  # type: ignore[index]
        outcomes = Counter(r.outcome for r in fake.requests("chat.postMessage"))
    assert outcomes[fault] >= 1
    assert _statuses(store) == {"sent": ALERTS} and len(keys) == ALERTS and set(keys.values()) == {1}


def test_two_copies_of_one_store_never_take_each_others_messages(store: Database, tmp_path: Path) -> None:
    """A backup restored beside the original: each copy posts its own alerts once, none is marked sent by
    finding the other copy's message."""
    _seed(store, COPIES)
    original = instance_id(store)
    with FakeSlack(hang_s=1.0) as fake:
        fake.fail_next("chat.postMessage", "posted_then_hang", count=COPIES)  # every post lands, in doubt
        for _ in range(COPIES):  # one post per run (the breaker), the earlier ones left in doubt
            _dispatch(store, fake.url, reconcile_after_s=60.0)
        assert (
            store.execute("SELECT count(*) FROM alerts WHERE claimed_at IS NOT NULL").fetchone()[0] == COPIES
        )
        copy_path = tmp_path / "restored.db"
        backup = sqlite3.connect(copy_path)
        store.conn.backup(backup)
        backup.close()
        copy = open_db(copy_path)
        time.sleep(1.1)
        for db in (store, copy):
            for _ in range(COPIES + 5):
                _dispatch(db, fake.url)
                if not _statuses(db)["pending"]:
                    break
        messages = {m.ts: m.metadata["event_payload"]["key"] for m in fake.messages() if m.metadata}  # type: ignore[index]
        copy_id = instance_id(copy)
    assert copy_id != original and instance_id(store) == original
    keys = Counter(messages.values())
    assert set(keys.values()) == {1} and len(keys) == 2 * COPIES  # each copy posted each alert once
    for db, own in ((store, original), (copy, copy_id)):
        rows = db.execute("SELECT id, status, slack_ts FROM alerts").fetchall()
        assert {r[1] for r in rows} == {"sent"}
        assert all(messages[ts] == f"{own}:{alert_id}" for alert_id, _s, ts in rows)  # its own message
    copy.conn.close()
